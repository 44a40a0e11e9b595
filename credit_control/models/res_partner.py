import operator

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .pg import JIT_FREE_PARTNERS
from .pg import without_jit

# Fields only a credit manager may change (salespeople see them read-only).
CC_MANAGED_FIELDS = (
    "cc_risk_class_id",
    "cc_use_custom_limit",
    "cc_credit_limit",
    "cc_hold",
    "cc_hold_reason",
    "cc_insolvency",
    "cc_insolvency_date",
    "cc_review_date",
    "cc_guarantee_ids",
)

SEARCH_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

CC_STATUS = [("ok", "OK"), ("warning", "Warning"), ("blocked", "Blocked")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS: set by the credit manager, per company
    # ------------------------------------------------------------

    cc_risk_class_id = fields.Many2one(
        "credit.control.risk.class",
        string="Risk Class",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', '=', current_company_id)]",
        help="The class gives the default credit limit, deposit and overdue tolerance.",
    )
    cc_use_custom_limit = fields.Boolean(
        string="Own Credit Limit",
        company_dependent=True,
        tracking=True,
        help="Use the credit limit below instead of the default limit of the risk class.",
    )
    cc_credit_limit = fields.Float(
        string="Own Credit Limit Amount",
        company_dependent=True,
        tracking=True,
        digits="Account",
        help="In company currency. 0 means no credit: every order must be paid before confirmation.",
    )
    cc_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        tracking=True,
        help="A customer on hold cannot have new orders confirmed.",
    )
    cc_hold_reason = fields.Char(string="Hold Reason", company_dependent=True, tracking=True)
    cc_hold_user_id = fields.Many2one("res.users", string="Put on Hold by", company_dependent=True, readonly=True)
    cc_hold_date = fields.Datetime(string="On Hold Since", company_dependent=True, readonly=True)
    cc_insolvency = fields.Boolean(
        string="Insolvency Proceedings",
        tracking=True,
        help="The customer is in insolvency proceedings (procédure collective: sauvegarde, "
        "redressement or liquidation judiciaire). New orders are blocked.",
    )
    cc_insolvency_date = fields.Date(string="Proceedings Opened On", tracking=True)
    cc_review_date = fields.Date(string="Credit Review Date", company_dependent=True, tracking=True)
    cc_guarantee_ids = fields.One2many("credit.control.guarantee", "partner_id", string="Guarantees")

    # ------------------------------------------------------------
    # FIELDS: live figures for the current company, in its currency
    # ------------------------------------------------------------

    cc_receivable = fields.Monetary(
        string="Open Receivables",
        compute="_compute_cc_figures",
        help="Posted, unreconciled receivables: open invoices less credit notes and unallocated payments.",
    )
    cc_draft_invoiced = fields.Monetary(string="Draft Invoices", compute="_compute_cc_figures")
    cc_order_uninvoiced = fields.Monetary(
        string="Orders Not Invoiced",
        compute="_compute_cc_figures",
        help="Confirmed sale orders, taxes included, less what is already invoiced.",
    )
    cc_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_cc_figures",
        search="_search_cc_exposure",
        help="Open receivables + draft invoices + confirmed orders not yet invoiced.",
    )
    cc_overdue_amount = fields.Monetary(
        string="Overdue", compute="_compute_cc_figures", search="_search_cc_overdue_amount"
    )
    cc_overdue_days = fields.Integer(
        string="Oldest Overdue (days)",
        compute="_compute_cc_figures",
        search="_search_cc_overdue_days",
        help="Days since the due date of the oldest unpaid installment.",
    )
    cc_effective_limit = fields.Monetary(
        string="Applicable Limit",
        compute="_compute_cc_figures",
        help="The partner's own limit, or its risk class default.",
    )
    cc_has_limit = fields.Boolean(string="Has a Credit Limit", compute="_compute_cc_figures")
    cc_guarantee_amount = fields.Monetary(string="Guarantees Total", compute="_compute_cc_figures")
    cc_available_credit = fields.Monetary(
        string="Available Credit",
        compute="_compute_cc_figures",
        search="_search_cc_available_credit",
        help="Applicable limit + guarantees - exposure.",
    )
    cc_status = fields.Selection(
        CC_STATUS, string="Credit Status", compute="_compute_cc_figures", search="_search_cc_status"
    )
    cc_status_reasons = fields.Text(string="Credit Status Reasons", compute="_compute_cc_figures")
    cc_can_edit = fields.Boolean(compute="_compute_cc_can_edit")

    # ------------------------------------------------------------
    # FIELDS: dunning, set by the credit manager, per company (logic in res_partner_dunning.py)
    # ------------------------------------------------------------

    cc_dunning_policy_id = fields.Many2one(
        "credit.control.dunning.policy",
        string="Dunning Policy",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Overrides the dunning policy of the risk class.",
    )
    cc_dunning_excluded = fields.Boolean(
        string="Excluded from Dunning",
        company_dependent=True,
        tracking=True,
        help="No reminder is prepared for this customer (e.g. a public body paid through Chorus Pro).",
    )
    cc_dunning_exclusion_reason = fields.Char(string="Exclusion Reason", company_dependent=True, tracking=True)
    cc_collector_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        tracking=True,
        help="Gets the dunning calls and tasks of this customer.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "commercial_partner_id",
        "cc_risk_class_id",
        "cc_use_custom_limit",
        "cc_credit_limit",
        "cc_hold",
        "cc_insolvency",
        "cc_guarantee_ids.amount",
    )
    @api.depends_context("company")
    def _compute_cc_figures(self):
        company = self.env.company
        commercial = self.filtered("id").commercial_partner_id
        figures = self._cc_read_figures(commercial.ids, company)
        for partner in self:
            fig = figures.get(partner.commercial_partner_id.id) or self._cc_empty_figures()
            partner.update(
                {
                    "cc_receivable": fig["receivable"],
                    "cc_draft_invoiced": fig["draft_invoiced"],
                    "cc_order_uninvoiced": fig["order_uninvoiced"],
                    "cc_exposure": fig["exposure"],
                    "cc_overdue_amount": fig["overdue_amount"],
                    "cc_overdue_days": fig["overdue_days"],
                    "cc_effective_limit": fig["credit_limit"] or 0.0,
                    "cc_has_limit": fig["credit_limit"] is not None,
                    "cc_guarantee_amount": fig["guarantees"],
                    "cc_available_credit": fig["available"] or 0.0,
                    "cc_status": fig["status"],
                    "cc_status_reasons": "\n".join(
                        message for _rule, message in partner.commercial_partner_id._cc_reasons(fig, company)
                    )
                    or False,
                }
            )

    @api.depends_context("uid")
    def _compute_cc_can_edit(self):
        self.cc_can_edit = self.env.user.has_group("credit_control.group_credit_control_manager")

    # ------------------------------------------------------------
    # SEARCH
    # ------------------------------------------------------------

    def _cc_search_figure(self, column, operator, value):
        """Domain on a figure of the credit query, evaluated in one SQL query for every customer."""
        if operator not in SEARCH_OPERATORS:
            return NotImplemented
        default = "ok" if column == "status" else 0
        if value is False or value is None:
            value = default
        condition = SQL("COALESCE(f.%s, %s) %s %s", SQL.identifier(column), default, SQL(operator), value)
        # a partner without any figure has 0 everywhere and the status "ok"
        default_matches = SEARCH_OPERATORS[operator](default, value)
        if default_matches:
            condition = SQL("NOT (%s)", condition)
        with without_jit(self.env.cr):
            self.env.cr.execute(
                SQL(
                    "SELECT f.partner_id FROM (%s) f WHERE %s",
                    self._cc_figures_query(None, self.env.company),
                    condition,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
        return [("commercial_partner_id", "not in" if default_matches else "in", ids)]

    def _search_cc_exposure(self, operator, value):
        return self._cc_search_figure("exposure", operator, value)

    def _search_cc_overdue_amount(self, operator, value):
        return self._cc_search_figure("overdue_amount", operator, value)

    def _search_cc_overdue_days(self, operator, value):
        return self._cc_search_figure("overdue_days", operator, value)

    def _search_cc_available_credit(self, operator, value):
        return self._cc_search_figure("available", operator, value)

    def _search_cc_status(self, operator, value):
        return self._cc_search_figure("status", operator, value)

    @api.constrains("cc_credit_limit", "cc_risk_class_id")
    def _check_cc_credit_settings(self):
        for partner in self:
            if partner.cc_credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The credit limit of %(partner)s cannot be negative (0 means no credit).",
                        partner=partner.display_name,
                    )
                )
            rclass = partner.cc_risk_class_id
            if rclass and (not rclass.sudo().exists() or rclass.sudo().company_id != self.env.company):
                raise ValidationError(
                    self.env._(
                        "The risk class given to %(partner)s does not exist in the company %(company)s.",
                        partner=partner.display_name,
                        company=self.env.company.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        # EXTENDS 'base': contacts share the credit settings of their commercial entity
        return super()._commercial_fields() + [
            "cc_risk_class_id",
            "cc_use_custom_limit",
            "cc_credit_limit",
            "cc_hold",
            "cc_hold_reason",
            "cc_insolvency",
            "cc_insolvency_date",
            "cc_review_date",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: only credit managers set credit figures
        for vals in vals_list:
            self._cc_check_manager_rights(vals, creating=True)
            self._cc_stamp_hold(vals)
        return super().create(vals_list)

    def write(self, vals):
        # OVERRIDE: only credit managers change credit figures; a hold records who and when
        self._cc_check_manager_rights(vals)
        self._cc_stamp_hold(vals)
        return super().write(vals)

    def _cc_check_manager_rights(self, vals, creating=False):
        # the commercial fields sync to contacts runs as superuser
        if self.env.su:
            return
        touched = [f for f in CC_MANAGED_FIELDS if f in vals and (not creating or vals[f])]
        if touched and not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(
                self.env._(
                    "Only credit managers can change credit limits, risk classes, holds and "
                    "guarantees (fields: %(fields)s).",
                    fields=", ".join(self._fields[f].string for f in touched),
                )
            )

    def _cc_stamp_hold(self, vals):
        if "cc_hold" in vals:
            vals["cc_hold_user_id"] = self.env.uid if vals["cc_hold"] else False
            vals["cc_hold_date"] = fields.Datetime.now() if vals["cc_hold"] else False
            if not vals["cc_hold"]:
                vals.setdefault("cc_hold_reason", False)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cc_open_receivables(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open Receivables"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            "context": {"search_default_group_by_move": 0},
        }

    def action_cc_open_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders Not Invoiced"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [
                ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "sale"),
                ("invoice_status", "!=", "invoiced"),
            ],
        }

    def action_cc_open_draft_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Draft Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "draft"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
        }

    # ------------------------------------------------------------
    # BUSINESS: the credit figures, in one query for any number of partners
    # ------------------------------------------------------------

    @api.model
    def _cc_empty_figures(self):
        return {
            "receivable": 0.0,
            "draft_invoiced": 0.0,
            "order_uninvoiced": 0.0,
            "exposure": 0.0,
            "overdue_amount": 0.0,
            "overdue_days": 0,
            "oldest_due": None,
            "risk_class_id": None,
            "deposit_percent": 0.0,
            "credit_limit": None,
            "guarantees": 0.0,
            "usable_limit": None,
            "available": None,
            "hold": False,
            "insolvency": False,
            "overdue_tolerance": None,
            "overdue_blocked": False,
            "limit_blocked": False,
            "status": "ok",
        }

    @api.model
    def _cc_read_figures(self, commercial_ids, company, lock=False):
        """Credit figures of commercial partners for a company: {partner_id: figures}.

        One query whatever the number of partners (``commercial_ids`` None means every partner
        with a figure). ``lock``: the same query first updates the partners' rows, so that a
        concurrent check of the same customer waits for this transaction, then fails to
        serialize and is retried on fresh figures (an order's confirmation)."""
        if commercial_ids is not None and not commercial_ids:
            return {}
        query = self._cc_figures_query(commercial_ids, company, lock=lock)
        if commercial_ids is not None and len(commercial_ids) < JIT_FREE_PARTNERS:
            self.env.cr.execute(query)
            return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}
        with without_jit(self.env.cr):
            self.env.cr.execute(query)
            return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _cc_figures_query(self, commercial_ids, company, today=None, lock=False):
        """The SQL of the credit figures of commercial partners, in ``company`` and its currency.

        Extension point: a later addon wraps this query to add columns."""
        Partner = self.sudo().with_company(company)
        for model in ("account.move.line", "account.move", "sale.order", "sale.order.line", "res.partner"):
            self.env[model].flush_model()
        self.env["credit.control.guarantee"].flush_model()
        self.env["credit.control.risk.class"].flush_model()
        today = today or fields.Date.context_today(self)
        digits = company.currency_id.decimal_places
        # the partners concerned are read once: a few partners (an order's check) are materialized
        # so that PostgreSQL plans res_partner (and its many indexes) once instead of six times
        # "flagged": a commercial partner with a credit setting, who has figures even without items
        columns = SQL(
            """id, commercial_partner_id,
               id = commercial_partner_id AND (cc_insolvency OR cc_hold ? %(key)s
                   OR cc_risk_class_id ? %(key)s OR cc_use_custom_limit ? %(key)s) AS flagged""",
            key=str(company.id),
        )
        if commercial_ids is None:
            parts = SQL("NOT MATERIALIZED (SELECT %s FROM res_partner)", columns)
        else:
            parts = SQL(
                "MATERIALIZED (SELECT %s FROM res_partner WHERE commercial_partner_id = ANY(%s))",
                columns,
                list(commercial_ids),
            )
        locked = SQL()
        if lock and commercial_ids:
            locked = SQL(
                "locked AS (UPDATE res_partner SET write_date = write_date WHERE id = ANY(%s) RETURNING id),",
                list(commercial_ids),
            )
        hold = Partner._field_to_sql("cp", "cc_hold")
        class_id = Partner._field_to_sql("cp", "cc_risk_class_id")
        use_custom = Partner._field_to_sql("cp", "cc_use_custom_limit")
        custom_limit = Partner._field_to_sql("cp", "cc_credit_limit")
        return SQL(
            """
            WITH %(locked)s parts AS %(parts)s,
            recv AS (
                SELECT p.commercial_partner_id AS partner_id,
                       SUM(l.amount_residual) AS receivable,
                       SUM(l.amount_residual) FILTER (
                           WHERE l.amount_residual > 0 AND COALESCE(l.date_maturity, l.date) < %(today)s
                       ) AS overdue_amount,
                       MIN(COALESCE(l.date_maturity, l.date)) FILTER (
                           WHERE l.amount_residual > 0 AND COALESCE(l.date_maturity, l.date) < %(today)s
                       ) AS oldest_due
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN parts p ON p.id = l.partner_id
                 WHERE l.company_id = %(company_id)s
                   AND l.parent_state = 'posted'
                   AND NOT l.reconciled
                 GROUP BY p.commercial_partner_id
            ), drafts AS (
                SELECT p.commercial_partner_id AS partner_id, SUM(m.amount_total_signed) AS amount
                  FROM account_move m
                  JOIN parts p ON p.id = m.partner_id
                 WHERE m.company_id = %(company_id)s
                   AND m.state = 'draft'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                 GROUP BY p.commercial_partner_id
            ), orders AS (
                SELECT p.commercial_partner_id AS partner_id,
                       SUM(GREATEST(so.amount_total - COALESCE(inv.amount, 0), 0)
                           / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS amount
                  FROM sale_order so
                  JOIN parts p ON p.id = so.partner_id
                  LEFT JOIN LATERAL (
                      SELECT SUM(CASE WHEN am.move_type = 'out_refund' THEN -aml.price_total
                                      ELSE aml.price_total END) AS amount
                        FROM sale_order_line sol
                        JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                        JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                        JOIN account_move am ON am.id = aml.move_id
                       WHERE sol.order_id = so.id AND am.state != 'cancel'
                  ) inv ON TRUE
                 WHERE so.company_id = %(company_id)s
                   AND so.state = 'sale'
                   AND so.invoice_status != 'invoiced'
                 GROUP BY p.commercial_partner_id
            ), guar AS (
                SELECT g.partner_id,
                       SUM(CASE WHEN g.currency_id = %(currency_id)s THEN g.amount
                                ELSE g.amount / COALESCE(rate.rate, 1) END) AS amount
                  FROM credit_control_guarantee g
                  JOIN parts p ON p.id = g.partner_id
                  LEFT JOIN LATERAL (
                      SELECT r.rate FROM res_currency_rate r
                       WHERE r.currency_id = g.currency_id
                         AND (r.company_id = %(company_id)s OR r.company_id IS NULL)
                         AND r.name <= %(today)s
                       ORDER BY r.company_id NULLS LAST, r.name DESC LIMIT 1
                  ) rate ON TRUE
                 WHERE g.company_id = %(company_id)s AND g.active
                   AND (g.date_start IS NULL OR g.date_start <= %(today)s)
                   AND (g.date_end IS NULL OR g.date_end >= %(today)s)
                 GROUP BY g.partner_id
            ), base AS (
                SELECT partner_id FROM recv UNION SELECT partner_id FROM drafts
                UNION SELECT partner_id FROM orders UNION SELECT partner_id FROM guar
                UNION SELECT id FROM parts WHERE flagged
            ), figures AS (
                SELECT b.partner_id,
                       ROUND(COALESCE(r.receivable, 0), %(digits)s) AS receivable,
                       ROUND(COALESCE(d.amount, 0), %(digits)s) AS draft_invoiced,
                       ROUND(COALESCE(o.amount, 0), %(digits)s) AS order_uninvoiced,
                       ROUND(COALESCE(r.receivable, 0) + COALESCE(d.amount, 0) + COALESCE(o.amount, 0),
                             %(digits)s) AS exposure,
                       ROUND(COALESCE(r.overdue_amount, 0), %(digits)s) AS overdue_amount,
                       r.oldest_due,
                       COALESCE(%(today)s - r.oldest_due, 0) AS overdue_days,
                       rc.id AS risk_class_id,
                       COALESCE(rc.deposit_percent, 0) AS deposit_percent,
                       CASE WHEN COALESCE(%(use_custom)s, FALSE)
                            THEN ROUND(COALESCE(%(custom_limit)s, 0)::numeric, %(digits)s)
                            WHEN rc.id IS NOT NULL THEN rc.credit_limit
                       END AS credit_limit,
                       ROUND(COALESCE(g.amount, 0), %(digits)s) AS guarantees,
                       COALESCE(%(hold)s, FALSE) AS hold,
                       COALESCE(cp.cc_insolvency, FALSE) AS insolvency,
                       CASE WHEN rc.any_overdue_blocks THEN 0 ELSE rc.overdue_tolerance_days END
                           AS overdue_tolerance
                  FROM base b
                  JOIN res_partner cp ON cp.id = b.partner_id
                  LEFT JOIN recv r ON r.partner_id = b.partner_id
                  LEFT JOIN drafts d ON d.partner_id = b.partner_id
                  LEFT JOIN orders o ON o.partner_id = b.partner_id
                  LEFT JOIN guar g ON g.partner_id = b.partner_id
                  LEFT JOIN credit_control_risk_class rc
                         ON rc.id = %(class_id)s AND rc.company_id = %(company_id)s
            )
            SELECT f.*,
                   f.credit_limit + f.guarantees AS usable_limit,
                   f.credit_limit + f.guarantees - f.exposure AS available,
                   COALESCE(f.overdue_days > f.overdue_tolerance, FALSE) AS overdue_blocked,
                   COALESCE(f.exposure > f.credit_limit + f.guarantees, FALSE) AS limit_blocked,
                   CASE WHEN f.hold OR f.insolvency
                             OR COALESCE(f.overdue_days > f.overdue_tolerance, FALSE)
                             OR COALESCE(f.exposure > f.credit_limit + f.guarantees, FALSE)
                        THEN 'blocked'
                        WHEN f.exposure > 0
                             AND f.exposure >= (f.credit_limit + f.guarantees) * %(warning)s / 100.0
                        THEN 'warning'
                        ELSE 'ok'
                   END AS status
              FROM figures f
            """,
            today=today,
            company_id=company.id,
            currency_id=company.currency_id.id,
            digits=digits,
            locked=locked,
            parts=parts,
            hold=hold,
            class_id=class_id,
            use_custom=use_custom,
            custom_limit=custom_limit,
            warning=company.cc_warning_percent,
        )

    def _cc_reasons(self, fig, company, order_amount=0.0):
        """Reasons of a blocked or warned status, each with what unblocks it: [(rule, message)].

        ``rule`` is one of hold, insolvency, overdue, limit, warning; ``order_amount`` (company
        currency) is what an order being confirmed adds to the exposure."""
        self.ensure_one()
        currency = company.currency_id
        _ = self.env._
        reasons = []

        def money(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        if fig["hold"]:
            reason = self.with_company(company).cc_hold_reason or _("no reason given")
            reasons.append(
                ("hold", _("Credit hold: %(reason)s. Unblock: a credit manager lifts the hold.", reason=reason))
            )
        if fig["insolvency"]:
            message = _(
                "Insolvency proceedings (procédure collective) opened on %(date)s. "
                "Unblock: only a credit manager's override.",
                date=self.cc_insolvency_date or "?",
            )
            reasons.append(("insolvency", message))
        if fig["overdue_blocked"]:
            message = _(
                "Overdue: %(amount)s unpaid, the oldest due since %(date)s (%(days)s days late, "
                "%(tolerance)s tolerated). Unblock: pay %(amount)s overdue since %(date)s.",
                amount=money(fig["overdue_amount"]),
                date=fig["oldest_due"],
                days=fig["overdue_days"],
                tolerance=fig["overdue_tolerance"],
            )
            reasons.append(("overdue", message))
        usable = fig["usable_limit"]
        if usable is None:
            return reasons
        total = currency.round(float(fig["exposure"]) + order_amount)
        usable = float(usable)
        if currency.compare_amounts(total, usable) > 0:
            excess = currency.round(total - usable)
            if order_amount:
                message = _(
                    "Credit limit: exposure %(exposure)s + this order %(order)s = %(total)s, above the "
                    "usable limit of %(limit)s by %(excess)s. Unblock: receive payment of %(excess)s, "
                    "a guarantee, or a higher limit.",
                    exposure=money(fig["exposure"]),
                    order=money(order_amount),
                    total=money(total),
                    limit=money(usable),
                    excess=money(excess),
                )
            else:
                message = _(
                    "Credit limit: exposure %(exposure)s is above the usable limit of %(limit)s by "
                    "%(excess)s. Unblock: receive payment of %(excess)s, a guarantee, or a higher limit.",
                    exposure=money(fig["exposure"]),
                    limit=money(usable),
                    excess=money(excess),
                )
            reasons.append(("limit", message))
        elif total > 0 and total >= usable * company.cc_warning_percent / 100.0:
            message = _(
                "Warning: exposure %(total)s uses %(percent)s %% of the usable limit of %(limit)s.",
                total=money(total),
                percent=round(100.0 * total / usable) if usable else 100,
                limit=money(usable),
            )
            reasons.append(("warning", message))
        return reasons
