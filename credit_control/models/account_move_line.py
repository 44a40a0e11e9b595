from odoo import fields
from odoo import models
from odoo.tools import create_index


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # ------------------------------------------------------------
    # FIELDS: dunning (written by the dunning run)
    # ------------------------------------------------------------

    cc_dunning_level_id = fields.Many2one(
        "credit.control.dunning.level", string="Last Dunning Level", readonly=True, copy=False, index="btree_not_null"
    )
    cc_dunning_date = fields.Date(string="Last Dunning Date", readonly=True, copy=False)
    cc_dunning_line_ids = fields.One2many("credit.control.dunning.line", "move_line_id", string="Dunning History")
    cc_reclass_of_line_id = fields.Many2one(
        "account.move.line",
        string="Reclassified Installment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="On a doubtful-receivable entry: the customer installment this line moves to the doubtful "
        "account; both are matched when the entry is posted.",
    )

    def init(self):
        # EXTENDS 'account': the dunning run reads the open receivables of a company by due date
        res = super().init()
        create_index(
            self.env.cr,
            indexname="account_move_line_cc_dunning_idx",
            tablename="account_move_line",
            expressions=["company_id", "date_maturity"],
            where="amount_residual > 0 AND parent_state = 'posted' AND reconciled IS NOT TRUE",
        )
        return res
