from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditControlCommon(AccountTestInvoicingCommon):
    """A company with risk classes, an untaxed product and a customer of class B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.company.cc_enabled = True
        cls.company.cc_warning_percent = 80.0
        RiskClass = cls.env["credit.control.risk.class"]
        cls.class_b = RiskClass.create(
            {"code": "TB", "name": "Test Standard", "credit_limit": 1000.0, "overdue_tolerance_days": 30}
        )
        cls.class_c = RiskClass.create(
            {
                "code": "TC",
                "name": "Test Watch",
                "credit_limit": 5000.0,
                "deposit_percent": 30.0,
                "overdue_tolerance_days": 10,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Credit test product",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data["default_account_revenue"].id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Client Crédit SA", "is_company": True, "cc_risk_class_id": cls.class_b.id}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Jeanne Compta", "parent_id": cls.customer.id})

    @classmethod
    def make_invoice(
        cls,
        partner,
        amount,
        invoice_date="2026-01-01",
        due_date=None,
        post=True,
        move_type="out_invoice",
        currency=None,
    ):
        vals = {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_line_ids": [
                Command.create({"name": "line", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
            ],
        }
        if due_date:
            vals["invoice_date_due"] = due_date
        if currency:
            vals["currency_id"] = currency.id
        move = cls.env["account.move"].create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def make_order(cls, partner, amount, currency=None, confirm=False):
        vals = {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
        if currency:
            pricelist = cls.env["product.pricelist"].create({"name": f"PL {currency.name}", "currency_id": currency.id})
            vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(vals)
        if confirm:
            order.with_context(cc_override_reason="test set-up").action_confirm()
        return order

    @classmethod
    def pay(cls, invoice, amount, date="2026-01-01"):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": date, "payment_difference_handling": "open"})
            ._create_payments()
        )
