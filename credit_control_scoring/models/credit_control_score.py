import csv
import io
import json

from markupsafe import Markup
from psycopg2.extras import Json

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import create_index
from odoo.tools.misc import formatLang

from .credit_control_scoring_factor import FACTOR_GROUPS
from .credit_control_scoring_factor import FACTORS

SCORE_STATES = [
    ("unchanged", "No Change"),
    ("low_confidence", "Confidence Too Low"),
    ("to_review", "To Review"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("superseded", "Superseded"),
]


def format_points(env, value):
    """A contribution in the reader's language: -18.0 -> '-18', -7.5 -> '-7.5' ('-7,5' in French)."""
    value = round(value, 1)
    if not value:
        return "0"
    return formatLang(env, value, digits=0 if value == int(value) else 1)


class LineBuffer:
    """The factor lines of a scoring chunk, written as CSV as they are computed (no list of
    180,000 rows kept in memory) for one COPY (``credit.control.score.line._insert_lines``)."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.count = 0
        self._write = csv.writer(self.buffer).writerow
        self._json = json.JSONEncoder().encode

    def add(self, score_id, factor, weight, missing, value, points, band_cap, contribution, details):
        self._write(
            (
                score_id,
                factor,
                weight,
                "t" if missing else "f",
                value,
                points,
                band_cap,
                contribution,
                self._json(details) if details is not None else None,
            )
        )
        self.count += 1


class CreditControlScore(models.Model):
    """One scoring of one customer: its score, confidence and factor lines, and the decision on
    its risk class, credit limit and deposit (old and new values)."""

    _name = "credit.control.score"
    _description = "Customer Credit Score"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        help="The company currency when scored.",
    )
    model_id = fields.Many2one("credit.control.scoring.model", string="Scoring Model", ondelete="set null")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    score = fields.Float(digits=(5, 1), aggregator="avg", help="0 (worst) to 100 (best).")
    confidence = fields.Float(
        string="Confidence (%)",
        digits=(5, 1),
        aggregator="avg",
        help="Share of the factors' weight that could be measured for this customer.",
    )
    capped = fields.Boolean(
        string="Score Capped",
        help="A factor (e.g. insolvency proceedings) capped the score below the weighted result.",
    )
    line_ids = fields.One2many("credit.control.score.line", "score_id", string="Factors")
    missing_count = fields.Integer(string="Missing Factors Count", compute="_compute_missing")
    missing_factors = fields.Char(compute="_compute_missing")
    explanation = fields.Text(compute="_compute_explanation")

    old_risk_class_id = fields.Many2one("credit.control.risk.class", string="Old Class", ondelete="set null")
    raw_risk_class_id = fields.Many2one(
        "credit.control.risk.class",
        string="Class of the Score",
        ondelete="set null",
        help="The class the thresholds give to the score, before the margin that keeps the current class.",
    )
    kept_by_margin = fields.Boolean(
        help="The score left the band of the current class by less than the model's margin: the class is kept."
    )
    new_risk_class_id = fields.Many2one("credit.control.risk.class", string="New Class", ondelete="set null")
    old_use_custom_limit = fields.Boolean(string="Old Own Limit")
    new_use_custom_limit = fields.Boolean(string="New Own Limit")
    old_credit_limit = fields.Monetary(string="Old Limit", help="The limit that applied: own limit or class default.")
    new_credit_limit = fields.Monetary(string="New Limit", help="Own limit, or the new class default.")
    old_deposit_percent = fields.Float(string="Old Deposit (%)")
    new_deposit_percent = fields.Float(string="New Deposit (%)")
    class_changed = fields.Boolean(compute="_compute_changes")
    limit_changed = fields.Boolean(compute="_compute_changes")
    deposit_changed = fields.Boolean(compute="_compute_changes")

    state = fields.Selection(SCORE_STATES, default="unchanged", required=True, index=True)
    automatic = fields.Boolean(string="Applied Automatically", readonly=True)
    decision_user_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decision_date = fields.Datetime(string="Decided On", readonly=True)

    def init(self):
        # EXTENDS 'base': the latest score of each customer in a company, read by the partner form,
        # the partner search and the daily change detection
        create_index(
            self.env.cr,
            "credit_control_score_partner_company_date_idx",
            self._table,
            ["partner_id", "company_id", "date DESC"],
        )
        return super().init()

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("company_id")
    def _compute_currency_id(self):
        for score in self:
            score.currency_id = score.company_id.currency_id

    @api.depends("line_ids.missing", "line_ids.factor")
    def _compute_missing(self):
        labels = dict(self.env["credit.control.score.line"]._fields["factor"]._description_selection(self.env))
        for score in self:
            missing = score.line_ids.filtered("missing")
            score.missing_count = len(missing)
            score.missing_factors = ", ".join(labels.get(line.factor, line.factor) for line in missing) or False

    @api.depends("old_risk_class_id", "new_risk_class_id", "old_credit_limit", "new_credit_limit")
    def _compute_changes(self):
        for score in self:
            score.class_changed = score.old_risk_class_id != score.new_risk_class_id
            score.limit_changed = bool(
                score.currency_id.compare_amounts(score.old_credit_limit, score.new_credit_limit)
                or score.old_use_custom_limit != score.new_use_custom_limit
            )
            score.deposit_changed = score.old_deposit_percent != score.new_deposit_percent

    @api.depends("score", "confidence", "line_ids.explanation", "kept_by_margin", "capped")
    def _compute_explanation(self):
        _ = self.env._
        for score in self:
            lines = score.line_ids
            present = lines.filtered(lambda line: not line.missing).sorted(lambda line: (line.contribution, line.id))
            text = [
                _(
                    "Score %(score)s/100, confidence %(confidence)s %%.",
                    score=formatLang(self.env, score.score, digits=1),
                    confidence=formatLang(self.env, score.confidence, digits=0),
                )
            ]
            text += [line.explanation for line in present]
            if score.capped:
                cappers = present.filtered(lambda line: line.band_cap < 100)
                text.append(
                    _(
                        "Score capped at %(cap)s by: %(factors)s.",
                        cap=formatLang(self.env, min(cappers.mapped("band_cap") or [score.score]), digits=0),
                        factors=", ".join(cappers.mapped("display_name")),
                    )
                )
            text += [line.explanation for line in lines.filtered("missing")]
            if score.kept_by_margin:
                text.append(
                    _(
                        "The score falls in class %(raw)s, but the class %(kept)s is kept: the score is within the "
                        "model's margin of its band.",
                        raw=score.raw_risk_class_id.display_name,
                        kept=score.new_risk_class_id.display_name,
                    )
                )
            if score.state == "low_confidence":
                text.append(_("Confidence below the model's minimum: no change is proposed."))
            score.explanation = "\n".join(text)

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for score in self:
            score.display_name = f"{score.partner_id.display_name} - {fields.Date.to_string(score.date)}"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_accept(self):
        """Apply the proposed class, limit and deposit (credit managers only)."""
        self._check_can_decide()
        self._apply(automatic=False)
        return True

    def action_reject(self):
        """Keep the customer's current class and limit (credit managers only)."""
        self._check_can_decide()
        self.sudo().write(
            {"state": "rejected", "decision_user_id": self.env.uid, "decision_date": fields.Datetime.now()}
        )
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _reserve_ids(self, count):
        """``count`` ids of new scores, taken from the table's sequence in one query: the factor
        lines of a run are written with their score's id before the scores are inserted."""
        self.env.cr.execute(
            SQL(
                "SELECT nextval(pg_get_serial_sequence('credit_control_score', 'id')) FROM generate_series(1, %s)",
                count,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _insert_scores(self, rows):
        """Insert the scores of a scoring run in one statement.

        ``rows`` are dicts of the stored fields, their ``id`` included (``_reserve_ids``), ids or
        None for the relations. A run records one score per customer, which the ORM would take
        most of the run to create one by one."""
        self.flush_model()
        uid, now = self.env.uid, self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO credit_control_score (
                    id, partner_id, company_id, currency_id, model_id, date, score, confidence, capped,
                    old_risk_class_id, raw_risk_class_id, kept_by_margin, new_risk_class_id,
                    old_use_custom_limit, new_use_custom_limit, old_credit_limit, new_credit_limit,
                    old_deposit_percent, new_deposit_percent, state, create_uid, write_uid, create_date, write_date)
                SELECT r.id, r.partner_id, r.company_id, r.currency_id, r.model_id, r.date, r.score, r.confidence,
                       r.capped, r.old_risk_class_id, r.raw_risk_class_id, r.kept_by_margin, r.new_risk_class_id,
                       r.old_use_custom_limit, r.new_use_custom_limit, r.old_credit_limit, r.new_credit_limit,
                       r.old_deposit_percent, r.new_deposit_percent, r.state, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(
                       id int, partner_id int, company_id int, currency_id int, model_id int, date timestamp,
                       score float8, confidence float8, capped bool, old_risk_class_id int, raw_risk_class_id int,
                       kept_by_margin bool, new_risk_class_id int, old_use_custom_limit bool,
                       new_use_custom_limit bool, old_credit_limit float8, new_credit_limit float8,
                       old_deposit_percent float8, new_deposit_percent float8, state varchar)
                """,
                uid=uid,
                now=now,
                rows=Json(rows),
            )
        )
        self.invalidate_model()

    def _check_can_decide(self):
        if not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(self.env._("Only credit managers can accept or reject scoring decisions."))
        not_open = self.filtered(lambda s: s.state != "to_review")
        if not_open:
            raise UserError(
                self.env._(
                    "Only decisions to review can be accepted or rejected; these are not: %(scores)s.",
                    scores=", ".join(not_open.mapped("display_name")),
                )
            )

    def _apply(self, automatic=False):
        """Write the new class, limit and deposit on the customers and log each change on the
        customer. Runs as superuser: callers check the rights (credit manager, or a model set to
        apply automatically)."""
        now = fields.Datetime.now()
        for score in self:
            partner = score.partner_id.with_company(score.company_id).sudo()
            vals = {
                "cc_risk_class_id": score.new_risk_class_id.id,
                "cc_use_custom_limit": score.new_use_custom_limit,
            }
            if score.new_use_custom_limit:
                vals["cc_credit_limit"] = score.new_credit_limit
            partner.write(vals)
            partner.message_post(body=score._change_message(automatic), subtype_xmlid="mail.mt_note")
        self.sudo().write(
            {
                "state": "applied",
                "automatic": automatic,
                "decision_user_id": False if automatic else self.env.uid,
                "decision_date": now,
            }
        )

    def _limit_text(self, use_custom, amount):
        money = formatLang(self.env, amount, currency_obj=self.currency_id)
        if use_custom:
            return money
        return self.env._("%(amount)s (class default)", amount=money)

    def _change_message(self, automatic):
        self.ensure_one()
        _ = self.env._
        items = []
        if self.class_changed:
            items.append(
                _(
                    "Risk class: %(old)s → %(new)s",
                    old=self.old_risk_class_id.display_name or _("none"),
                    new=self.new_risk_class_id.display_name or _("none"),
                )
            )
        if self.limit_changed:
            items.append(
                _(
                    "Credit limit: %(old)s → %(new)s",
                    old=self._limit_text(self.old_use_custom_limit, self.old_credit_limit),
                    new=self._limit_text(self.new_use_custom_limit, self.new_credit_limit),
                )
            )
        if self.deposit_changed:
            items.append(
                _(
                    "Deposit: %(old)s %% → %(new)s %%",
                    old=formatLang(self.env, self.old_deposit_percent, digits=0),
                    new=formatLang(self.env, self.new_deposit_percent, digits=0),
                )
            )
        header = _(
            "Credit scoring (%(model)s): score %(score)s/100, confidence %(confidence)s %%.",
            model=self.model_id.name or "",
            score=formatLang(self.env, self.score, digits=1),
            confidence=formatLang(self.env, self.confidence, digits=0),
        )
        decision = _("Applied automatically.") if automatic else _("Accepted by %(user)s.", user=self.env.user.name)
        return Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            header,
            Markup("").join(Markup("<li>%s</li>") % item for item in items),
            decision,
        )


class CreditControlScoreLine(models.Model):
    """One factor of one score: measured value, points, weight and contribution to the score."""

    _name = "credit.control.score.line"
    _description = "Customer Credit Score Factor"
    _order = "score_id, id"
    # written once with its score (which logs who and when), never changed: no log columns, whose
    # two foreign keys per line would double the cost of recording a run
    _log_access = False

    score_id = fields.Many2one("credit.control.score", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="score_id.partner_id")
    company_id = fields.Many2one(related="score_id.company_id")
    date = fields.Datetime(related="score_id.date")
    factor = fields.Selection(FACTORS, required=True)
    group = fields.Selection(FACTOR_GROUPS, compute="_compute_group")
    weight = fields.Float()
    missing = fields.Boolean(help="No data for this factor: it is left out and lowers the confidence.")
    value = fields.Float(digits=(16, 2), help="The measured value mapped through the factor's bands.")
    points = fields.Float(digits=(5, 1), help="0 (worst) to 100 (best).")
    band_cap = fields.Float(string="Band Cap", default=100.0)
    contribution = fields.Float(
        digits=(5, 1), help="Points this factor takes away from 100: weight share x (points - 100)."
    )
    details = fields.Json()
    explanation = fields.Char(compute="_compute_explanation")

    @api.model
    def _insert_lines(self, lines):
        """Insert the factor lines of a ``LineBuffer`` with one COPY: each run adds a line per factor
        and customer (180,000 for 10,000 customers and 18 factors), which the ORM would take most of
        the run to create one by one."""
        if not lines.count:
            return
        self.flush_model()
        lines.buffer.seek(0)
        self.env.cr.copy_expert(
            "COPY credit_control_score_line "
            "(score_id, factor, weight, missing, value, points, band_cap, contribution, details) "
            "FROM STDIN WITH (FORMAT csv)",
            lines.buffer,
        )
        self.invalidate_model()
        self.env["credit.control.score"].invalidate_model(["line_ids"])

    @api.depends("factor")
    def _compute_group(self):
        registry = self.env["credit.control.scoring.measure"]._scoring_factor_measures()
        for line in self:
            line.group = (registry.get(line.factor) or {}).get("group")

    @api.depends("factor")
    def _compute_display_name(self):
        labels = dict(self._fields["factor"]._description_selection(self.env))
        for line in self:
            line.display_name = labels.get(line.factor, line.factor or "")

    @api.depends("factor", "missing", "details", "contribution")
    def _compute_explanation(self):
        Measure = self.env["credit.control.scoring.measure"]
        registry = Measure._scoring_factor_measures()
        for line in self:
            entry = registry.get(line.factor)
            text = getattr(Measure, entry["explain"])(line, None if line.missing else line.details) if entry else ""
            if line.missing:
                line.explanation = self.env._("missing (%(factor)s): %(text)s", factor=line.display_name, text=text)
            else:
                line.explanation = f"{format_points(self.env, line.contribution)}: {text}"
