from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    cc_enabled = fields.Boolean(
        string="Credit Checks on Orders",
        default=True,
        help="Refuse to confirm sale orders of customers that break a credit rule.",
    )
    cc_warning_percent = fields.Float(
        string="Credit Warning Threshold (%)",
        default=80.0,
        help="A customer whose exposure passes this share of its usable limit is shown in warning.",
    )
    cc_block_invoice_posting = fields.Boolean(
        string="Block Invoices of Customers on Hold",
        help="Refuse to post customer invoices of customers on credit hold or in insolvency proceedings.",
    )

    @api.constrains("cc_warning_percent")
    def _check_cc_warning_percent(self):
        for company in self:
            if not 0 <= company.cc_warning_percent <= 100:
                raise ValidationError(self.env._("The credit warning threshold must be between 0 and 100 %."))
