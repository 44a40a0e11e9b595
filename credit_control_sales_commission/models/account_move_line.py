from odoo import fields
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    cc_commission_user_id = fields.Many2one(
        "res.users",
        string="Commission Salesperson",
        copy=True,
        help="Salesperson paid the commission on this line when it is collected. Empty: the invoice's salesperson.",
    )
    cc_commission_cost = fields.Monetary(
        string="Cost at Invoicing",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        help="Cost of the products of the line when the invoice was posted, in company currency: the gross "
        "margin of commissions on margin is the untaxed amount less this cost.",
    )

    def _cc_set_commission_cost(self):
        """Store the current cost of the products sold (quantity in the product's unit of measure x
        its cost in the invoice's company)."""
        for line in self.filtered(lambda line: line.display_type == "product" and line.product_id):
            line.cc_commission_cost = line._cc_commission_cost()

    def _cc_commission_cost(self):
        """Cost of this sold line in company currency. Extension point (e.g. the real cost of the
        delivered goods)."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        quantity = (
            self.product_uom_id._compute_quantity(self.quantity, product.uom_id)
            if self.product_uom_id
            else self.quantity
        )
        return self.company_currency_id.round(product.standard_price * quantity)
