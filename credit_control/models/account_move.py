from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # EXTENDS 'account': optionally refuse invoices of customers on hold or insolvent
        for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.company_id.cc_block_invoice_posting):
            partner = move.commercial_partner_id.with_company(move.company_id)
            if partner.cc_hold or partner.cc_insolvency:
                raise UserError(
                    self.env._(
                        "The invoice %(invoice)s cannot be posted: %(partner)s is on credit hold or in "
                        "insolvency proceedings. A credit manager must lift the hold first.",
                        invoice=move.display_name,
                        partner=partner.display_name,
                    )
                )
        return super()._post(soft=soft)
