from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CommissionCommon(AccountTestInvoicingCommon):
    """A company with a 20 % sales tax, products with costs, a sales team (leader Bruno, member
    Anne) and a 5 % plan on the collected untaxed amount paying Anne."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.company.write({"cc_enabled": False, "cc_commission_period": "month"})
        cls.tax20 = cls.env["account.tax"].create(
            {"name": "TVA 20 % (test)", "amount": 20.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.categ_machines = cls.env["product.category"].create({"name": "Machines (test)"})
        cls.categ_parts = cls.env["product.category"].create({"name": "Parts", "parent_id": cls.categ_machines.id})
        cls.product_service = cls._make_product("Consulting day", 0.0)
        cls.product_machine = cls._make_product("Machine", 300.0, categ=cls.categ_machines)
        cls.product_part = cls._make_product("Spare part", 10.0, categ=cls.categ_parts)
        cls.product_shipping = cls._make_product("Shipping", 0.0, cc_commission_free=True)
        salesman = "sales_team.group_sale_salesman,account.group_account_invoice"
        cls.anne = new_test_user(cls.env, login="cc_anne", name="Anne Vendeuse", groups=salesman)
        cls.carl = new_test_user(cls.env, login="cc_carl", name="Carl Vendeur", groups=salesman)
        cls.bruno = new_test_user(
            cls.env,
            login="cc_bruno",
            name="Bruno Chef",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Field sales (test)",
                "user_id": cls.bruno.id,
                "company_id": cls.company.id,
                "crm_team_member_ids": [Command.create({"user_id": cls.anne.id})],
            }
        )
        cls.plan = cls.env["credit.control.commission.plan"].create(
            {"name": "Test plan 5 %", "default_rate": 5.0, "user_ids": [Command.set(cls.anne.ids)]}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Client Encaissement SA", "is_company": True})
        cls.Line = cls.env["credit.control.commission.line"]

    @classmethod
    def _make_product(cls, name, cost, categ=None, **vals):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "lst_price": 100.0,
                "standard_price": cost,
                "categ_id": (categ or cls.env.ref("product.product_category_all")).id,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data["default_account_revenue"].id,
                **vals,
            }
        )

    @classmethod
    def invoice(
        cls,
        lines,
        date="2026-01-05",
        user=None,
        partner=None,
        move_type="out_invoice",
        currency=None,
        tax=True,
        post=True,
    ):
        """``lines``: [(product, quantity, unit price)] or a single untaxed amount of the service."""
        if isinstance(lines, int | float):
            lines = [(cls.product_service, 1, lines)]
        vals = {
            "move_type": move_type,
            "partner_id": (partner or cls.customer).id,
            "invoice_user_id": (user or cls.anne).id,
            "invoice_date": date,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "price_unit": price,
                        "tax_ids": [Command.set(cls.tax20.ids if tax else [])],
                    }
                )
                for product, quantity, price in lines
            ],
        }
        if currency:
            vals["currency_id"] = currency.id
        move = cls.env["account.move"].create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def pay(cls, moves, amount, date="2026-01-10", currency=None, writeoff_account=None):
        vals = {"amount": amount, "payment_date": date, "payment_difference_handling": "open"}
        if currency:
            vals["currency_id"] = currency.id
        if writeoff_account:
            vals.update(
                {
                    "payment_difference_handling": "reconcile",
                    "writeoff_account_id": writeoff_account.id,
                    "writeoff_label": "Write-off",
                }
            )
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(vals)
            ._create_payments()
        )

    def lines_of(self, invoice):
        return self.Line.search([("invoice_id", "in", invoice.ids)], order="id")
