from datetime import date

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .penalties import half_year_start


class CreditControlPenaltyRate(models.Model):
    """Dated table of the late-payment interest rate: in France, the ECB main refinancing rate of
    the half-year plus 10 points (Code de commerce L441-10)."""

    _name = "credit.control.penalty.rate"
    _description = "Late-Payment Interest Rate"
    _order = "date_start desc, company_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    date_start = fields.Date(
        string="Applies From",
        required=True,
        default=lambda self: half_year_start(fields.Date.context_today(self)),
        help="The rate applies from this day until the start of the next row (1 January and 1 July in France).",
    )
    reference_rate = fields.Float(
        string="Reference Rate (%)",
        digits=(16, 3),
        help="ECB main refinancing rate on the first day of the half-year.",
    )
    margin = fields.Float(string="Margin (points)", digits=(16, 3), default=10.0)
    rate = fields.Float(
        string="Annual Rate (%)", digits=(16, 3), compute="_compute_rate", store=True, help="Reference rate + margin."
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty for a rate shared by every company (the legal French rate)."
    )
    note = fields.Char(help="Source of the rate, e.g. the Banque de France notice.")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("reference_rate", "margin")
    def _compute_rate(self):
        for row in self:
            row.rate = row.reference_rate + row.margin

    @api.depends("date_start", "rate")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._("%(rate)s %% from %(date)s", rate=round(row.rate, 3), date=row.date_start)

    @api.constrains("date_start", "company_id", "reference_rate", "margin")
    def _check_rate(self):
        for row in self:
            if row.rate < 0:
                raise ValidationError(self.env._("A late-payment interest rate cannot be negative."))
            twins = self.search_count(
                [("date_start", "=", row.date_start), ("company_id", "=", row.company_id.id), ("id", "!=", row.id)]
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "There is already a late-payment rate from %(date)s for this company.", date=row.date_start
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _get_rates(self, company):
        """``[(date_start, rate_percent)]`` sorted by date for ``company``: the company's own rows
        win over the shared rows of the same date; a fixed contractual rate replaces the table."""
        if company.cc_penalty_rate_mode == "fixed":
            return [(date.min, company.cc_penalty_fixed_rate)]
        rows = (
            self.sudo()
            .search_fetch(
                [("company_id", "in", [company.id, False])], ["date_start", "rate", "company_id"], order="date_start"
            )
            .sorted(lambda r: (r.date_start, bool(r.company_id)))
        )
        by_date = {}
        for row in rows:
            by_date[row.date_start] = row.rate
        return sorted(by_date.items())
