from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cc_commission_period = fields.Selection(related="company_id.cc_commission_period", readonly=False)
    cc_commission_product_id = fields.Many2one(related="company_id.cc_commission_product_id", readonly=False)
    cc_commission_journal_id = fields.Many2one(related="company_id.cc_commission_journal_id", readonly=False)
    cc_commission_expense_account_id = fields.Many2one(
        related="company_id.cc_commission_expense_account_id", readonly=False
    )
    cc_commission_accrued_account_id = fields.Many2one(
        related="company_id.cc_commission_accrued_account_id", readonly=False
    )
    cc_commission_auto_accrual = fields.Boolean(related="company_id.cc_commission_auto_accrual", readonly=False)
