from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_under_credit_control(self):
        module = self.env["ir.module.module"].search([("name", "=", "credit_control_sales_commission")])
        self.assertEqual(module.state, "installed")
        self.assertIn("credit_control", module.dependencies_id.mapped("name"))
        menu = self.env.ref("credit_control_sales_commission.menu_credit_control_commission")
        self.assertEqual(menu.parent_id, self.env.ref("credit_control.menu_credit_control_root"))
        self.assertTrue(self.env.ref("credit_control.group_credit_control_user"))
