from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .credit_control_score import SCORE_STATES
from .scoring_rules import registry_kind
from .scoring_rules import siren_of

# Partner fields whose change makes the customer's score out of date.
SCORING_DATA_FIELDS = (
    "cc_founding_date",
    "cc_bureau_score",
    "cc_bureau_date",
    "cc_insolvency",
    "cc_insolvency_date",
    "cc_scoring_model_id",
    "industry_id",
    "property_payment_term_id",
)

# Partner fields only credit managers change.
SCORING_MANAGED_FIELDS = ("cc_scoring_model_id", "cc_bureau_score", "cc_bureau_date", "cc_bureau_provider")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS: scoring data
    # ------------------------------------------------------------

    cc_siren = fields.Char(
        string="SIREN",
        compute="_compute_cc_siren",
        store=True,
        index=True,
        help="French company number, from the SIREN/SIRET (Company ID) or the French VAT number.",
    )
    cc_founding_date = fields.Date(string="Founded On", tracking=True, help="Date the company was founded.")
    cc_bureau_score = fields.Float(
        string="Bureau Score",
        tracking=True,
        help="Score given by a credit bureau, as the bureau gives it; the scoring model's bands map it to points.",
    )
    cc_bureau_date = fields.Date(string="Bureau Score Date", tracking=True)
    cc_bureau_provider = fields.Char(string="Bureau", tracking=True)
    cc_scoring_model_id = fields.Many2one(
        "credit.control.scoring.model",
        string="Scoring Model",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Leave empty to score the customer with the company's default model.",
    )
    cc_financial_statement_ids = fields.One2many(
        "credit.control.financial.statement", "partner_id", string="Financial Statements"
    )
    cc_score_data_date = fields.Datetime(
        string="Scoring Data Changed On",
        readonly=True,
        copy=False,
        help="Last change of the partner's data used by the score (financial data, bureau score, sector...).",
    )

    # ------------------------------------------------------------
    # FIELDS: latest score in the current company
    # ------------------------------------------------------------

    cc_score_id = fields.Many2one("credit.control.score", string="Latest Score Record", compute="_compute_cc_score")
    cc_score = fields.Float(
        string="Credit Score",
        digits=(5, 1),
        compute="_compute_cc_score",
        search="_search_cc_score",
        help="Latest solvency score in the current company, 0 (worst) to 100 (best).",
    )
    cc_score_confidence = fields.Float(string="Score Confidence (%)", digits=(5, 1), compute="_compute_cc_score")
    cc_score_date = fields.Datetime(string="Scored On", compute="_compute_cc_score")
    cc_score_state = fields.Selection(SCORE_STATES, string="Scoring Decision", compute="_compute_cc_score")
    cc_score_explanation = fields.Text(string="Score Explanation", compute="_compute_cc_score")
    cc_score_missing = fields.Char(string="Missing Factors", compute="_compute_cc_score")
    cc_score_count = fields.Integer(string="Number of Scores", compute="_compute_cc_score")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("company_registry", "vat")
    def _compute_cc_siren(self):
        for partner in self:
            partner.cc_siren = siren_of(partner.company_registry, partner.vat) or False

    @api.depends_context("company")
    def _compute_cc_score(self):
        commercial = self.filtered("id").commercial_partner_id
        latest, counts = {}, {}
        if commercial:
            Score = self.env["credit.control.score"]
            Score.flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (partner_id) partner_id, id, COUNT(*) OVER (PARTITION BY partner_id)
                      FROM credit_control_score
                     WHERE company_id = %s AND partner_id = ANY(%s)
                     ORDER BY partner_id, date DESC, id DESC
                    """,
                    self.env.company.id,
                    commercial.ids,
                )
            )
            for partner_id, score_id, count in self.env.cr.fetchall():
                latest[partner_id] = score_id
                counts[partner_id] = count
        for partner in self:
            score = self.env["credit.control.score"].browse(latest.get(partner.commercial_partner_id.id))
            partner.cc_score_id = score
            partner.cc_score = score.score
            partner.cc_score_confidence = score.confidence
            partner.cc_score_date = score.date
            partner.cc_score_count = counts.get(partner.commercial_partner_id.id, 0)
            partner.cc_score_state = score.state
            partner.cc_score_explanation = score.explanation
            partner.cc_score_missing = score.missing_factors

    def _search_cc_score(self, operator, value):
        if operator not in ("=", "!=", "<", "<=", ">", ">=") or not isinstance(value, int | float):
            return NotImplemented
        self.env["credit.control.score"].flush_model()
        latest = SQL(
            """
            SELECT DISTINCT ON (partner_id) partner_id, score
              FROM credit_control_score
             WHERE company_id = %s
             ORDER BY partner_id, date DESC, id DESC
            """,
            self.env.company.id,
        )
        self.env.cr.execute(SQL("SELECT partner_id FROM (%s) s WHERE s.score %s %s", latest, SQL(operator), value))
        return [("commercial_partner_id", "in", [row[0] for row in self.env.cr.fetchall()])]

    @api.constrains("company_registry", "country_id")
    def _check_cc_company_registry(self):
        for partner in self:
            if partner.country_id.code != "FR" or not partner.company_registry:
                continue
            if not registry_kind(partner.company_registry):
                raise ValidationError(
                    self.env._(
                        "The SIREN/SIRET %(number)s of %(partner)s is not valid: a SIREN has 9 digits and a SIRET "
                        "14, with a valid check digit (Luhn).",
                        number=partner.company_registry,
                        partner=partner.display_name,
                    )
                )

    @api.constrains("cc_bureau_score", "cc_bureau_date")
    def _check_cc_bureau_score(self):
        for partner in self:
            if partner.cc_bureau_score < 0:
                raise ValidationError(
                    self.env._("The bureau score of %(partner)s cannot be negative.", partner=partner.display_name)
                )
            if partner.cc_bureau_score and not partner.cc_bureau_date:
                raise ValidationError(
                    self.env._(
                        "The bureau score of %(partner)s needs its date: a score without a date cannot expire.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        # EXTENDS 'base': contacts share the scoring data of their commercial entity
        return super()._commercial_fields() + [
            "cc_founding_date",
            "cc_bureau_score",
            "cc_bureau_date",
            "cc_bureau_provider",
            "cc_scoring_model_id",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: only credit managers set scoring settings
        for vals in vals_list:
            self._cc_check_scoring_rights(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        # OVERRIDE: only credit managers change scoring settings; scoring data changes are dated
        self._cc_check_scoring_rights(vals)
        if any(fname in vals for fname in SCORING_DATA_FIELDS):
            vals = dict(vals, cc_score_data_date=fields.Datetime.now())
        return super().write(vals)

    def _cc_check_scoring_rights(self, vals, creating=False):
        if self.env.su:
            return
        touched = [f for f in SCORING_MANAGED_FIELDS if f in vals and (not creating or vals[f])]
        if touched and not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(
                self.env._(
                    "Only credit managers can change scoring models and bureau scores (fields: %(fields)s).",
                    fields=", ".join(self._fields[f].string for f in touched),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cc_score_now(self):
        """Score this customer now with its scoring model in the current company."""
        self.ensure_one()
        if not self.env.user.has_group("credit_control.group_credit_control_user"):
            raise AccessError(self.env._("Only credit control users can score customers."))
        company = self.env.company
        partner = self.commercial_partner_id
        Model = self.env["credit.control.scoring.model"].sudo().with_company(company)
        model = Model._partners_by_model(partner, company)
        if not model:
            raise UserError(
                self.env._(
                    "No scoring model for %(partner)s in %(company)s: set a default scoring model.",
                    partner=partner.display_name,
                    company=company.name,
                )
            )
        [(scoring_model, partners)] = model.items()
        score = scoring_model._score_partners(partners)
        return scoring_model._notify(
            self.env._(
                "%(partner)s scored %(score)s/100 (confidence %(confidence)s %%).",
                partner=partner.display_name,
                score=formatLang(self.env, score.score, digits=1),
                confidence=formatLang(self.env, score.confidence, digits=0),
            )
        )

    def action_cc_open_scores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_control_scoring.credit_control_score_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"graph_mode": "line"}
        action["views"] = [(False, "graph"), (False, "list"), (False, "form")]
        action["name"] = self.env._("Score History of %(partner)s", partner=self.commercial_partner_id.display_name)
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_touch_scoring_data(self):
        """Date a change of the data used by the score, so the daily action rescores."""
        if self:
            self.commercial_partner_id.sudo().write({"cc_score_data_date": fields.Datetime.now()})
