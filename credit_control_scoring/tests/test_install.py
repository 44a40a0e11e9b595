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
