from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import split_every

from odoo.addons.credit_control.models.pg import without_jit

from .credit_control_score import LineBuffer
from .credit_control_scoring_measure import MeasureContext
from .scoring_rules import STANDARD_FACTORS
from .scoring_rules import STANDARD_THRESHOLDS
from .scoring_rules import band_for
from .scoring_rules import class_for_score
from .scoring_rules import combine
from .scoring_rules import recommended_limit

# customers scored per chunk (system parameter credit_control_scoring.chunk_size)
CHUNK_SIZE = 5000
CHUNK_SIZE_PARAM = "credit_control_scoring.chunk_size"

DECISION_MODES = [("review", "Propose for Review"), ("auto", "Apply Automatically")]
LIMIT_METHODS = [("class", "Risk Class Default"), ("formula", "Formula")]


class CreditControlScoringModel(models.Model):
    """How customers are scored (weighted factors and their bands) and what the score decides
    (risk class through thresholds, credit limit through a formula, deposit through the class)."""

    _name = "credit.control.scoring.model"
    _inherit = ["mail.thread"]
    _description = "Credit Scoring Model"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_default = fields.Boolean(
        string="Default Model",
        tracking=True,
        help="Scores the customers of the company that have no scoring model of their own. One per company.",
    )
    factor_ids = fields.One2many("credit.control.scoring.factor", "model_id", string="Factors", copy=True)
    threshold_ids = fields.One2many("credit.control.scoring.threshold", "model_id", string="Thresholds", copy=True)
    window_months = fields.Integer(
        string="Payment Window (months)",
        default=12,
        required=True,
        tracking=True,
        help="Payment behaviour and purchases are measured over this many months up to today.",
    )
    hysteresis_margin = fields.Float(
        string="Class Margin (points)",
        default=5.0,
        tracking=True,
        help="A customer keeps its risk class while its score stays within this many points of the "
        "class's band, so that a score on a boundary does not change the class every day.",
    )
    min_confidence = fields.Float(
        string="Minimum Confidence (%)",
        default=50.0,
        tracking=True,
        help="Below this confidence (share of the factors' weight that could be measured), the score "
        "is recorded but no change of class, limit or deposit is proposed.",
    )
    decision_mode = fields.Selection(
        DECISION_MODES,
        default="review",
        required=True,
        tracking=True,
        help="Apply automatically: a new class, limit or deposit is written on the customer at once. "
        "Propose for review: a credit manager accepts or rejects each change in the review list.",
    )
    limit_method = fields.Selection(
        LIMIT_METHODS,
        string="Credit Limit",
        default="formula",
        required=True,
        tracking=True,
        help="Risk class default: the customer takes the default limit of its class. Formula: the "
        "customer gets its own limit, a share of its revenue capped by its average monthly purchases x "
        "its payment term.",
    )
    limit_revenue_percent = fields.Float(
        string="Share of Revenue (%)",
        default=10.0,
        tracking=True,
        help="The limit is at most this share of the customer's latest revenue.",
    )
    limit_purchase_factor = fields.Float(
        string="Purchases Factor",
        default=1.5,
        tracking=True,
        help="The limit is at most the average monthly purchases x the payment term in months x this factor.",
    )
    limit_term_days = fields.Integer(
        string="Default Payment Term (days)",
        default=30,
        tracking=True,
        help="Payment term of the formula for customers without payment terms.",
    )
    limit_cap_by_class = fields.Boolean(
        string="Capped by Class Limit",
        default=True,
        tracking=True,
        help="The recommended limit never exceeds the default limit of the recommended class.",
    )
    limit_rounding = fields.Float(
        string="Round Down To",
        default=100.0,
        tracking=True,
        help="The recommended limit is rounded down to a multiple of this amount.",
    )
    financial_max_age_years = fields.Integer(
        string="Financial Data Valid (years)",
        default=2,
        tracking=True,
        help="Financial statements of years older than this are ignored (missing).",
    )
    bureau_max_age_months = fields.Integer(
        string="Bureau Score Valid (months)",
        default=12,
        tracking=True,
        help="Bureau scores older than this are ignored (missing).",
    )
    rescore_days = fields.Integer(
        string="Rescore At Least Every (days)",
        default=30,
        tracking=True,
        help="The daily scheduled action rescores a customer whose data changed, and any customer whose "
        "latest score is older than this.",
    )
    total_weight = fields.Float(compute="_compute_counts")
    score_count = fields.Integer(compute="_compute_counts")
    review_count = fields.Integer(compute="_compute_counts")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("factor_ids.weight")
    def _compute_counts(self):
        Score = self.env["credit.control.score"]
        scores = dict(Score._read_group([("model_id", "in", self.ids)], ["model_id"], ["__count"]))
        reviews = dict(
            Score._read_group([("model_id", "in", self.ids), ("state", "=", "to_review")], ["model_id"], ["__count"])
        )
        for model in self:
            model.total_weight = sum(model.factor_ids.mapped("weight"))
            model.score_count = scores.get(model, 0)
            model.review_count = reviews.get(model, 0)

    @api.constrains(
        "window_months",
        "hysteresis_margin",
        "min_confidence",
        "limit_revenue_percent",
        "limit_purchase_factor",
        "limit_term_days",
        "limit_rounding",
        "financial_max_age_years",
        "bureau_max_age_months",
        "rescore_days",
    )
    def _check_parameters(self):
        _ = self.env._
        for model in self:
            problems = []
            if not 1 <= model.window_months <= 60:
                problems.append(_("the payment window is between 1 and 60 months"))
            if model.hysteresis_margin < 0 or model.hysteresis_margin > 50:
                problems.append(_("the class margin is between 0 and 50 points"))
            if not 0 <= model.min_confidence <= 100:
                problems.append(_("the minimum confidence is between 0 and 100 %"))
            if model.limit_revenue_percent < 0 or model.limit_purchase_factor < 0:
                problems.append(_("the share of revenue and the purchases factor cannot be negative"))
            if model.limit_term_days < 0 or model.limit_rounding < 0:
                problems.append(_("the payment term and the rounding cannot be negative"))
            if model.financial_max_age_years < 0 or model.bureau_max_age_months < 1 or model.rescore_days < 1:
                problems.append(_("the validity of data and the rescoring interval must be positive"))
            if problems:
                raise ValidationError(
                    _("Scoring model %(model)s: %(problems)s.", model=model.name, problems="; ".join(problems))
                )

    @api.constrains("threshold_ids")
    def _check_thresholds(self):
        for model in self:
            if model.threshold_ids and min(model.threshold_ids.mapped("min_score")) != 0:
                raise ValidationError(
                    self.env._(
                        "The thresholds of the scoring model %(model)s must start at 0 so that every score "
                        "has a risk class.",
                        model=model.name,
                    )
                )

    @api.constrains("is_default", "company_id", "active")
    def _check_one_default(self):
        for company in self.filtered("is_default").company_id:
            if self.search_count([("company_id", "=", company.id), ("is_default", "=", True)]) > 1:
                raise ValidationError(
                    self.env._("The company %(company)s already has a default scoring model.", company=company.name)
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: the new default model replaces the previous default of its company
        for vals in vals_list:
            if vals.get("is_default"):
                company_id = vals.get("company_id") or self.env.company.id
                self.search([("company_id", "=", company_id), ("is_default", "=", True)]).is_default = False
        return super().create(vals_list)

    def write(self, vals):
        # OVERRIDE: the new default model replaces the previous default of its company
        if vals.get("is_default"):
            companies = self.env["res.company"].browse(vals.get("company_id")) or self.company_id
            self.search(
                [("company_id", "in", companies.ids), ("is_default", "=", True), ("id", "not in", self.ids)]
            ).is_default = False
        return super().write(vals)

    def copy_data(self, default=None):
        # EXTENDS 'base': a copy is never the default model
        vals_list = super().copy_data(default=default)
        for model, vals in zip(self, vals_list, strict=True):
            vals["name"] = self.env._("%(name)s (copy)", name=model.name)
            vals["is_default"] = False
        return vals_list

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_score_customers(self):
        """Score now every customer this model scores."""
        self.ensure_one()
        self._check_manager()
        customers = self._scoring_customers(self.company_id)
        partners = self._partners_by_model(customers, self.company_id).get(self, self.env["res.partner"])
        scores = self._score_partners(partners)
        return self._notify(
            self.env._("%(count)s customers scored with %(model)s.", count=len(scores), model=self.name)
        )

    def action_open_scores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_control_scoring.credit_control_score_action")
        action["domain"] = [("model_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_review(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control_scoring.credit_control_score_review_action"
        )
        action["domain"] = [("model_id", "=", self.id), ("state", "=", "to_review")]
        return action

    # ------------------------------------------------------------
    # BUSINESS: scoring
    # ------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(self.env._("Only credit managers can run scoring models and apply their decisions."))

    def _notify(self, message, kind="success"):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _scoring_customers(self, company):
        """The customers to score in ``company``: commercial entities with a customer rank."""
        return (
            self.env["res.partner"]
            .with_company(company)
            .search(
                [
                    ("customer_rank", ">", 0),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                    ("company_id", "in", [False, company.id]),
                ]
            )
        )

    @api.model
    def _partners_by_model(self, partners, company):
        """{scoring model: partners} for ``company``: each partner's own model, else the default."""
        default = self.search([("company_id", "=", company.id), ("is_default", "=", True)], limit=1)
        if not partners:
            return {}
        # one query for every customer (the ORM would load the ~200 fields of each: +600 MB for
        # 100,000 customers)
        Partner = self.env["res.partner"].with_company(company)
        Partner.flush_model(["commercial_partner_id", "cc_scoring_model_id"])
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT cp.id, %s FROM res_partner p
                     JOIN res_partner cp ON cp.id = p.commercial_partner_id
                    WHERE p.id = ANY(%s) ORDER BY cp.id""",
                Partner._field_to_sql("cp", "cc_scoring_model_id"),
                partners.ids,
            )
        )
        rows = self.env.cr.fetchall()
        existing = set(self.browse({model_id for _partner_id, model_id in rows if model_id}).exists().ids)
        groups = defaultdict(list)
        for partner_id, model_id in rows:
            model_id = model_id if model_id in existing else default.id
            if model_id:
                groups[model_id].append(partner_id)
        return {self.browse(model_id): self.env["res.partner"].browse(ids) for model_id, ids in groups.items()}

    @api.model
    def _cron_score_changed_customers(self):
        """Daily: in every company, rescore the customers whose scoring data changed since their
        latest score (or that were never scored, or not for ``rescore_days``)."""
        for company in self.env["res.company"].sudo().search([]):
            # a system job: every company, whatever the companies of the user running it
            Model = self.sudo().with_company(company)
            customers = Model._scoring_customers(company)
            for model, partners in Model._partners_by_model(customers, company).items():
                changed = model._changed_partner_ids(partners.ids)
                if changed:
                    model._score_partners(model.env["res.partner"].browse(changed))

    def _changed_partner_ids(self, partner_ids):
        """Ids among ``partner_ids`` to rescore: never scored in the company, data changed since
        their latest score, or latest score older than ``rescore_days``. One query."""
        self.ensure_one()
        if not partner_ids:
            return []
        Measure = self.env["credit.control.scoring.measure"].with_company(self.company_id)
        Measure._flush_sources()
        self.env["credit.control.score"].flush_model()
        events = SQL(" UNION ALL ").join(Measure._scoring_change_queries(self.company_id, partner_ids))
        self.env.cr.execute(
            SQL(
                """
                WITH events(partner_id, changed_at) AS (%(events)s),
                last AS (
                    SELECT partner_id, MAX(date) AS scored_at
                      FROM credit_control_score
                     WHERE company_id = %(company_id)s AND partner_id = ANY(%(ids)s)
                     GROUP BY partner_id
                ),
                latest AS (SELECT partner_id, MAX(changed_at) AS changed_at FROM events GROUP BY partner_id)
                SELECT c.id
                  FROM unnest(%(ids)s) AS c(id)
                  LEFT JOIN last ON last.partner_id = c.id
                  LEFT JOIN latest ON latest.partner_id = c.id
                 WHERE last.scored_at IS NULL
                    OR latest.changed_at > last.scored_at
                    OR last.scored_at < %(stale_before)s
                 ORDER BY c.id
                """,
                events=events,
                company_id=self.company_id.id,
                ids=list(partner_ids),
                stale_before=fields.Datetime.now() - timedelta(days=self.rescore_days),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _score_partners(self, partners):
        """Score ``partners`` (their commercial entities) with this model, record the scores with
        their factor lines, and apply or propose the decisions. Returns the new scores.

        Set-based: one query per factor for a chunk of customers (system parameter
        ``credit_control_scoring.chunk_size``, 5,000 by default), whatever the history; the
        memory used stays that of one chunk."""
        self.ensure_one()
        company = self.company_id
        partners = partners.with_env(self.env)
        partners.fetch(["commercial_partner_id"])  # not the ~200 other fields of 10,000 customers
        partners = partners.commercial_partner_id
        Score = self.env["credit.control.score"].sudo()
        if not partners:
            return Score
        if not self.factor_ids:
            raise UserError(self.env._("The scoring model %(model)s has no factor.", model=self.name))
        registry = self.env["credit.control.scoring.measure"]._scoring_factor_measures()
        unknown = [f.display_name for f in self.factor_ids if f.factor not in registry]
        if unknown:
            raise UserError(
                self.env._("No measure is installed for the factors %(factors)s.", factors=", ".join(unknown))
            )
        chunk_size = int(self.env["ir.config_parameter"].sudo().get_param(CHUNK_SIZE_PARAM, 0) or 0) or CHUNK_SIZE
        today = fields.Date.context_today(self)
        partner_ids = partners.ids
        run = {
            "today": today,
            "now": fields.Datetime.now(),
            "shared": {"several_chunks": len(partner_ids) > chunk_size},
        }
        score_ids = []
        # the measures aggregate a chunk's history: no seconds of JIT compilation for them
        with without_jit(self.env.cr):
            for chunk in split_every(chunk_size, partner_ids):
                score_ids += self.with_company(company)._score_chunk(list(chunk), run)
                if len(partner_ids) > chunk_size:
                    # keep the memory of one chunk: nothing of the previous chunks is needed again
                    self.env.invalidate_all()
        return Score.browse(score_ids)

    def _score_chunk(self, partner_ids, run):
        """Measure, combine, record and decide for one chunk of commercial partners. Returns the
        ids of the new scores."""
        company = self.company_id
        Measure = self.env["credit.control.scoring.measure"].with_company(company)
        registry = Measure._scoring_factor_measures()
        Measure._flush_sources()
        partners = self.env["res.partner"].browse(partner_ids).with_company(company)
        factors = self.factor_ids
        ctx = MeasureContext(
            company=company,
            scoring_model=self,
            partner_ids=partner_ids,
            today=run["today"],
            date_from=run["today"] - relativedelta(months=self.window_months),
            months=self.window_months,
            shared=run["shared"],
        )
        # plain lists: this loop runs once per customer and factor
        specs = [
            (
                factor.factor,
                factor.weight,
                factor._bands_tuples(),
                getattr(Measure, registry[factor.factor]["measure"])(ctx),
            )
            for factor in factors
        ]
        facts = self._decision_facts(ctx, partners)
        date = fields.Datetime.to_string(run["now"])
        company_id, currency_id, model_id = company.id, company.currency_id.id, self.id

        Score = self.env["credit.control.score"].sudo()
        score_ids = Score._reserve_ids(len(partner_ids))
        score_rows, lines = [], LineBuffer()
        for partner_id, score_id in zip(partner_ids, score_ids, strict=True):
            rows, partner_lines = [], []
            for code, weight, bands, measured in specs:
                details = measured.get(partner_id)
                band = band_for(bands, details["value"], ordered=True) if details is not None else None
                rows.append({"weight": weight, "points": band[1] if band else None, "cap": band[2] if band else None})
                partner_lines.append((code, weight, details, band))
            combined = combine(rows)
            for (code, weight, details, band), contribution in zip(
                partner_lines, combined["contributions"], strict=True
            ):
                lines.add(
                    score_id,
                    code,
                    weight,
                    details is None,
                    details["value"] if details is not None else 0.0,
                    band[1] if band else 0.0,
                    band[2] if band and band[2] is not None else 100.0,
                    round(contribution, 1) if contribution is not None else 0.0,
                    details,
                )
            score_row = {
                "id": score_id,
                "partner_id": partner_id,
                "company_id": company_id,
                "currency_id": currency_id,
                "model_id": model_id,
                "date": date,
                "score": round(combined["score"], 1) if combined["score"] is not None else 0.0,
                "confidence": round(combined["confidence"], 1),
                "capped": combined["cap"] is not None,
                "kept_by_margin": False,
                "raw_risk_class_id": None,
            }
            score_row.update(self._decide(partner_id, combined, facts))
            score_rows.append(score_row)

        Score.search(
            [("partner_id", "in", partner_ids), ("company_id", "=", company.id), ("state", "=", "to_review")]
        ).write({"state": "superseded"})
        Score._insert_scores(score_rows)
        self.env["credit.control.score.line"]._insert_lines(lines)
        if self.decision_mode == "auto":
            Score.browse(score_ids).filtered(lambda s: s.state == "to_review")._apply(automatic=True)
        return score_ids

    # ------------------------------------------------------------
    # BUSINESS: decisions
    # ------------------------------------------------------------

    def _decision_facts(self, ctx, partners):
        """What the decisions need, read once for all partners of a chunk as plain values (the
        decision runs once per customer): revenue, monthly purchases, payment term days, the
        current class, custom limit and deposit of each customer, the classes' limits and
        deposits."""
        company = ctx.company
        Measure = self.env["credit.control.scoring.measure"].with_company(company)
        statements = Measure._fact_statements(ctx) if self.limit_method == "formula" else {}
        purchases = Measure._fact_monthly_purchases(ctx) if self.limit_method == "formula" else {}
        Partner = self.env["res.partner"].with_company(company)
        self.env.cr.execute(
            SQL(
                "SELECT p.id, %s, %s, %s, %s FROM res_partner p WHERE p.id = ANY(%s)",
                Partner._field_to_sql("p", "cc_risk_class_id"),
                Partner._field_to_sql("p", "cc_use_custom_limit"),
                Partner._field_to_sql("p", "cc_credit_limit"),
                Partner._field_to_sql("p", "property_payment_term_id"),
                partners.ids,
            )
        )
        current = {
            partner_id: (class_id, bool(custom), float(limit or 0.0), term_id)
            for partner_id, class_id, custom, limit, term_id in self.env.cr.fetchall()
        }
        classes = (
            self.env["credit.control.risk.class"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )
        terms = self.env["account.payment.term"].browse(sorted({fact[3] for fact in current.values() if fact[3]}))
        return {
            # the model's settings, read once
            "currency": self.company_id.currency_id,
            "min_confidence": self.min_confidence,
            "margin": self.hysteresis_margin,
            "limit_method": self.limit_method,
            "limit": {
                "revenue_percent": self.limit_revenue_percent,
                "term_days": self.limit_term_days,
                "purchase_factor": self.limit_purchase_factor,
                "cap_by_class": self.limit_cap_by_class,
                "rounding": self.limit_rounding,
            },
            "thresholds": [(t.min_score, t.risk_class_id.id) for t in self.threshold_ids],
            "classes": {c.id: (c.credit_limit, c.deposit_percent) for c in classes},
            "current": current,
            "revenue": {pid: st["revenue_company"] for pid, st in statements.items()},
            "purchases": {pid: fact["monthly"] for pid, fact in purchases.items()},
            "term_days": {term.id: max(term.line_ids.mapped("nb_days") or [0]) for term in terms},
        }

    def _decide(self, partner_id, combined, facts):
        """Old and new class, limit and deposit of a customer, and the state of the decision."""
        currency = facts["currency"]
        classes = facts["classes"]
        old_class, old_custom, custom_limit, term_id = facts["current"].get(partner_id, (None, False, 0.0, None))
        old_class = old_class if old_class in classes else None
        old_class_limit, old_deposit = classes.get(old_class, (0.0, 0.0))
        old_limit = custom_limit if old_custom else old_class_limit
        vals = {
            "old_risk_class_id": old_class,
            "old_use_custom_limit": old_custom,
            "old_credit_limit": old_limit,
            "old_deposit_percent": old_deposit,
            "new_risk_class_id": old_class,
            "new_use_custom_limit": old_custom,
            "new_credit_limit": old_limit,
            "new_deposit_percent": old_deposit,
        }
        if combined["score"] is None or combined["confidence"] < facts["min_confidence"]:
            return dict(vals, state="low_confidence")
        score = round(combined["score"], 1)
        thresholds = facts["thresholds"]
        new_class = old_class
        if thresholds:
            new_class, kept = class_for_score(thresholds, score, old_class, facts["margin"])
            raw_class, _kept = class_for_score(thresholds, score)
            vals.update(raw_risk_class_id=raw_class, kept_by_margin=kept)
        new_class_limit, new_deposit = classes.get(new_class, (0.0, 0.0))
        if facts["limit_method"] == "class":
            new_custom, new_limit = False, new_class_limit
        else:
            settings = facts["limit"]
            limit = recommended_limit(
                revenue=facts["revenue"].get(partner_id),
                revenue_percent=settings["revenue_percent"],
                monthly_purchases=facts["purchases"].get(partner_id),
                term_days=facts["term_days"][term_id] if term_id else settings["term_days"],
                purchase_factor=settings["purchase_factor"],
                class_limit=new_class_limit if new_class else None,
                cap_by_class=settings["cap_by_class"],
                rounding=settings["rounding"],
            )
            if limit is None:
                new_custom, new_limit = False, new_class_limit
            else:
                new_custom, new_limit = True, currency.round(limit)
        vals.update(
            new_risk_class_id=new_class,
            new_use_custom_limit=new_custom,
            new_credit_limit=new_limit,
            new_deposit_percent=new_deposit,
        )
        changed = (
            new_class != old_class
            or new_custom != old_custom
            or (new_custom and currency.compare_amounts(new_limit, old_limit) != 0)
        )
        vals["state"] = "to_review" if changed else "unchanged"
        return vals

    # ------------------------------------------------------------
    # BUSINESS: the standard model
    # ------------------------------------------------------------

    @api.model
    def _create_standard_model(self, company_id):
        """The standard model of the company ``company_id``: every standard factor with its
        bands, and thresholds to the classes A, B, C and D of the company when they exist."""
        company = self.env["res.company"].browse(company_id)
        classes = {
            rclass.code: rclass
            for rclass in self.env["credit.control.risk.class"].search([("company_id", "=", company.id)])
        }
        thresholds = [
            {"min_score": minimum, "risk_class_id": classes[code].id}
            for minimum, code in STANDARD_THRESHOLDS
            if code in classes
        ]
        if thresholds and not any(t["min_score"] == 0 for t in thresholds):
            thresholds = []
        has_default = bool(self.search_count([("company_id", "=", company.id), ("is_default", "=", True)]))
        return self.create(
            {
                "name": self.env._("Standard Scoring"),
                "company_id": company.id,
                "is_default": not has_default,
                "factor_ids": [
                    Command.create({"factor": code, "sequence": index * 10})
                    for index, code in enumerate(STANDARD_FACTORS, start=1)
                ],
                "threshold_ids": [Command.create(vals) for vals in thresholds],
            }
        )


class CreditControlScoringThreshold(models.Model):
    """From a score on, the customer belongs to a risk class."""

    _name = "credit.control.scoring.threshold"
    _description = "Credit Scoring Threshold"
    _order = "model_id, min_score desc"
    _check_company_auto = True

    model_id = fields.Many2one("credit.control.scoring.model", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="model_id.company_id", store=True, index=True)
    min_score = fields.Float(
        string="From Score", required=True, help="Scores from this value up to the next threshold."
    )
    risk_class_id = fields.Many2one("credit.control.risk.class", required=True, check_company=True, ondelete="restrict")
    credit_limit = fields.Monetary(related="risk_class_id.credit_limit")
    deposit_percent = fields.Float(related="risk_class_id.deposit_percent")
    currency_id = fields.Many2one(related="model_id.currency_id")

    _sql_constraints = [
        ("score_uniq", "unique(model_id, min_score)", "Two thresholds of a model cannot start at the same score."),
        ("class_uniq", "unique(model_id, risk_class_id)", "A risk class appears only once in the thresholds."),
    ]

    @api.constrains("min_score", "model_id")
    def _check_min_score(self):
        for threshold in self:
            if not 0 <= threshold.min_score <= 100:
                raise ValidationError(self.env._("A threshold score is between 0 and 100."))
        self.model_id._check_thresholds()
