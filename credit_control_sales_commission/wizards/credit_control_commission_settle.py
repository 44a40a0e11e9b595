from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..models import commission_math


class CreditControlCommissionSettle(models.TransientModel):
    """Gather the unsettled commission lines into draft settlements, per beneficiary and period."""

    _name = "credit.control.commission.settle"
    _description = "Create Commission Settlements"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_to = fields.Date(
        string="Up to the Period of",
        required=True,
        default=lambda self: self._default_date_to(),
        help="Lines of this period and of earlier ones not yet settled are gathered.",
    )

    @api.model
    def _default_date_to(self):
        period = self.env.company.cc_commission_period or "month"
        start = commission_math.period_start(fields.Date.context_today(self), period)
        return start - relativedelta(days=1)

    def action_settle(self):
        self.ensure_one()
        settlements = self.env["credit.control.commission.settlement"]._cc_settle(self.company_id, self.date_to)
        if not settlements:
            raise UserError(self.env._("No unsettled commission line up to this period."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control_sales_commission.credit_control_commission_settlement_action"
        )
        action["domain"] = [("id", "in", settlements.ids)]
        return action
