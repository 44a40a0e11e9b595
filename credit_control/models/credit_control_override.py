from odoo import fields
from odoo import models


class CreditControlOverride(models.Model):
    """Audit trail of the sale orders a credit manager confirmed despite a credit block."""

    _name = "credit.control.override"
    _description = "Credit Block Override"
    _order = "create_date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Overridden by", required=True, readonly=True)
    salesperson_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    reason = fields.Text(required=True, readonly=True)
    rules = fields.Text(string="Rules Overridden", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    order_amount = fields.Monetary(string="Order Amount", readonly=True, help="In company currency.")
    exposure = fields.Monetary(string="Exposure Before", readonly=True)
    credit_limit = fields.Monetary(string="Usable Credit Limit", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue Amount", readonly=True)
