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
    cc_dso_days = fields.Integer(
        string="Customer DSO Period (days)",
        default=90,
        help="Customer Credit report: the sales of this many days up to today give each customer's simple "
        "DSO (open receivables / sales of the period x its days).",
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

    # dunning and late-payment penalties (French defaults: Code de commerce L441-10, D441-5)
    cc_dunning_policy_id = fields.Many2one(
        "credit.control.dunning.policy",
        string="Default Dunning Policy",
        help="Policy of the customers whose risk class has none and that have none of their own.",
    )
    cc_penalty_interest = fields.Boolean(
        string="Late-Payment Interest",
        default=True,
        help="Compute late-payment interest on overdue installments (shown on the letters of the levels "
        "that apply penalties).",
    )
    cc_penalty_rate_mode = fields.Selection(
        [("table", "Dated table of rates"), ("fixed", "Fixed contractual rate")],
        string="Interest Rate",
        default="table",
        required=True,
        help="Table: the rate of the half-year (ECB refinancing rate + 10 points in France). Fixed: the rate "
        "of your terms of sale.",
    )
    cc_penalty_fixed_rate = fields.Float(string="Contractual Rate (%)", digits=(16, 3))
    cc_penalty_days_in_year = fields.Integer(
        string="Days per Year", default=365, help="Interest = amount x rate x days late / days per year."
    )
    cc_penalty_indemnity = fields.Boolean(
        string="Flat Recovery Indemnity",
        default=True,
        help="Claim the flat indemnity for recovery costs per late invoice, business customers only.",
    )
    cc_penalty_indemnity_amount = fields.Float(
        string="Indemnity per Invoice", digits="Account", default=40.0, help="40 EUR in France (D441-5)."
    )
    cc_penalty_interest_product_id = fields.Many2one(
        "product.product", string="Interest Product", help="Product of the interest lines of penalty invoices."
    )
    cc_penalty_indemnity_product_id = fields.Many2one(
        "product.product", string="Indemnity Product", help="Product of the indemnity lines of penalty invoices."
    )
    # litigation: reclassification of the receivable as doubtful (French PCG 416) and its provision
    cc_doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful Receivables Account",
        help="Receivable account of doubtful or disputed customers (416 in the French chart).",
    )
    cc_provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Provision Expense Account",
        help="Expense of the provision for doubtful receivables (6817 in the French chart).",
    )
    cc_provision_account_id = fields.Many2one(
        "account.account",
        string="Provision Account",
        help="Provision for doubtful receivables (491 in the French chart).",
    )
    cc_litigation_journal_id = fields.Many2one(
        "account.journal",
        string="Reclassification Journal",
        domain="[('type', '=', 'general')]",
        help="Miscellaneous journal of the doubtful-receivable entries.",
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

    @api.constrains("cc_dso_days")
    def _check_cc_dso_days(self):
        for company in self:
            if not 1 <= company.cc_dso_days <= 3660:
                raise ValidationError(self.env._("The customer DSO period must be between 1 and 3,660 days."))

    @api.constrains("cc_warning_percent")
    def _check_cc_warning_percent(self):
        for company in self:
            if not 0 <= company.cc_warning_percent <= 100:
                raise ValidationError(self.env._("The credit warning threshold must be between 0 and 100 %."))
