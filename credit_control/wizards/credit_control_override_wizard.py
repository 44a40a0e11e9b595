from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditControlOverrideWizard(models.TransientModel):
    """A credit manager confirms a blocked order, giving the reason that goes to the audit list."""

    _name = "credit.control.override.wizard"
    _description = "Override a Credit Block"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    rules = fields.Text(string="Rules Failing", compute="_compute_rules")
    reason = fields.Text(required=True, help="Why the order may go ahead: kept in the audit list and the chatter.")

    @api.depends("order_id")
    def _compute_rules(self):
        for wizard in self:
            wizard.rules = wizard.order_id.cc_check_message

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason of the override."))
        if not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise UserError(self.env._("Only a credit manager can override a credit block."))
        self.order_id.with_context(cc_override_reason=self.reason.strip()).action_confirm()
        return {"type": "ir.actions.act_window_close"}
