"""Each factor's measured value on the hand-built histories of ScoringCommon (seen on 2026-06-30)."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..models.credit_control_scoring_measure import MeasureContext
from .common import ScoringCommon

ALL_FACTORS = (
    "avg_days_late",
    "late_share",
    "overdue_share",
    "dunning_level",
    "disputes",
    "broken_promises",
    "payment_plans",
    "account_age",
    "exposure_ratio",
    "concentration",
    "revenue",
    "gearing",
    "solvency",
    "net_margin",
    "company_age",
    "sector",
    "bureau_score",
    "insolvency",
)


@tagged("post_install", "-at_install")
@freeze_time(ScoringCommon.TODAY)
class TestFactors(ScoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = cls.make_model(dict.fromkeys(ALL_FACTORS, 10.0))
        industry = cls.env["res.partner.industry"].create({"name": "Scoring test construction"})
        cls.env["credit.control.sector.risk"].create(
            {"industry_id": industry.id, "company_id": cls.company.id, "risk_level": "4"}
        )
        cls.late_payer.write(
            {
                "cc_founding_date": "2019-03-15",
                "industry_id": industry.id,
                "cc_bureau_score": 62.0,
                "cc_bureau_date": "2026-05-01",
                "cc_bureau_provider": "Bureau Test",
            }
        )
        Statement = cls.env["credit.control.financial.statement"]
        Statement.create(
            [
                {
                    "partner_id": cls.late_payer.id,
                    "year": 2025,
                    "revenue": 2000000.0,
                    "equity": 300000.0,
                    "total_assets": 1500000.0,
                    "total_debts": 1200000.0,
                    "net_debt": 450000.0,
                    "net_cash": 80000.0,
                    "net_result": 50000.0,
                },
                # older: ignored since the latest year wins
                {"partner_id": cls.late_payer.id, "year": 2024, "revenue": 100.0, "equity": 1.0},
                # too old for the model (2 years): the good payer has no financial data
                {"partner_id": cls.good_payer.id, "year": 2023, "revenue": 900000.0, "equity": 100000.0},
            ]
        )

    def score(self, partner):
        return self.model._score_partners(partner)

    def test_payment_behaviour_factors(self):
        score = self.score(self.late_payer)
        # avg days late: (1,000 x 20 + 3,000 x 0 + 500 x 10 + 1,500 x 60) / 6,000 = 19.17
        # late share: INV1 and INV3 late, INV2 on time (INV4 not due) = 2 / 3
        # overdue share: 1,500 overdue of 5,500 open
        self.assertRecordValues(
            self.line_of(score, "avg_days_late")
            + self.line_of(score, "late_share")
            + self.line_of(score, "overdue_share"),
            [
                {"missing": False, "value": 19.2},
                {"missing": False, "value": 66.7},
                {"missing": False, "value": 27.3},
            ],
        )
        self.assertEqual(self.line_of(score, "late_share").details, {"value": 66.7, "late": 2, "count": 3})
        self.assertEqual(
            self.line_of(score, "late_share").explanation,
            "-5.6: 67 % of invoices paid late in the last 12 months (2 of 3)",
        )

    def test_good_payer_pays_on_time(self):
        score = self.score(self.good_payer)
        self.assertRecordValues(
            self.line_of(score, "avg_days_late")
            + self.line_of(score, "late_share")
            + self.line_of(score, "overdue_share"),
            [{"value": 0.0, "points": 100}, {"value": 0.0, "points": 100}, {"value": 0.0, "points": 100}],
        )

    def test_unpaid_invoice_due_before_window_still_counts(self):
        old = self.make_invoice(self.good_payer, 500.0, "2025-01-10", "2025-02-09")
        self.assertTrue(old)
        score = self.score(self.good_payer)
        # INV5 2,000 x 0 days + old 500 x 506 days open (2025-02-09 -> 2026-06-30) = 253,000 / 2,500
        self.assertEqual(self.line_of(score, "avg_days_late").value, 101.2)
        # the share of invoices paid late only looks at invoices due in the window
        self.assertEqual(self.line_of(score, "late_share").value, 0.0)

    def test_relationship_factors(self):
        scores = self.model._score_partners(self.late_payer | self.good_payer)
        late, good = scores.sorted(lambda s: s.partner_id != self.late_payer)
        # first invoice 2026-01-01 -> 5 full months on 2026-06-30
        self.assertEqual(self.line_of(late, "account_age").value, 5)
        # purchases 10,000 over 6 months (first invoice 5 months 29 days ago: 6 started months)
        # = 1,666.67 a month; exposure 5,500 open -> 3.3 months
        self.assertEqual(self.line_of(late, "exposure_ratio").value, 3.3)
        self.assertEqual(self.line_of(late, "exposure_ratio").details["monthly"], 1666.67)
        self.assertEqual(self.line_of(late, "exposure_ratio").details["months"], 6)
        # open receivables of the company: 5,500 + 4,500
        self.assertEqual(self.line_of(late, "concentration").value, 55.0)
        self.assertEqual(self.line_of(good, "concentration").value, 45.0)

    def test_exposure_counts_confirmed_orders(self):
        self.make_order(self.good_payer, 1300.0, confirm=True)
        score = self.score(self.good_payer)
        # purchases 6,500 over 4 months (since 2026-03-01) = 1,625 a month; exposure 4,500 + 1,300
        # = 5,800 -> 3.57
        self.assertEqual(self.line_of(score, "exposure_ratio").value, 3.57)

    def test_financial_factors(self):
        score = self.score(self.late_payer)
        self.assertRecordValues(
            self.line_of(score, "revenue")
            + self.line_of(score, "gearing")
            + self.line_of(score, "solvency")
            + self.line_of(score, "net_margin")
            + self.line_of(score, "company_age")
            + self.line_of(score, "sector"),
            [
                {"missing": False, "value": 2000000.0},
                {"missing": False, "value": 1.5},
                {"missing": False, "value": 1.25},
                {"missing": False, "value": 2.5},
                {"missing": False, "value": 7.0},
                {"missing": False, "value": 4.0},
            ],
        )
        self.assertIn("Scoring test construction", self.line_of(score, "sector").explanation)

    def test_negative_equity_is_the_worst_gearing(self):
        self.env["credit.control.financial.statement"].create(
            {"partner_id": self.late_payer.id, "year": 2026, "equity": -5000.0, "net_debt": 10000.0}
        )
        line = self.line_of(self.score(self.late_payer), "gearing")
        self.assertEqual((line.points, line.details["negative_equity"]), (0.0, True))
        self.assertIn("equity zero or negative in 2026", line.explanation)

    def test_revenue_in_foreign_currency_is_converted(self):
        other = self.setup_other_currency("CHF", rates=[("2025-01-01", 2.0)])
        self.env["credit.control.financial.statement"].create(
            {"partner_id": self.late_payer.id, "year": 2026, "currency_id": other.id, "revenue": 300000.0}
        )
        self.assertEqual(self.line_of(self.score(self.late_payer), "revenue").value, 150000.0)

    def test_external_factors(self):
        score = self.score(self.late_payer)
        self.assertRecordValues(
            self.line_of(score, "bureau_score") + self.line_of(score, "insolvency"),
            [{"missing": False, "value": 62.0}, {"missing": False, "value": 0.0}],
        )
        self.late_payer.write({"cc_insolvency": True, "cc_insolvency_date": "2026-06-01"})
        score = self.score(self.late_payer)
        self.assertRecordValues(
            self.line_of(score, "insolvency"), [{"value": 1.0, "points": 0.0, "band_cap": 0.0, "contribution": -5.6}]
        )
        self.assertRecordValues(score, [{"score": 0.0, "capped": True}])
        self.assertIn("Score capped at 0 by: Insolvency Proceedings.", score.explanation)

    def test_old_bureau_score_is_missing(self):
        self.late_payer.cc_bureau_date = "2025-05-31"
        self.assertTrue(self.line_of(self.score(self.late_payer), "bureau_score").missing)

    def test_missing_data(self):
        """Without financial data, sector, founding date or bureau score, those factors are
        missing: 7 of 18 equally weighted factors -> confidence 11 / 18. The dunning factors are
        measured (0) for a customer with invoices."""
        score = self.score(self.good_payer)
        missing = score.line_ids.filtered("missing").mapped("factor")
        self.assertEqual(
            sorted(missing),
            sorted(["revenue", "gearing", "solvency", "net_margin", "company_age", "sector", "bureau_score"]),
        )
        self.assertEqual(score.confidence, round(100 * 11 / 18, 1))
        self.assertIn("Sector Risk", score.missing_factors)
        self.assertRecordValues(
            self.line_of(score, "dunning_level") + self.line_of(score, "disputes"),
            [{"missing": False, "value": 0.0, "points": 100}, {"missing": False, "value": 0.0, "points": 100}],
        )
        self.assertIn("no reminder sent in the last 12 months", score.explanation)

    def test_dunning_factors(self):
        """Highest level sent in the window (rank from the due date on), disputes opened, promises
        broken and payment plans agreed in the window; what is outside the window, cancelled or not
        sent does not count."""
        policy = self.env["credit.control.dunning.policy"].create(
            {
                "name": "Scoring test policy",
                "company_id": self.company.id,
                "level_ids": [
                    Command.create({"name": "Courtesy", "days": -5}),
                    Command.create({"name": "First", "days": 15}),
                    Command.create({"name": "Second", "days": 30}),
                    Command.create({"name": "Formal notice", "days": 45}),
                ],
            }
        )
        courtesy, first, second, notice = policy.level_ids.sorted("days")
        Communication = self.env["credit.control.dunning.communication"]
        common = {
            "company_id": self.company.id,
            "partner_id": self.late_payer.id,
            "recipient_id": self.late_payer.id,
            "policy_id": policy.id,
        }
        Communication.create(
            [
                {**common, "level_id": courtesy.id, "date": "2026-05-01", "state": "sent"},
                {**common, "level_id": first.id, "date": "2026-05-16", "state": "sent"},
                {**common, "level_id": second.id, "date": "2026-06-01", "state": "sent"},
                # prepared but cancelled, and sent before the window: neither counts
                {**common, "level_id": notice.id, "date": "2026-06-15", "state": "cancel"},
                {**common, "level_id": notice.id, "date": "2025-06-01", "state": "sent"},
                # the good payer only got the courtesy reminder before the due date
                {
                    **common,
                    "partner_id": self.good_payer.id,
                    "recipient_id": self.good_payer.id,
                    "level_id": courtesy.id,
                    "date": "2026-06-20",
                    "state": "sent",
                },
            ]
        )
        invoice = self.make_invoice(self.late_payer, 800.0, "2026-04-10", "2026-05-10")
        Dispute = self.env["credit.control.dispute"]
        Dispute.create(
            {"move_id": invoice.id, "date_open": "2026-05-20", "state": "closed", "date_closed": "2026-05-30"}
        )
        Dispute.create({"move_id": invoice.id, "date_open": "2026-06-10"})
        Promise = self.env["credit.control.promise"]
        promise_vals = {
            "partner_id": self.late_payer.id,
            "company_id": self.company.id,
            "amount": 500.0,
            "move_ids": [Command.set(invoice.ids)],
        }
        Promise.create(
            [
                {
                    **promise_vals,
                    "date": "2026-05-01",
                    "date_promised": "2026-05-15",
                    "state": "broken",
                    "date_broken": "2026-05-16",
                },
                {**promise_vals, "date": "2026-06-01", "date_promised": "2026-06-15", "state": "kept"},
                {
                    **promise_vals,
                    "date": "2025-05-01",
                    "date_promised": "2025-05-15",
                    "state": "broken",
                    "date_broken": "2025-05-16",
                },
            ]
        )
        Plan = self.env["credit.control.payment.plan"]
        plan_vals = {
            "partner_id": self.late_payer.id,
            "company_id": self.company.id,
            "amount_total": 800.0,
            "move_ids": [Command.set(invoice.ids)],
        }
        Plan.create(
            [
                {**plan_vals, "date_start": "2026-04-01", "state": "active"},
                {**plan_vals, "date_start": "2026-04-02", "state": "cancel"},
            ]
        )
        late, good = self.model._score_partners(self.late_payer | self.good_payer).sorted(
            lambda s: s.partner_id != self.late_payer
        )
        self.assertRecordValues(
            self.line_of(late, "dunning_level")
            + self.line_of(late, "disputes")
            + self.line_of(late, "broken_promises")
            + self.line_of(late, "payment_plans"),
            [
                # "Second" is the 2nd level from the due date on (the courtesy reminder does not rank)
                {"missing": False, "value": 2.0, "points": 50},
                {"missing": False, "value": 2.0, "points": 70},
                {"missing": False, "value": 1.0, "points": 60},
                {"missing": False, "value": 1.0, "points": 60},
            ],
        )
        self.assertEqual(
            self.line_of(late, "dunning_level").explanation,
            "-2.8: dunning level 2 reached in the last 12 months",
        )
        self.assertRecordValues(self.line_of(good, "dunning_level"), [{"missing": False, "value": 0.0, "points": 100}])

    def test_new_customer_without_history(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer", "is_company": True})
        score = self.score(newcomer)
        present = score.line_ids.filtered(lambda line: not line.missing).mapped("factor")
        # only the insolvency flag (never missing) and the concentration (0 % of our receivables)
        self.assertEqual(sorted(present), ["concentration", "insolvency"])
        self.assertEqual(self.line_of(score, "concentration").value, 0.0)

    def test_measures_of_contacts_go_to_their_company(self):
        contact = self.env["res.partner"].create({"name": "Compta Late", "parent_id": self.late_payer.id})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": contact.id,
                "invoice_date": "2026-06-20",
                "invoice_date_due": "2026-06-25",
                "invoice_line_ids": [
                    Command.create({"name": "line", "quantity": 1, "price_unit": 500.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        score = self.score(contact)
        self.assertEqual(score.partner_id, self.late_payer)
        # 2,000 overdue (1,500 + 500 of the contact's invoice) of 6,000 open
        self.assertEqual(self.line_of(score, "overdue_share").value, 33.3)

    def test_statements_read_with_a_cold_cache(self):
        """The rows are fetched before any ORM read can reuse the cursor."""
        ctx = MeasureContext(
            company=self.company,
            scoring_model=self.model,
            partner_ids=self.late_payer.ids,
            today=date(2026, 6, 30),
            date_from=date(2025, 6, 30),
            months=12,
        )
        self.env.invalidate_all()
        statements = self.env["credit.control.scoring.measure"]._fact_statements(ctx)
        self.assertEqual(statements[self.late_payer.id]["revenue_company"], 2000000.0)
