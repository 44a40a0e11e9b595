"""The product as its users meet it, in a real headless Chromium (Odoo tours)."""

from odoo import Command
from odoo import fields
from odoo.tests import new_test_user
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.credit_control.tests.common_dunning import DunningCommon

from .common import require_browser


def english_ui(env):
    """The tours read English labels: make English available, also in a database created in French
    (where it is not active); the tour users are created with lang="en_US"."""
    env["res.lang"]._activate_lang("en_US")


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
        english_ui(cls.env)
        company = cls.company_data["company"]
        cls.salesperson = new_test_user(
            cls.env,
            login="tour_sales",
            lang="en_US",
            name="Sophie Tour",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
            company_id=company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="tour_manager",
            lang="en_US",
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
class TestDunningTour(DunningCommon, AccountTestInvoicingHttpCommon):
    """A credit manager reviews the run of the day, leaves one customer out, validates and prints."""

    @classmethod
    def setUpClass(cls):
        require_browser()
        super().setUpClass()
        english_ui(cls.env)
        cls.manager = new_test_user(
            cls.env,
            login="tour_dunning",
            lang="en_US",
            name="Claire Relance",
            groups="account.group_account_manager,credit_control.group_credit_control_manager",
            company_id=cls.company.id,
        )
        # the shipped policy asks for a review; "level reached" sends the firm reminder (a letter) at once
        cls.policy.write({"review_mode": "review", "escalation": "reached"})
        # customers in English like the tour user (their emails follow their language); the French
        # letters are read in tests/test_documents.py
        (cls.customer | cls.other_customer).lang = "en_US"
        today = fields.Date.context_today(cls.env.user)
        cls.invoice = cls.make_invoice(
            cls.customer,
            1200.0,
            invoice_date=fields.Date.subtract(today, days=50),
            due_date=fields.Date.subtract(today, days=20),
        )
        cls.other_invoice = cls.make_invoice(
            cls.other_customer,
            800.0,
            invoice_date=fields.Date.subtract(today, days=50),
            due_date=fields.Date.subtract(today, days=20),
        )
        cls.dunning_run = cls.env["credit.control.dunning.run"].create({"company_id": cls.company.id, "date": today})
        cls.dunning_run.action_run()

    def test_manager_reviews_excludes_validates_and_prints(self):
        self.assertRecordValues(
            self.dunning_run.communication_ids.sorted(lambda c: c.partner_id.name),
            [
                {"partner_id": self.other_customer.id, "level_id": self.level_firm.id, "state": "draft"},
                {"partner_id": self.customer.id, "level_id": self.level_firm.id, "state": "draft"},
            ],
        )
        url = f"/odoo/action-credit_control.credit_control_dunning_run_action/{self.dunning_run.id}"
        self.start_tour(url, "credit_control_dunning_review", login="tour_dunning")

        self.assertEqual(self.dunning_run.state, "done")
        sent = self.communications(self.customer)
        excluded = self.communications(self.other_customer)
        self.assertRecordValues(
            sent, [{"state": "sent", "has_letter": True, "amount_residual": 1200.0, "run_id": self.dunning_run.id}]
        )
        self.assertTrue(sent.attachment_id, "the letter sent is kept")
        self.assertTrue(sent.date_printed, "printing the letters notes the date")
        self.assertEqual(self.invoice.cc_dunning_level_id, self.level_firm)
        # the customer left out got nothing: no letter, no email, no trace on its invoice
        self.assertRecordValues(excluded, [{"state": "excluded", "attachment_id": False, "date_sent": False}])
        self.assertEqual(set(excluded.line_ids.mapped("state")), {"excluded"})
        self.assertFalse(self.other_invoice.cc_dunning_level_id)
        self.assertFalse(
            self.env["mail.message"].search([("partner_ids", "in", self.other_customer.ids)]),
            "no email went to the excluded customer",
        )
        self.assertTrue(self.env["mail.message"].search([("partner_ids", "in", self.customer.ids)]))


@tagged("post_install", "-at_install")
class TestCommissionTour(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        require_browser()
        super().setUpClass()
        english_ui(cls.env)
        company = cls.company_data["company"]
        company.cc_enabled = False
        cls.salesperson = new_test_user(
            cls.env,
            login="tour_commission",
            lang="en_US",
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
