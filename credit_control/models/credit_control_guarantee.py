from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CreditControlGuarantee(models.Model):
    """A guarantee received from or for a customer, raising its usable credit."""

    _name = "credit.control.guarantee"
    _description = "Credit Guarantee"
    _order = "date_end desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    guarantee_type = fields.Selection(
        [
            ("bank_guarantee", "Bank guarantee (caution bancaire)"),
            ("credit_insurance", "Credit insurance cover"),
            ("deposit_held", "Deposit held"),
        ],
        string="Type",
        required=True,
        default="bank_guarantee",
    )
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    amount_company = fields.Monetary(
        string="Amount in Company Currency",
        compute="_compute_amount_company",
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    date_start = fields.Date(string="Valid From")
    date_end = fields.Date(string="Valid Until", help="Leave empty for a guarantee without end.")
    reference = fields.Char()
    note = fields.Text()
    active = fields.Boolean(default=True)

    @api.constrains("amount", "date_start", "date_end")
    def _check_amount_dates(self):
        for guarantee in self:
            if guarantee.amount <= 0:
                raise ValidationError(self.env._("The amount of a guarantee must be positive."))
            if guarantee.date_start and guarantee.date_end and guarantee.date_start > guarantee.date_end:
                raise ValidationError(self.env._("A guarantee cannot end before it starts."))

    @api.depends("amount", "currency_id", "company_id")
    def _compute_amount_company(self):
        today = fields.Date.context_today(self)
        for guarantee in self:
            guarantee.amount_company = guarantee.currency_id._convert(
                guarantee.amount, guarantee.company_id.currency_id, guarantee.company_id, today
            )
