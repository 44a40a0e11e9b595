from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.sale.tests.common import SaleCommon


@tagged("post_install", "-at_install")
class TestOnlineConfirmation(AccountPaymentCommon, SaleCommon):
    """The customer confirms from the portal: by signing, or by paying online."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency = cls.sale_order.currency_id
        cls.partner = cls.sale_order.partner_invoice_id
        cls.provider.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == cls.provider
        ).payment_account_id = cls.inbound_payment_method_line.payment_account_id
        cls.watch = cls.env["credit.control.risk.class"].create(
            {"code": "W", "name": "Watch", "credit_limit": 100000.0, "deposit_percent": 30.0}
        )
        cls.customer = cls.sale_order.partner_id.commercial_partner_id
        cls.customer.cc_risk_class_id = cls.watch
        # a quotation made once the customer is in the class
        cls.sale_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 1000.0, "tax_id": False}
                    )
                ],
            }
        )
        cls.partner = cls.sale_order.partner_invoice_id

    def test_deposit_paid_online_confirms(self):
        order = self.sale_order
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.3)
        self.assertEqual(order._get_prepayment_required_amount(), 300.0)
        self.amount = 300.0
        tx = self._create_transaction(flow="redirect", sale_order_ids=[order.id], state="done")
        tx._post_process()
        self.assertEqual(order.state, "sale")

    def test_blocked_customer_paying_online_stays_quotation(self):
        order = self.sale_order
        self.customer.write({"cc_hold": True, "cc_hold_reason": "Litige en cours"})
        self.amount = 300.0
        tx = self._create_transaction(flow="redirect", sale_order_ids=[order.id], state="done")
        tx._post_process()  # no error reaches the customer
        self.assertEqual(order.state, "draft")
        self.assertIn("Credit hold: Litige en cours", "".join(order.message_ids.mapped("body")))
        self.assertEqual(order.activity_ids.summary, "Credit check failed on an order accepted online")

    def test_signature_of_a_blocked_order_keeps_it_for_review(self):
        order = self.sale_order
        self.watch.deposit_percent = 0.0
        self.customer.write({"cc_insolvency": True, "cc_insolvency_date": "2026-01-10"})
        order._validate_order()
        self.assertEqual(order.state, "draft")
        self.assertIn("Insolvency proceedings", "".join(order.message_ids.mapped("body")))
        self.customer.cc_insolvency = False
        order._validate_order()
        self.assertEqual(order.state, "sale")
