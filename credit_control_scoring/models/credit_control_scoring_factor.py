from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .scoring_rules import STANDARD_FACTORS

FACTORS = [
    ("avg_days_late", "Average Days Late"),
    ("late_share", "Invoices Paid Late"),
    ("overdue_share", "Overdue Share"),
    ("dunning_level", "Highest Dunning Level"),
    ("disputes", "Disputes"),
    ("broken_promises", "Broken Promises to Pay"),
    ("payment_plans", "Payment Plans"),
    ("account_age", "Customer Account Age"),
    ("exposure_ratio", "Exposure vs. Purchases"),
    ("concentration", "Share of Our Receivables"),
    ("revenue", "Revenue"),
    ("gearing", "Gearing"),
    ("solvency", "Solvency"),
    ("net_margin", "Net Margin"),
    ("company_age", "Company Age"),
    ("sector", "Sector Risk"),
    ("bureau_score", "Bureau Score"),
    ("insolvency", "Insolvency Proceedings"),
]

FACTOR_GROUPS = [
    ("payment", "Payment Behaviour"),
    ("relationship", "Relationship"),
    ("financial", "Financial Data"),
    ("external", "External Data"),
]


class CreditControlScoringFactor(models.Model):
    """One weighted factor of a scoring model; its bands map the measured value to 0-100 points."""

    _name = "credit.control.scoring.factor"
    _description = "Credit Scoring Factor"
    _order = "model_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    model_id = fields.Many2one("credit.control.scoring.model", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="model_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    factor = fields.Selection(FACTORS, required=True)
    group = fields.Selection(FACTOR_GROUPS, compute="_compute_group")
    unit = fields.Char(compute="_compute_group", help="Unit of the measured value the bands apply to.")
    weight = fields.Float(
        default=10.0,
        required=True,
        help="Relative weight of this factor in the score. A factor without data for a customer is "
        "left out and its weight lowers the confidence of that customer's score.",
    )
    weight_percent = fields.Float(string="Weight (%)", compute="_compute_weight_percent", digits=(16, 1))
    band_ids = fields.One2many("credit.control.scoring.band", "factor_id", string="Bands", copy=True)
    band_summary = fields.Char(string="Bands Summary", compute="_compute_band_summary")

    _sql_constraints = [
        ("factor_model_uniq", "unique(model_id, factor)", "A factor appears only once in a scoring model."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("factor")
    def _compute_group(self):
        registry = self.env["credit.control.scoring.measure"]._scoring_factor_measures()
        units = self._unit_labels()
        for factor in self:
            entry = registry.get(factor.factor) or {}
            factor.group = entry.get("group")
            factor.unit = units.get(entry.get("unit"), entry.get("unit") or "")

    @api.depends("weight", "model_id.factor_ids.weight")
    def _compute_weight_percent(self):
        for factor in self:
            total = sum(factor.model_id.factor_ids.mapped("weight"))
            factor.weight_percent = 100.0 * factor.weight / total if total else 0.0

    @api.depends("band_ids.lower_bound", "band_ids.points", "band_ids.max_score")
    def _compute_band_summary(self):
        for factor in self:
            parts = []
            for band in factor.band_ids.sorted("lower_bound"):
                text = f"≥ {band.lower_bound:g}: {band.points:g}"
                if band.max_score < 100:
                    text += f" (≤ {band.max_score:g})"
                parts.append(text)
            factor.band_summary = " · ".join(parts)

    @api.depends("factor")
    def _compute_display_name(self):
        labels = dict(self._fields["factor"]._description_selection(self.env))
        for factor in self:
            factor.display_name = labels.get(factor.factor, factor.factor or "")

    @api.constrains("weight")
    def _check_weight(self):
        for factor in self:
            if factor.weight <= 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the factor %(factor)s must be positive; remove the factor instead.",
                        factor=factor.display_name,
                    )
                )

    @api.constrains("band_ids")
    def _check_bands(self):
        for factor in self:
            if not factor.band_ids:
                raise ValidationError(
                    self.env._(
                        "The factor %(factor)s of the model %(model)s needs at least one band.",
                        factor=factor.display_name,
                        model=factor.model_id.name,
                    )
                )

    @api.onchange("factor")
    def _onchange_factor(self):
        if self.factor in STANDARD_FACTORS and not self.band_ids:
            weight, bands = STANDARD_FACTORS[self.factor]
            self.weight = weight
            self.band_ids = [Command.create(vals) for vals in self._standard_band_vals(bands)]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: a standard factor created without bands gets the standard ones
        for vals in vals_list:
            if not vals.get("band_ids") and vals.get("factor") in STANDARD_FACTORS:
                weight, bands = STANDARD_FACTORS[vals["factor"]]
                vals.setdefault("weight", weight)
                vals["band_ids"] = [Command.create(band) for band in self._standard_band_vals(bands)]
        return super().create(vals_list)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _standard_band_vals(self, bands):
        return [
            {"lower_bound": band[0], "points": band[1], "max_score": band[2] if len(band) > 2 else 100.0}
            for band in bands
        ]

    def _unit_labels(self):
        _ = self.env._
        return {
            "days": _("days"),
            "%": "%",
            "level": _("level"),
            "count": _("number"),
            "months": _("months"),
            "years": _("years"),
            "amount": _("amount in company currency"),
            "ratio": _("ratio"),
            "score": _("bureau score"),
            "flag": _("1 = yes, 0 = no"),
        }

    def _bands_tuples(self):
        """[(lower bound, points, cap or None)] of this factor, by lower bound."""
        self.ensure_one()
        return sorted(
            (band.lower_bound, band.points, band.max_score if band.max_score < 100 else None) for band in self.band_ids
        )


class CreditControlScoringBand(models.Model):
    """From a lower bound on, the measured value gives these points (and may cap the score)."""

    _name = "credit.control.scoring.band"
    _description = "Credit Scoring Band"
    _order = "factor_id, lower_bound"

    factor_id = fields.Many2one("credit.control.scoring.factor", required=True, ondelete="cascade", index=True)
    lower_bound = fields.Float(
        string="From",
        digits=(16, 4),
        help="The band applies from this value (included) up to the next band's value. A value below "
        "every band takes the lowest band.",
    )
    points = fields.Float(required=True, help="Points from 0 (worst) to 100 (best).")
    max_score = fields.Float(
        string="Score Cap",
        default=100.0,
        help="The total score cannot exceed this value when the factor falls in this band "
        "(e.g. 0 for insolvency proceedings). 100 means no cap.",
    )

    _sql_constraints = [
        ("bound_uniq", "unique(factor_id, lower_bound)", "Two bands of a factor cannot start at the same value."),
    ]

    @api.constrains("points", "max_score")
    def _check_points(self):
        for band in self:
            if not 0 <= band.points <= 100 or not 0 <= band.max_score <= 100:
                raise ValidationError(
                    self.env._(
                        "Points and score caps are between 0 and 100 (factor %(factor)s, band from %(bound)s).",
                        factor=band.factor_id.display_name,
                        bound=band.lower_bound,
                    )
                )
