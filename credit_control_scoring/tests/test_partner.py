"""The partner side: SIREN/SIRET validation, latest score, "Score Now", standard model."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ScoringCommon
from .test_decisions import PAYMENT_FACTORS


@tagged("post_install", "-at_install")
@freeze_time(ScoringCommon.TODAY)
class TestPartnerScoring(ScoringCommon):
    def test_siren_siret_validated_for_french_partners(self):
        Partner = self.env["res.partner"]
        france, belgium = self.env.ref("base.fr"), self.env.ref("base.be")
        with self.assertRaisesRegex(ValidationError, "SIREN/SIRET 402213491 of Mauvais SIREN is not valid"):
            Partner.create({"name": "Mauvais SIREN", "country_id": france.id, "company_registry": "402213491"})
        with self.assertRaises(ValidationError):
            Partner.create({"name": "Trop court", "country_id": france.id, "company_registry": "40221"})
        siret = Partner.create({"name": "Bon SIRET", "country_id": france.id, "company_registry": "732 829 320 00074"})
        by_vat = Partner.create({"name": "Par TVA", "country_id": france.id, "vat": "FR44732829320"})
        foreign = Partner.create({"name": "Belge", "country_id": belgium.id, "company_registry": "40221"})
        self.assertRecordValues(
            siret | by_vat | foreign, [{"cc_siren": "732829320"}, {"cc_siren": "732829320"}, {"cc_siren": False}]
        )
        with self.assertRaises(ValidationError):
            foreign.country_id = france

    def test_score_now_and_latest_score_on_partner(self):
        with self.assertRaisesRegex(UserError, "No scoring model for Late Payer SARL"):
            self.late_payer.action_cc_score_now()
        self.make_model(PAYMENT_FACTORS, is_default=True)
        action = self.late_payer.action_cc_score_now()
        self.assertEqual(action["params"]["message"], "Late Payer SARL scored 40.0/100 (confidence 100 %).")
        self.late_payer.invalidate_recordset()
        self.assertRecordValues(
            self.late_payer,
            [{"cc_score": 40.0, "cc_score_confidence": 100.0, "cc_score_state": "to_review", "cc_score_count": 1}],
        )
        self.assertIn("-30: 67 % of invoices paid late", self.late_payer.cc_score_explanation)
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": self.late_payer.id})
        self.assertEqual(contact.cc_score, 40.0, "a contact shows the score of its company")
        self.good_payer.action_cc_score_now()
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("cc_score", "<", 50), ("id", "in", (self.late_payer | self.good_payer).ids)]),
            self.late_payer,
        )
        self.assertEqual(
            Partner.search([("cc_score", ">=", 50), ("id", "in", (self.late_payer | self.good_payer).ids)]),
            self.good_payer,
        )
        history = self.late_payer.action_cc_open_scores()
        self.assertEqual(history["views"][0][1], "graph")
        self.assertEqual(self.env["credit.control.score"].search(history["domain"]), self.late_payer.cc_score_id)

    def test_partner_model_overrides_the_default(self):
        default = self.make_model(PAYMENT_FACTORS, is_default=True)
        special = self.make_model({"insolvency": 10.0}, name="Public sector")
        self.good_payer.cc_scoring_model_id = special
        groups = self.env["credit.control.scoring.model"]._partners_by_model(
            self.late_payer | self.good_payer, self.company
        )
        self.assertEqual(groups, {default: self.late_payer, special: self.good_payer})

    def test_one_default_model_per_company(self):
        first = self.make_model(PAYMENT_FACTORS, is_default=True)
        second = self.make_model(PAYMENT_FACTORS, is_default=True)
        self.assertRecordValues(first | second, [{"is_default": False}, {"is_default": True}])
        copy = second.copy()
        self.assertRecordValues(copy, [{"is_default": False, "name": "Test model (copy)"}])
        self.assertEqual(len(copy.factor_ids.band_ids), len(second.factor_ids.band_ids))

    def test_standard_model(self):
        RiskClass = self.env["credit.control.risk.class"]
        classes = RiskClass.create([{"code": code, "name": f"Class {code}"} for code in "ABCD"])
        model = self.env["credit.control.scoring.model"]._create_standard_model(self.company.id)
        self.assertEqual(len(model.factor_ids), 18)
        self.assertTrue(model.is_default)
        self.assertEqual(model.threshold_ids.sorted("min_score").mapped("risk_class_id"), classes[::-1])
        self.assertEqual(model.threshold_ids.sorted("min_score").mapped("min_score"), [0, 35, 55, 75])
        insolvency = model.factor_ids.filtered(lambda f: f.factor == "insolvency")
        self.assertEqual(insolvency.band_summary, "≥ 0: 100 · ≥ 1: 0 (≤ 0)")

    def test_model_parameters_are_checked(self):
        model = self.make_model(PAYMENT_FACTORS)
        with self.assertRaisesRegex(ValidationError, "the payment window is between 1 and 60 months"):
            model.window_months = 0
        with self.assertRaisesRegex(ValidationError, "must start at 0"):
            model.threshold_ids.filtered(lambda t: t.min_score == 0).min_score = 5
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            model.factor_ids[0].band_ids[0].points = 120
        with self.assertRaisesRegex(ValidationError, "weight of the factor"):
            model.factor_ids[0].weight = 0

    def test_statement_changes_date_the_scoring_data(self):
        self.assertFalse(self.late_payer.cc_score_data_date)
        statement = self.env["credit.control.financial.statement"].create(
            {"partner_id": self.late_payer.id, "year": 2025, "revenue": 1000.0, "net_result": 100.0}
        )
        self.assertTrue(self.late_payer.cc_score_data_date)
        self.assertRecordValues(statement, [{"net_margin": 10.0, "gearing": 0.0, "solvency": 0.0}])
        with self.assertRaisesRegex(ValidationError, "already has a financial statement for 2025"):
            self.env["credit.control.financial.statement"].create({"partner_id": self.late_payer.id, "year": 2025})
