from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cc_enabled = fields.Boolean(related="company_id.cc_enabled", readonly=False)
    cc_warning_percent = fields.Float(related="company_id.cc_warning_percent", readonly=False)
    cc_block_invoice_posting = fields.Boolean(related="company_id.cc_block_invoice_posting", readonly=False)
