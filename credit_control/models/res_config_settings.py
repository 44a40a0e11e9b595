from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cc_enabled = fields.Boolean(related="company_id.cc_enabled", readonly=False)
    cc_warning_percent = fields.Float(related="company_id.cc_warning_percent", readonly=False)
    cc_dso_days = fields.Integer(related="company_id.cc_dso_days", readonly=False)
    cc_block_invoice_posting = fields.Boolean(related="company_id.cc_block_invoice_posting", readonly=False)
    cc_aging_period_1 = fields.Integer(related="company_id.cc_aging_period_1", readonly=False)
    cc_aging_period_2 = fields.Integer(related="company_id.cc_aging_period_2", readonly=False)
    cc_aging_period_3 = fields.Integer(related="company_id.cc_aging_period_3", readonly=False)
    cc_default_margin_percent = fields.Float(related="company_id.cc_default_margin_percent", readonly=False)
    # dunning, penalties and litigation
    cc_dunning_policy_id = fields.Many2one(
        related="company_id.cc_dunning_policy_id", readonly=False, domain="[('company_id', '=', company_id)]"
    )
    cc_penalty_interest = fields.Boolean(related="company_id.cc_penalty_interest", readonly=False)
    cc_penalty_rate_mode = fields.Selection(related="company_id.cc_penalty_rate_mode", readonly=False)
    cc_penalty_fixed_rate = fields.Float(related="company_id.cc_penalty_fixed_rate", readonly=False)
    cc_penalty_days_in_year = fields.Integer(related="company_id.cc_penalty_days_in_year", readonly=False)
    cc_penalty_indemnity = fields.Boolean(related="company_id.cc_penalty_indemnity", readonly=False)
    cc_penalty_indemnity_amount = fields.Float(related="company_id.cc_penalty_indemnity_amount", readonly=False)
    cc_penalty_interest_product_id = fields.Many2one(
        related="company_id.cc_penalty_interest_product_id", readonly=False
    )
    cc_penalty_indemnity_product_id = fields.Many2one(
        related="company_id.cc_penalty_indemnity_product_id", readonly=False
    )
    cc_doubtful_account_id = fields.Many2one(
        related="company_id.cc_doubtful_account_id", readonly=False, domain="[('company_ids', 'in', company_id)]"
    )
    cc_provision_expense_account_id = fields.Many2one(
        related="company_id.cc_provision_expense_account_id",
        readonly=False,
        domain="[('company_ids', 'in', company_id)]",
    )
    cc_provision_account_id = fields.Many2one(
        related="company_id.cc_provision_account_id", readonly=False, domain="[('company_ids', 'in', company_id)]"
    )
    cc_litigation_journal_id = fields.Many2one(
        related="company_id.cc_litigation_journal_id",
        readonly=False,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
    )
