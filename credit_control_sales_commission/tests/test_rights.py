from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-31")
class TestRights(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["credit.control.commission.plan"].create(
            {"name": "Carl 10 %", "default_rate": 10.0, "user_ids": [Command.set(cls.carl.ids)]}
        )
        cls.controller = new_test_user(
            cls.env, login="cc_controller", groups="credit_control.group_credit_control_user"
        )
        cls.invoice_anne = cls.invoice(1000.0)
        cls.invoice_carl = cls.invoice(1000.0, user=cls.carl)

    def test_salespeople_see_only_their_own_commissions(self):
        # Anne registers the payments herself: the lines are created although she cannot create any
        self.pay(self.invoice_anne.with_user(self.anne), 1200.0)
        self.pay(self.invoice_carl, 1200.0)
        Line = self.env["credit.control.commission.line"]
        self.assertEqual(Line.with_user(self.anne).search([]).beneficiary_user_id, self.anne)
        self.assertEqual(Line.with_user(self.carl).search([]).beneficiary_user_id, self.carl)
        self.assertEqual(len(Line.with_user(self.bruno).search([])), 2)  # sales manager
        self.assertEqual(len(Line.with_user(self.controller).search([])), 2)
        line = Line.with_user(self.anne).search([])
        with self.assertRaises(AccessError):
            line.write({"amount": 1000.0})
        with self.assertRaises(AccessError):
            line.unlink()
        carl_line = Line.search([("beneficiary_user_id", "=", self.carl.id)])
        with self.assertRaises(AccessError):
            carl_line.with_user(self.anne).read(["amount"])

        settlements = self.env["credit.control.commission.settlement"]._cc_settle(
            self.company, self.invoice_anne.invoice_date
        )
        self.assertEqual(len(settlements), 2)
        Settlement = self.env["credit.control.commission.settlement"]
        self.assertEqual(Settlement.with_user(self.anne).search([]).beneficiary_user_id, self.anne)
        with self.assertRaises(AccessError):
            Settlement.with_user(self.anne).search([]).action_validate()
        with self.assertRaises(AccessError):
            Settlement.with_user(self.controller).search([], limit=1).action_validate()

        # the analysis shows a salesperson only their own rows, a manager everyone's
        wizard = (
            self.env["credit.control.commission.analysis.wizard"]
            .with_user(self.anne)
            .create({"date_from": "2026-01-01", "date_to": "2026-01-31"})
        )
        rows = (
            self.env["credit.control.commission.analysis"].with_user(self.anne).search(wizard.action_show()["domain"])
        )
        self.assertEqual(rows.beneficiary_user_id, self.anne)
        wizard = (
            self.env["credit.control.commission.analysis.wizard"]
            .with_user(self.bruno)
            .create({"date_from": "2026-01-01", "date_to": "2026-01-31"})
        )
        rows = (
            self.env["credit.control.commission.analysis"].with_user(self.bruno).search(wizard.action_show()["domain"])
        )
        self.assertEqual(rows.beneficiary_user_id, self.anne + self.carl)

    def test_plans_and_configuration_rights(self):
        Plan = self.env["credit.control.commission.plan"]
        self.assertEqual(Plan.with_user(self.anne).search([]), self.plan)
        with self.assertRaises(AccessError):
            self.plan.with_user(self.anne).write({"default_rate": 50.0})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.controller).write({"default_rate": 50.0})

    def test_other_company_lines_are_hidden(self):
        self.pay(self.invoice_anne, 1200.0)
        other = self.setup_other_company()["company"]
        line = self.env["credit.control.commission.line"].search([])
        self.assertEqual(line.company_id, self.company)
        manager = new_test_user(
            self.env,
            login="cc_other_manager",
            groups="credit_control.group_credit_control_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(self.env["credit.control.commission.line"].with_user(manager).search([]))
