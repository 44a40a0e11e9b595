from odoo import fields
from odoo import models

COMMISSION_PERIODS = [("month", "Monthly"), ("quarter", "Quarterly"), ("semester", "Half-Yearly"), ("year", "Yearly")]


class ResCompany(models.Model):
    _inherit = "res.company"

    cc_commission_period = fields.Selection(
        COMMISSION_PERIODS,
        string="Commission Period",
        default="month",
        required=True,
        help="Commissions are settled per period; tiers and caps apply to the cash collected in a period.",
    )
    cc_commission_product_id = fields.Many2one(
        "product.product",
        string="Commission Product",
        check_company=True,
        help="Service product of the vendor bills of the agents' commissions (its expense account and taxes).",
    )
    cc_commission_journal_id = fields.Many2one(
        "account.journal",
        string="Accrued Commissions Journal",
        check_company=True,
        domain=[("type", "=", "general")],
    )
    cc_commission_expense_account_id = fields.Many2one(
        "account.account", string="Commission Expense Account", check_company=True
    )
    cc_commission_accrued_account_id = fields.Many2one(
        "account.account",
        string="Accrued Commissions Account",
        check_company=True,
        help="Liability account crediting the commissions due to employees until payroll pays them.",
    )
    cc_commission_auto_accrual = fields.Boolean(
        string="Accrue Employee Commissions on Validation",
        help="Validating an employee's settlement posts the accrued-commissions entry.",
    )
