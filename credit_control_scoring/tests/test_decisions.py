"""Bands and weights into a score, the score into a class (with its margin), a limit and a
deposit, applied at once or reviewed by a credit manager."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ScoringCommon

# late payer: late share 66.7 % -> 0 points, avg days late 19.2 -> 50 points, overdue share
# 27.3 % -> 75 points: 100 - 0.3 x 100 - 0.5 x 50 - 0.2 x 25 = 40 -> class SC [35, 55)
# good payer: 100 points everywhere -> 100 -> class SA
PAYMENT_FACTORS = {"late_share": 30.0, "avg_days_late": 50.0, "overdue_share": 20.0}


@tagged("post_install", "-at_install")
@freeze_time(ScoringCommon.TODAY)
class TestDecisions(ScoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = cls.make_model(PAYMENT_FACTORS)

    def test_bands_and_weights_make_the_score(self):
        score = self.model._score_partners(self.late_payer)
        self.assertRecordValues(
            score.line_ids.sorted("id"),
            [
                {"factor": "late_share", "value": 66.7, "points": 0.0, "weight": 30.0, "contribution": -30.0},
                {"factor": "avg_days_late", "value": 19.2, "points": 50.0, "weight": 50.0, "contribution": -25.0},
                {"factor": "overdue_share", "value": 27.3, "points": 75.0, "weight": 20.0, "contribution": -5.0},
            ],
        )
        self.assertRecordValues(score, [{"score": 40.0, "confidence": 100.0, "capped": False}])
        self.assertEqual(
            score.explanation.splitlines(),
            [
                "Score 40.0/100, confidence 100 %.",
                "-30: 67 % of invoices paid late in the last 12 months (2 of 3)",
                "-25: 19.2 days late on average (weighted by amount) in the last 12 months",
                "-5: 27 % of the open receivables overdue ($\xa01,500.00 of $\xa05,500.00)",
            ],
        )

    def test_changing_a_band_or_a_weight_changes_the_score(self):
        late_share = self.model.factor_ids.filtered(lambda f: f.factor == "late_share")
        late_share.band_ids.filtered(lambda b: b.lower_bound == 60).points = 20.0
        # late share now 20 points: -0.3 x 80 = -24 -> 46
        self.assertEqual(self.model._score_partners(self.late_payer).score, 46.0)
        late_share.weight = 50.0
        # weights 50 / 50 / 20 of 120: -50/120 x 80 - 50/120 x 50 - 20/120 x 25 = -33.3 - 20.8 - 4.2 -> 41.7
        self.assertEqual(self.model._score_partners(self.late_payer).score, 41.7)

    def test_class_limit_and_deposit_recommended(self):
        scores = self.model._score_partners(self.late_payer | self.good_payer)
        # late payer: no revenue known; purchases 1,666.67 a month x 30 days x 1.5 = 2,500
        # good payer: 1,625 x 1.5 = 2,437.5 -> 2,400
        self.assertRecordValues(
            scores.sorted(lambda s: s.partner_id != self.late_payer),
            [
                {
                    "partner_id": self.late_payer.id,
                    "score": 40.0,
                    "old_risk_class_id": False,
                    "new_risk_class_id": self.class_sc.id,
                    "raw_risk_class_id": self.class_sc.id,
                    "old_credit_limit": 0.0,
                    "new_use_custom_limit": True,
                    "new_credit_limit": 2500.0,
                    "old_deposit_percent": 0.0,
                    "new_deposit_percent": 30.0,
                    "state": "to_review",
                },
                {
                    "partner_id": self.good_payer.id,
                    "score": 100.0,
                    "old_risk_class_id": False,
                    "new_risk_class_id": self.class_sa.id,
                    "raw_risk_class_id": self.class_sa.id,
                    "old_credit_limit": 0.0,
                    "new_use_custom_limit": True,
                    "new_credit_limit": 2400.0,
                    "old_deposit_percent": 0.0,
                    "new_deposit_percent": 0.0,
                    "state": "to_review",
                },
            ],
        )

    def test_limit_from_revenue_payment_terms_and_class(self):
        term_45 = self.env["account.payment.term"].create(
            {"name": "45 days", "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 45})]}
        )
        self.late_payer.property_payment_term_id = term_45
        # purchases: 1,666.67 x 45/30 x 1.5 = 3,750 -> 3,700
        self.assertEqual(self.model._score_partners(self.late_payer).new_credit_limit, 3700.0)
        self.env["credit.control.financial.statement"].create(
            {"partner_id": self.late_payer.id, "year": 2025, "revenue": 18000.0}
        )
        # 10 % of 18,000 = 1,800 < 3,750
        self.assertEqual(self.model._score_partners(self.late_payer).new_credit_limit, 1800.0)
        self.model.limit_revenue_percent = 50.0
        self.model.limit_purchase_factor = 3.0
        # 9,000 and 7,500 -> 7,500, capped by the class SC at 5,000
        self.assertEqual(self.model._score_partners(self.late_payer).new_credit_limit, 5000.0)
        self.model.limit_cap_by_class = False
        self.model.limit_purchase_factor = 4.0
        # 9,000 and 10,000 -> 9,000
        self.assertEqual(self.model._score_partners(self.late_payer).new_credit_limit, 9000.0)
        self.model.limit_method = "class"
        self.assertRecordValues(
            self.model._score_partners(self.late_payer), [{"new_use_custom_limit": False, "new_credit_limit": 5000.0}]
        )

    def test_margin_keeps_the_current_class_near_its_boundary(self):
        self.late_payer.cc_risk_class_id = self.class_sb
        # SB is [55, 75): a score of 40 is 15 points below
        self.model.hysteresis_margin = 16.0
        kept = self.model._score_partners(self.late_payer)
        self.assertRecordValues(
            kept,
            [{"new_risk_class_id": self.class_sb.id, "raw_risk_class_id": self.class_sc.id, "kept_by_margin": True}],
        )
        self.assertIn("the class SB - Scoring Standard is kept", kept.explanation)
        self.model.hysteresis_margin = 14.0
        moved = self.model._score_partners(self.late_payer)
        self.assertRecordValues(moved, [{"new_risk_class_id": self.class_sc.id, "kept_by_margin": False}])

    def test_auto_apply_writes_the_partner_and_logs_it(self):
        self.model.decision_mode = "auto"
        score = self.model._score_partners(self.late_payer)
        self.assertRecordValues(score, [{"state": "applied", "automatic": True, "decision_user_id": False}])
        partner = self.late_payer.with_company(self.company)
        self.assertRecordValues(
            partner, [{"cc_risk_class_id": self.class_sc.id, "cc_use_custom_limit": True, "cc_credit_limit": 2500.0}]
        )
        note = partner.message_ids.filtered(lambda m: "Credit scoring" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Risk class: none → SC - Scoring Watch", note.body)
        self.assertIn("Credit limit: $&nbsp;0.00 (class default) → $&nbsp;2,500.00", note.body)
        self.assertIn("Deposit: 0 % → 30 %", note.body)
        self.assertIn("Applied automatically.", note.body)
        # nothing changed since: the next score proposes nothing and logs nothing
        again = self.model._score_partners(self.late_payer)
        self.assertEqual(again.state, "unchanged")
        self.assertEqual(len(partner.message_ids.filtered(lambda m: "Credit scoring" in (m.body or ""))), 1)

    def test_review_accept_reject_and_supersede(self):
        first = self.model._score_partners(self.late_payer | self.good_payer)
        late, good = first.sorted(lambda s: s.partner_id != self.late_payer)
        self.assertFalse(self.late_payer.with_company(self.company).cc_risk_class_id)
        late.action_accept()
        self.assertRecordValues(late, [{"state": "applied", "automatic": False, "decision_user_id": self.env.uid}])
        self.assertRecordValues(
            self.late_payer.with_company(self.company),
            [{"cc_risk_class_id": self.class_sc.id, "cc_use_custom_limit": True, "cc_credit_limit": 2500.0}],
        )
        good.action_reject()
        self.assertEqual(good.state, "rejected")
        self.assertFalse(self.good_payer.with_company(self.company).cc_risk_class_id)
        with self.assertRaises(UserError):
            good.action_accept()
        # a proposal not decided is replaced by the next one
        second = self.model._score_partners(self.good_payer)
        third = self.model._score_partners(self.good_payer)
        self.assertEqual((second.state, third.state), ("superseded", "to_review"))

    def test_low_confidence_proposes_nothing(self):
        self.model.write({"decision_mode": "auto", "min_confidence": 60.0})
        self.model.factor_ids = [Command.create({"factor": "bureau_score", "weight": 100.0})]
        # bureau score missing: 100 of 200 measured -> 50 %
        score = self.model._score_partners(self.late_payer)
        self.assertRecordValues(
            score,
            [{"score": 40.0, "confidence": 50.0, "state": "low_confidence", "new_risk_class_id": False}],
        )
        self.assertFalse(self.late_payer.with_company(self.company).cc_risk_class_id)
        self.assertIn("Confidence below the model's minimum", score.explanation)

    def test_query_count_does_not_grow_with_customers(self):
        extra = self.env["res.partner"].create([{"name": f"Extra {i}", "is_company": True} for i in range(4)])
        for index, partner in enumerate(extra):
            self.make_invoice(partner, 100.0 * (index + 1), "2026-03-01", "2026-03-31")
        self.model.factor_ids = [
            Command.create({"factor": code, "weight": 5.0})
            for code in ("account_age", "exposure_ratio", "concentration", "revenue", "bureau_score", "insolvency")
        ]
        small, large = self.late_payer | extra[0], self.late_payer | self.good_payer | extra
        counts = []
        # the first runs fill the ORM caches (access rules, fields); then 2 and 6 customers compare
        for partners in (large, small, small, large):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.model._score_partners(partners)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[2], counts[3], "scoring 6 customers takes the queries of scoring 2")

    def test_chunks_give_the_same_scores(self):
        self.model.factor_ids = [
            Command.create({"factor": "concentration", "weight": 10.0}),
            Command.create({"factor": "exposure_ratio", "weight": 10.0}),
        ]

        def run():
            scores = self.model._score_partners(self.late_payer | self.good_payer).sorted("partner_id")
            return [
                (
                    s.partner_id.id,
                    s.score,
                    s.confidence,
                    s.new_credit_limit,
                    dict(s.line_ids.mapped(lambda line: (line.factor, line.value))),
                )
                for s in scores
            ]

        whole = run()
        self.env["ir.config_parameter"].set_param("credit_control_scoring.chunk_size", 1)
        chunked = run()
        self.assertEqual(chunked, whole)
        # the company total of the concentration and the exposures are read once for both chunks
        relationship = {
            partner_id: (values["concentration"], values["exposure_ratio"]) for partner_id, *_r, values in chunked
        }
        self.assertEqual(relationship, {self.late_payer.id: (55.0, 3.3), self.good_payer.id: (45.0, 2.77)})
