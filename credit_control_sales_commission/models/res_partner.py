from odoo import fields
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cc_commission_agent = fields.Boolean(
        string="Commission Agent",
        help="An external agent paid a commission, by vendor bill, on the cash collected from the customers "
        "they represent.",
    )
    cc_commission_agent_id = fields.Many2one(
        "res.partner",
        string="Sales Agent",
        company_dependent=True,
        domain=[("cc_commission_agent", "=", True)],
        help="Agent representing this customer: paid on what the customer pays, under the agent's plan.",
    )
    cc_commission_plan_ids = fields.Many2many(
        "credit.control.commission.plan",
        "credit_control_commission_plan_agent_rel",
        "partner_id",
        "plan_id",
        string="Commission Plans",
        readonly=True,
    )
