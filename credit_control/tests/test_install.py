from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_with_groups_and_menu(self):
        module = self.env["ir.module.module"].search([("name", "=", "credit_control")])
        self.assertEqual(module.state, "installed")
        user_group = self.env.ref("credit_control.group_credit_control_user")
        manager_group = self.env.ref("credit_control.group_credit_control_manager")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertEqual(manager_group.category_id, self.env.ref("credit_control.module_category_credit_control"))
        menu = self.env.ref("credit_control.menu_credit_control_root")
        self.assertEqual(menu.parent_id, self.env.ref("account.menu_finance"))

    def test_default_risk_classes(self):
        classes = self.env["credit.control.risk.class"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        by_code = {c.code: c for c in classes}
        self.assertEqual(set(by_code) >= {"A", "B", "C", "D"}, True)
        self.assertEqual(by_code["C"].deposit_percent, 30)
        self.assertEqual(by_code["D"].deposit_percent, 100)
        self.assertEqual(by_code["D"].credit_limit, 0)
