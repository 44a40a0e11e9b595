from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cc_enabled = fields.Boolean(related="company_id.cc_enabled", readonly=False)
    cc_warning_percent = fields.Float(related="company_id.cc_warning_percent", readonly=False)
    cc_block_invoice_posting = fields.Boolean(related="company_id.cc_block_invoice_posting", readonly=False)
    cc_aging_period_1 = fields.Integer(related="company_id.cc_aging_period_1", readonly=False)
    cc_aging_period_2 = fields.Integer(related="company_id.cc_aging_period_2", readonly=False)
    cc_aging_period_3 = fields.Integer(related="company_id.cc_aging_period_3", readonly=False)
    cc_default_margin_percent = fields.Float(related="company_id.cc_default_margin_percent", readonly=False)
