from odoo import api
from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'account': the cash a reconciliation collects earns commission, in the same transaction
        partials = super().create(vals_list)
        self.env["credit.control.commission.line"]._cc_collect(partials)
        return partials

    def unlink(self):
        # EXTENDS 'account': unreconciling gives back the commission the reconciliation earned
        if self:
            self.env["credit.control.commission.line"]._cc_reverse(self.ids)
        return super().unlink()
