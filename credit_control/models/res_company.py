from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .aging import check_periods


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

    cc_aging_period_1 = fields.Integer(
        string="Aging: End of 1st Period (days)",
        default=30,
        help="Aged balance: last day past due of the first period.",
    )
    cc_aging_period_2 = fields.Integer(string="Aging: End of 2nd Period (days)", default=60)
    cc_aging_period_3 = fields.Integer(
        string="Aging: End of 3rd Period (days)", default=90, help="Items past due for longer fall in the last period."
    )
    cc_default_margin_percent = fields.Float(
        string="Default Gross Margin (%)",
        default=25.0,
        help="Margin rate used by the KPI 'sales needed to make up the unpaid' (overdue / margin rate).",
    )

    @api.constrains("cc_aging_period_1", "cc_aging_period_2", "cc_aging_period_3")
    def _check_cc_aging_periods(self):
        for company in self:
            error = check_periods((company.cc_aging_period_1, company.cc_aging_period_2, company.cc_aging_period_3))
            if error:
                raise ValidationError(
                    self.env._(
                        "The aging periods must be positive numbers of days, each greater than the previous one "
                        "(now %(p1)s, %(p2)s, %(p3)s).",
                        p1=company.cc_aging_period_1,
                        p2=company.cc_aging_period_2,
                        p3=company.cc_aging_period_3,
                    )
                )

    @api.constrains("cc_default_margin_percent")
    def _check_cc_default_margin_percent(self):
        for company in self:
            if not 0 < company.cc_default_margin_percent <= 100:
                raise ValidationError(self.env._("The default gross margin must be above 0 and at most 100 %."))

    @api.constrains("cc_warning_percent")
    def _check_cc_warning_percent(self):
        for company in self:
            if not 0 <= company.cc_warning_percent <= 100:
                raise ValidationError(self.env._("The credit warning threshold must be between 0 and 100 %."))
