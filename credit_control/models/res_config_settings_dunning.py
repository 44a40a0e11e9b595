from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def action_cc_copy_default_policy(self):
        """Give the company a copy of the shipped French dunning policy, as its default one."""
        self.ensure_one()
        policy = self.env["credit.control.dunning.policy"]._copy_default_policy(self.company_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.control.dunning.policy",
            "res_id": policy.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
