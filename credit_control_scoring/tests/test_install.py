from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_under_credit_control(self):
        module = self.env["ir.module.module"].search([("name", "=", "credit_control_scoring")])
        self.assertEqual(module.state, "installed")
        self.assertIn("credit_control", module.dependencies_id.mapped("name"))
        menu = self.env.ref("credit_control_scoring.menu_credit_control_scoring")
        self.assertEqual(menu.parent_id, self.env.ref("credit_control.menu_credit_control_root"))
        self.assertTrue(self.env.ref("credit_control.group_credit_control_manager"))

    def test_standard_model_and_daily_action(self):
        model = self.env["credit.control.scoring.model"].search(
            [("company_id", "=", self.env.ref("base.main_company").id), ("is_default", "=", True)]
        )
        self.assertEqual(len(model), 1)
        self.assertEqual(len(model.factor_ids), 18)
        self.assertEqual(model.threshold_ids.risk_class_id.mapped("code"), ["A", "B", "C", "D"])
        cron = self.env.ref("credit_control_scoring.ir_cron_score_changed_customers")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))

    def test_french_translation_of_explanations(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = self.env["credit.control.scoring.measure"].with_context(lang="fr_FR").env
        self.assertEqual(french._("never invoiced: no dunning history"), "jamais facturé : pas d'historique de relance")
        self.assertEqual(
            french._("%(percent)s %% of invoices paid late in the last %(months)s months (%(late)s of %(count)s)")
            % {"percent": 35, "months": 12, "late": 7, "count": 20},
            "35 % des factures payées en retard sur les 12 derniers mois (7 sur 20)",
        )
