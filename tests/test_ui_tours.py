"""The product as its users meet it, in a real headless Chromium (Odoo tours)."""

from odoo import Command
from odoo import fields
from odoo.tests import new_test_user
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import require_browser


def start_tour_once_more_on_failure(case, url, tour, login):
    """Run a tour; on a failure run it once more, so that one request lost by a loaded machine
    (an RPC answered with an HTML error page while the web client boots) does not fail CI. A tour
    that fails twice fails the test."""
    try:
        case.start_tour(url, tour, login=login)
    except AssertionError:
        case.start_tour(url, tour, login=login)


@tagged("post_install", "-at_install")
class TestCreditControlTours(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        require_browser()
        super().setUpClass()
        company = cls.company_data["company"]
        cls.salesperson = new_test_user(
            cls.env,
            login="tour_sales",
            name="Sophie Tour",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
            company_id=company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="tour_manager",
            name="Claire Tour",
            groups="sales_team.group_sale_manager,account.group_account_manager,"
            "credit_control.group_credit_control_manager",
            company_id=company.id,
        )
        rclass = cls.env["credit.control.risk.class"].create(
            {"code": "TT", "name": "Tour class", "credit_limit": 1000.0, "overdue_tolerance_days": 30}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Client SA",
                "is_company": True,
                "cc_risk_class_id": rclass.id,
                "cc_hold": True,
                "cc_hold_reason": "Chèque impayé",
                "user_id": cls.salesperson.id,
            }
        )
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_user_id": cls.salesperson.id,
                "invoice_date": "2026-01-01",
                "invoice_date_due": "2026-01-31",
                "invoice_line_ids": [
                    Command.create({"name": "Conseil", "price_unit": 900.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        product = cls.env["product.product"].create(
            {"name": "Machine PX-200", "type": "service", "list_price": 500.0, "taxes_id": [Command.clear()]}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesperson.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 1, "price_unit": 500.0, "tax_id": False}
                    )
                ],
            }
        )

    def test_salesperson_is_blocked_with_reasons(self):
        url = f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}"
        start_tour_once_more_on_failure(self, url, "credit_control_salesperson_blocked", "tour_sales")
        self.assertEqual(self.order.state, "draft")
        url = f"/odoo/action-base.action_partner_form/{self.customer.id}"
        start_tour_once_more_on_failure(self, url, "credit_control_salesperson_partner_readonly", "tour_sales")

    def test_manager_overrides_with_reason(self):
        url = f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}"
        self.start_tour(url, "credit_control_manager_override", login="tour_manager")
        self.assertEqual(self.order.state, "sale")
        self.assertRecordValues(
            self.order.cc_override_ids,
            [{"user_id": self.manager.id, "reason": "Virement reçu ce matin, confirmé par la banque"}],
        )
        self.assertIn("Credit hold", self.order.cc_override_ids.rules)

    def test_manager_opens_aged_balance_and_dashboard(self):
        start_tour_once_more_on_failure(
            self,
            "/odoo/action-credit_control.credit_control_aged_balance_action",
            "credit_control_aged_balance",
            "tour_manager",
        )
        start_tour_once_more_on_failure(
            self,
            "/odoo/action-credit_control.credit_control_dashboard_action",
            "credit_control_dashboard",
            "tour_manager",
        )


@tagged("post_install", "-at_install")
class TestCommissionTour(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        require_browser()
        super().setUpClass()
        company = cls.company_data["company"]
        company.cc_enabled = False
        cls.salesperson = new_test_user(
            cls.env,
            login="tour_commission",
            name="Anne Commission",
            groups="sales_team.group_sale_salesman",
            company_id=company.id,
        )
        cls.env["credit.control.commission.plan"].create(
            {"name": "Tour plan 5 %", "default_rate": 5.0, "user_ids": [Command.set(cls.salesperson.ids)]}
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour Commission SA", "is_company": True, "user_id": cls.salesperson.id}
        )
        today = fields.Date.context_today(cls.env.user)
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_user_id": cls.salesperson.id,
                "invoice_date": today,
                "invoice_line_ids": [
                    Command.create({"name": "Conseil", "price_unit": 1000.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": 400.0, "payment_date": today, "payment_difference_handling": "open"}
        )._create_payments()

    def test_salesperson_sees_collected_and_pending(self):
        start_tour_once_more_on_failure(
            self,
            "/odoo/action-credit_control_sales_commission.credit_control_commission_analysis_wizard_action",
            "credit_control_commission_salesperson",
            "tour_commission",
        )
