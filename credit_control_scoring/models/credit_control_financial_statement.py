from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .scoring_rules import GEARING_NEGATIVE_EQUITY
from .scoring_rules import SOLVENCY_NO_DEBT
from .scoring_rules import financial_ratios


class CreditControlFinancialStatement(models.Model):
    """Key figures of a customer's annual accounts, entered or imported, and the ratios derived."""

    _name = "credit.control.financial.statement"
    _description = "Customer Financial Statement"
    _order = "partner_id, year desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the figures with every company.",
    )
    year = fields.Integer(
        string="Fiscal Year",
        required=True,
        default=lambda self: fields.Date.context_today(self).year - 1,
        help="Year in which the fiscal year closes.",
    )
    date_end = fields.Date(string="Closing Date")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id, string="Currency"
    )
    revenue = fields.Monetary(help="Revenue (chiffre d'affaires) of the fiscal year.")
    equity = fields.Monetary(help="Equity (capitaux propres) at closing; negative when the losses exceed the capital.")
    total_assets = fields.Monetary(help="Total assets (total du bilan) at closing.")
    total_debts = fields.Monetary(help="Total debts (dettes) at closing.")
    net_debt = fields.Monetary(help="Financial debts less cash (endettement net); negative when the cash is larger.")
    net_cash = fields.Monetary(help="Net cash (trésorerie nette) at closing.")
    net_result = fields.Monetary(string="Net Result", help="Net result (résultat net) of the fiscal year.")
    gearing = fields.Float(
        compute="_compute_ratios", store=True, digits=(16, 2), help="Net debt / equity (taux d'endettement net)."
    )
    solvency = fields.Float(
        compute="_compute_ratios",
        store=True,
        digits=(16, 2),
        help="Total assets / total debts (ratio de solvabilité générale).",
    )
    net_margin = fields.Float(
        string="Net Margin (%)", compute="_compute_ratios", store=True, digits=(16, 1), help="Net result / revenue."
    )
    ratio_notes = fields.Char(compute="_compute_ratios", store=True)
    source = fields.Char(help="Where the figures come from: published accounts, bureau, customer...")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("revenue", "equity", "total_assets", "total_debts", "net_debt", "net_result")
    def _compute_ratios(self):
        for statement in self:
            ratios = financial_ratios(
                revenue=statement.revenue,
                equity=statement.equity,
                total_assets=statement.total_assets,
                total_debts=statement.total_debts,
                net_debt=statement.net_debt,
                net_result=statement.net_result,
            )
            notes = []
            if ratios["gearing"] == GEARING_NEGATIVE_EQUITY:
                notes.append(self.env._("Equity zero or negative."))
            if ratios["solvency"] == SOLVENCY_NO_DEBT:
                notes.append(self.env._("No debts."))
            statement.gearing = ratios["gearing"] if ratios["gearing"] not in (None, GEARING_NEGATIVE_EQUITY) else 0.0
            statement.solvency = ratios["solvency"] if ratios["solvency"] not in (None, SOLVENCY_NO_DEBT) else 0.0
            statement.net_margin = ratios["net_margin"] or 0.0
            statement.ratio_notes = " ".join(notes) or False

    @api.constrains("year", "partner_id", "company_id")
    def _check_year(self):
        for statement in self:
            if not 1900 <= statement.year <= fields.Date.context_today(self).year + 1:
                raise ValidationError(self.env._("The fiscal year %(year)s is not a valid year.", year=statement.year))
            if statement.partner_id.parent_id and not statement.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "Financial statements belong to the company %(company)s, not to its contact %(contact)s.",
                        company=statement.partner_id.commercial_partner_id.display_name,
                        contact=statement.partner_id.display_name,
                    )
                )
            duplicates = self.search_count(
                [
                    ("id", "!=", statement.id),
                    ("partner_id", "=", statement.partner_id.id),
                    ("company_id", "=", statement.company_id.id),
                    ("year", "=", statement.year),
                ]
            )
            if duplicates:
                raise ValidationError(
                    self.env._(
                        "%(partner)s already has a financial statement for %(year)s.",
                        partner=statement.partner_id.display_name,
                        year=statement.year,
                    )
                )

    @api.depends("partner_id", "year")
    def _compute_display_name(self):
        for statement in self:
            statement.display_name = f"{statement.partner_id.display_name} {statement.year}"

    # ------------------------------------------------------------
    # CRUD: a change of the figures makes the customer's score out of date
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: mark the customers for rescoring
        statements = super().create(vals_list)
        statements.partner_id._cc_touch_scoring_data()
        return statements

    def write(self, vals):
        # OVERRIDE: mark the customers (old and new) for rescoring
        partners = self.partner_id
        result = super().write(vals)
        (partners | self.partner_id)._cc_touch_scoring_data()
        return result

    def unlink(self):
        # OVERRIDE: mark the customers for rescoring
        partners = self.partner_id
        result = super().unlink()
        partners._cc_touch_scoring_data()
        return result
