from odoo import models
from odoo.tools.sql import create_index


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        # EXTENDS 'account': the scoring reads the installments (receivable lines of the invoices,
        # display_type 'payment_term') of a chunk of customers; by the partner index it would read
        # every product and tax line of those customers too
        res = super().init()
        create_index(
            self.env.cr,
            indexname="account_move_line_cc_installment_partner_idx",
            tablename="account_move_line",
            expressions=["partner_id"],
            where="display_type = 'payment_term'",
        )
        return res
