from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from . import kpi


class CreditControlDashboard(models.TransientModel):
    """The credit manager's KPIs at a date, for the company or one salesperson.

    Every figure comes from a few set-based SQL queries over the receivable items; the help of
    each field gives its definition."""

    _name = "credit.control.dashboard"
    _description = "Receivables Dashboard"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_to = fields.Date(string="At Date", required=True, default=fields.Date.context_today)
    period_days = fields.Integer(
        string="Period (days)",
        required=True,
        default=90,
        help="Length of the period ending at the date, for the simple DSO, the collection rate and the "
        "credit-note rate.",
    )
    date_from = fields.Date(string="Period Start", compute="_compute_kpis")
    user_id = fields.Many2one("res.users", string="Salesperson", help="Leave empty for the whole company.")
    receivables = fields.Monetary(
        string="Receivables", compute="_compute_kpis", help="Open receivable items at the date (aged balance total)."
    )
    overdue = fields.Monetary(
        string="Overdue", compute="_compute_kpis", help="Open receivable items past their due date at the date."
    )
    overdue_share = fields.Float(
        string="Overdue Share (%)", compute="_compute_kpis", help="Overdue / receivables x 100."
    )
    sales = fields.Monetary(
        string="Sales of the Period",
        compute="_compute_kpis",
        help="Customer invoices less credit notes posted in the period, taxes included.",
    )
    dso_simple = fields.Float(
        string="DSO (simple)",
        compute="_compute_kpis",
        digits=(16, 1),
        help="Receivables / sales of the period x days of the period.",
    )
    dso_countback = fields.Float(
        string="DSO (countback)",
        compute="_compute_kpis",
        digits=(16, 1),
        help="Days of the most recent sales that make up the receivables: whole months backwards from "
        "the date while their sales fit in the receivables, the last month pro rata.",
    )
    collection_rate = fields.Float(
        string="Collection Rate (%)",
        compute="_compute_kpis",
        help="Of the installments due in the period, the share collected (reconciled) by the date.",
    )
    credit_note_rate = fields.Float(
        string="Credit-Note Rate (%)",
        compute="_compute_kpis",
        help="Credit notes / customer invoices of the period, taxes included, x 100.",
    )
    margin_percent = fields.Float(
        string="Margin Rate (%)",
        compute="_compute_kpis",
        help="Gross margin of the sale orders of the last 12 months when the margin is known "
        "(sale_margin), else the company's default margin.",
    )
    sales_to_make_up = fields.Monetary(
        string="Sales Needed to Make Up the Overdue",
        compute="_compute_kpis",
        help="Overdue / margin rate: the sales that earn back the overdue amount if it is never paid "
        "(4,000 overdue at 5 % margin: 80,000 of sales).",
    )
    top10_receivables = fields.Monetary(
        string="Top 10 Customers", compute="_compute_kpis", help="Receivables of the 10 largest customers."
    )
    top10_share = fields.Float(
        string="Concentration (%)", compute="_compute_kpis", help="Top 10 customers' receivables / receivables x 100."
    )
    exposure_litigation = fields.Monetary(
        string="In Litigation",
        compute="_compute_kpis",
        help="Receivables at the date whose dunning level hands the file over to litigation.",
    )
    exposure_disputed = fields.Monetary(
        string="Disputed",
        compute="_compute_kpis",
        help="Receivables at the date on invoices with an open dispute, unless in litigation.",
    )
    exposure_payment_plan = fields.Monetary(
        string="In Payment Plan",
        compute="_compute_kpis",
        help="Receivables at the date on invoices of a payment plan in progress, unless in litigation or disputed.",
    )
    exposure_promised = fields.Monetary(
        string="Promised",
        compute="_compute_kpis",
        help="Receivables at the date on invoices covered by a pending promise to pay, unless in litigation, "
        "disputed or in a payment plan.",
    )
    exposure_normal = fields.Monetary(
        string="Normal Collection",
        compute="_compute_kpis",
        help="The rest of the receivables at the date: the statuses above and this one add up to the receivables.",
    )
    dispute_rate = fields.Float(
        string="Dispute Rate (%)",
        compute="_compute_kpis",
        help="Amount disputed by the disputes opened in the period (the whole invoice when no amount is given) / "
        "customer invoices of the period, taxes included, x 100.",
    )
    dispute_open_count = fields.Integer(
        string="Open Disputes",
        compute="_compute_kpis",
        help="Disputes open at the date: opened on or before it and not closed by then.",
    )
    dispute_open_amount = fields.Monetary(
        string="Amount in Open Disputes",
        compute="_compute_kpis",
        help="Amount disputed by the disputes open at the date (the whole invoice when no amount is given).",
    )
    dispute_resolution_days = fields.Float(
        string="Average Resolution Time (days)",
        compute="_compute_kpis",
        digits=(16, 1),
        help="Average of closing date - opening date, in days, over the disputes closed in the period.",
    )
    line_ids = fields.One2many("credit.control.dashboard.line", "dashboard_id", compute="_compute_kpis")
    level_line_ids = fields.One2many(
        "credit.control.dashboard.level", "dashboard_id", string="By Dunning Level", compute="_compute_kpis"
    )
    partner_line_ids = fields.One2many(
        "credit.control.dashboard.partner",
        "dashboard_id",
        string="Top Customers by DSO",
        compute="_compute_kpis",
        help="The 10 customers with the longest simple DSO (their receivables / their sales of the period x days "
        "of the period), among those with sales in the period.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("company_id", "date_to", "period_days", "user_id")
    def _compute_kpis(self):
        for board in self:
            values, lines = board._cc_kpis()
            board.update(values)
            for fname in ("line_ids", "level_line_ids", "partner_line_ids"):
                board[fname] = [fields.Command.clear()] + [fields.Command.create(line) for line in lines[fname]]

    @api.constrains("period_days")
    def _check_period_days(self):
        for board in self:
            if not 1 <= board.period_days <= 3660:
                raise ValidationError(self.env._("The period must be between 1 and 3660 days."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_refresh(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_aged_balance(self):
        return self._cc_aged_balance_action()

    def _cc_aged_balance_action(self, group_by=None, filters=()):
        """The aged balance at the dashboard's date, for its salesperson, grouped or filtered."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_control.credit_control_aged_balance_action")
        context = {"cc_aged_date": fields.Date.to_string(self.date_to)}
        if group_by:
            context["group_by"] = [group_by]
            action["view_mode"] = "pivot,list,graph"
            action["views"] = sorted(action["views"], key=lambda view: view[1] != "pivot")
        for name in filters:
            context[f"search_default_{name}"] = 1
        action["context"] = context
        if self.user_id:
            action["domain"] = [("user_id", "=", self.user_id.id)]
        return action

    def action_open_by_dunning_level(self):
        return self._cc_aged_balance_action(group_by="dunning_level_id")

    def action_open_by_status(self):
        return self._cc_aged_balance_action(group_by="status")

    def action_open_disputed(self):
        return self._cc_aged_balance_action(filters=("disputed",))

    def action_open_trend(self):
        return self.env["ir.actions.act_window"]._for_xml_id("credit_control.credit_control_kpi_monthly_action")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_kpis(self):
        """All the KPIs of the dashboard: (values, per-salesperson and per-customer lines)."""
        self.ensure_one()
        company, date_to = self.company_id, self.date_to
        date_from = date_to - timedelta(days=max(self.period_days, 1) - 1)
        Aged = self.env["credit.control.aged.balance"]
        currency = company.currency_id
        # 1. open and overdue receivables at the date, per customer and salesperson (aged balance)
        #    and per dunning level and collection status
        self.env.cr.execute(
            SQL(
                """
                SELECT a.partner_id, a.user_id, SUM(a.residual), SUM(a.overdue), a.dunning_level_id, a.status
                  FROM (%s) a
                 GROUP BY 1, 2, 5, 6
                """,
                Aged._cc_aged_query(date_to, company),
            )
        )
        open_rows = [r for r in self.env.cr.fetchall() if not self.user_id or r[1] == self.user_id.id]
        # 2. sales per month (12 months back) and per salesperson / customer over the period
        month_start = date_to.replace(day=1) - relativedelta(months=11)
        self.env["account.move"].flush_model()
        user_filter = SQL("m.invoice_user_id = %s", self.user_id.id) if self.user_id else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """
                SELECT date_trunc('month', m.invoice_date)::date,
                       m.invoice_user_id, m.commercial_partner_id,
                       SUM(m.amount_total_signed) FILTER (WHERE m.invoice_date >= %(date_from)s),
                       SUM(m.amount_total_signed),
                       SUM(m.amount_total_signed) FILTER (
                           WHERE m.move_type = 'out_invoice' AND m.invoice_date >= %(date_from)s),
                       SUM(-m.amount_total_signed) FILTER (
                           WHERE m.move_type = 'out_refund' AND m.invoice_date >= %(date_from)s)
                  FROM account_move m
                 WHERE m.company_id = %(company_id)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date BETWEEN LEAST(%(month_start)s, %(date_from)s) AND %(date_to)s
                   AND %(user_filter)s
                 GROUP BY 1, 2, 3
                """,
                date_from=date_from,
                date_to=date_to,
                month_start=month_start,
                company_id=company.id,
                user_filter=user_filter,
            )
        )
        sales_rows = self.env.cr.fetchall()
        # 3. installments due in the period, and what of them was collected by the date
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(l.balance), 0),
                       COALESCE(SUM((SELECT SUM(p.amount) FROM account_partial_reconcile p
                                      WHERE p.debit_move_id = l.id AND p.max_date <= %(date_to)s)), 0)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.company_id = %(company_id)s AND l.parent_state = 'posted' AND l.balance > 0
                   AND m.move_type = 'out_invoice'
                   AND l.date_maturity BETWEEN %(date_from)s AND %(date_to)s
                   AND %(user_filter)s
                """,
                date_from=date_from,
                date_to=date_to,
                company_id=company.id,
                user_filter=user_filter,
            )
        )
        due, collected = self.env.cr.fetchone()
        # 4. disputes: open at the date, opened and closed in the period
        disputes = self._cc_dispute_figures(date_from, date_to)

        receivables = sum(r[2] for r in open_rows)
        overdue = sum(r[3] for r in open_rows)
        period_sales = sum(r[3] or 0 for r in sales_rows)
        invoiced = sum(r[5] or 0 for r in sales_rows)
        refunded = sum(r[6] or 0 for r in sales_rows)
        monthly = {}
        for month, _user, _partner, _period, total, _inv, _ref in sales_rows:
            monthly[month] = monthly.get(month, 0.0) + float(total or 0.0)
        months = []
        cursor = date_to.replace(day=1)
        for _ in range(12):
            months.append((kpi.month_days(cursor.year, cursor.month), monthly.get(cursor, 0.0)))
            cursor -= relativedelta(months=1)
        # the current month counts up to the date only
        months[0] = (date_to.day, months[0][1])
        by_partner = {}
        by_status = dict.fromkeys(("litigation", "disputed", "payment_plan", "promised", "normal"), 0.0)
        for partner_id, _user_id, residual, _overdue, _level_id, status in open_rows:
            by_partner[partner_id] = by_partner.get(partner_id, 0.0) + float(residual)
            by_status[status] += float(residual)
        top10 = sorted(by_partner.values(), reverse=True)[:10]
        margin = self._cc_margin_percent(company, date_to)

        def percent(part, whole):
            value = kpi.ratio(float(part), float(whole))
            return round(100.0 * value, 2) if value is not None else 0.0

        values = {
            "date_from": date_from,
            "receivables": currency.round(receivables),
            "overdue": currency.round(overdue),
            "overdue_share": percent(overdue, receivables),
            "sales": currency.round(period_sales),
            "dso_simple": round(kpi.dso_simple(float(receivables), float(period_sales), self.period_days) or 0.0, 1),
            "dso_countback": round(kpi.dso_countback(float(receivables), months), 1),
            "collection_rate": percent(collected, due),
            "credit_note_rate": percent(refunded, invoiced),
            "margin_percent": margin,
            "sales_to_make_up": currency.round(kpi.sales_to_make_up(float(overdue), margin) or 0.0),
            "top10_receivables": currency.round(sum(top10)),
            "top10_share": percent(sum(top10), receivables),
            **{f"exposure_{status}": currency.round(amount) for status, amount in by_status.items()},
            "dispute_rate": percent(disputes["opened_amount"], invoiced),
            "dispute_open_count": disputes["open_count"],
            "dispute_open_amount": currency.round(disputes["open_amount"]),
            "dispute_resolution_days": round(disputes["resolution_days"], 1),
        }
        lines = {
            "line_ids": self._cc_salesperson_lines(open_rows, sales_rows),
            "level_line_ids": self._cc_level_lines(open_rows, receivables),
            "partner_line_ids": self._cc_partner_dso_lines(open_rows, sales_rows),
        }
        return values, lines

    def _cc_dispute_figures(self, date_from, date_to):
        """Dispute figures in company currency, in one query: disputes open at ``date_to`` (count and
        amount), amount disputed by the disputes opened in the period, average days to close the disputes
        closed in the period. The amount of a dispute is its amount disputed, else its invoice's total."""
        self.env["credit.control.dispute"].flush_model()
        self.env["account.move"].flush_model()
        user_filter = SQL("m.invoice_user_id = %s", self.user_id.id) if self.user_id else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """
                WITH d AS (
                    SELECT d.date_open, d.date_closed, d.state,
                           CASE WHEN m.amount_total = 0 THEN 0
                                ELSE COALESCE(NULLIF(d.amount_disputed, 0), m.amount_total)
                                     * m.amount_total_signed / m.amount_total
                           END AS amount
                      FROM credit_control_dispute d
                      JOIN account_move m ON m.id = d.move_id
                     WHERE d.company_id = %(company_id)s AND d.date_open <= %(date_to)s AND %(user_filter)s
                )
                SELECT COUNT(*) FILTER (WHERE open_then),
                       COALESCE(SUM(amount) FILTER (WHERE open_then), 0),
                       COALESCE(SUM(amount) FILTER (WHERE date_open >= %(date_from)s), 0),
                       COALESCE(AVG(date_closed - date_open) FILTER (
                           WHERE state = 'closed' AND date_closed BETWEEN %(date_from)s AND %(date_to)s), 0)
                  FROM (SELECT d.*, (d.state = 'open' OR d.date_closed > %(date_to)s) AS open_then FROM d) d
                """,
                company_id=self.company_id.id,
                date_from=date_from,
                date_to=date_to,
                user_filter=user_filter,
            )
        )
        open_count, open_amount, opened_amount, resolution_days = self.env.cr.fetchone()
        return {
            "open_count": open_count,
            "open_amount": float(open_amount),
            "opened_amount": float(opened_amount),
            "resolution_days": float(resolution_days),
        }

    def _cc_level_lines(self, open_rows, receivables):
        """Receivables and overdue per dunning level (no level: never dunned), largest first."""
        per_level = {}
        for _partner_id, _user_id, residual, overdue, level_id, _status in open_rows:
            line = per_level.setdefault(level_id, {"receivables": 0.0, "overdue": 0.0})
            line["receivables"] += float(residual)
            line["overdue"] += float(overdue)
        lines = []
        for level_id, line in per_level.items():
            share = kpi.ratio(line["receivables"], float(receivables))
            lines.append(
                {
                    "dunning_level_id": level_id,
                    **line,
                    "share": round(100.0 * share, 2) if share is not None else 0.0,
                }
            )
        return sorted(lines, key=lambda line: -line["receivables"])

    def _cc_partner_dso_lines(self, open_rows, sales_rows, limit=10):
        """The customers with the longest simple DSO over the period, among those with sales in it."""
        per_partner = {}
        for partner_id, _user_id, residual, overdue, _level_id, _status in open_rows:
            line = per_partner.setdefault(partner_id, {"receivables": 0.0, "overdue": 0.0, "sales": 0.0})
            line["receivables"] += float(residual)
            line["overdue"] += float(overdue)
        for _month, _user_id, partner_id, period_total, *_rest in sales_rows:
            if partner_id in per_partner:
                per_partner[partner_id]["sales"] += float(period_total or 0.0)
        lines = []
        for partner_id, line in per_partner.items():
            dso = kpi.dso_simple(line["receivables"], line["sales"], self.period_days)
            if partner_id and dso is not None and line["sales"] > 0:
                lines.append({"partner_id": partner_id, **line, "dso_simple": round(dso, 1)})
        return sorted(lines, key=lambda line: (-line["dso_simple"], -line["receivables"]))[:limit]

    def _cc_salesperson_lines(self, open_rows, sales_rows):
        per_user = {}
        for _partner_id, user_id, residual, overdue, _level_id, _status in open_rows:
            line = per_user.setdefault(user_id, {"receivables": 0.0, "overdue": 0.0, "sales": 0.0})
            line["receivables"] += float(residual)
            line["overdue"] += float(overdue)
        for _month, user_id, _partner, period_total, *_rest in sales_rows:
            line = per_user.setdefault(user_id, {"receivables": 0.0, "overdue": 0.0, "sales": 0.0})
            line["sales"] += float(period_total or 0.0)
        lines = []
        for user_id, line in per_user.items():
            dso = kpi.dso_simple(line["receivables"], line["sales"], self.period_days)
            lines.append({"user_id": user_id, **line, "dso_simple": round(dso, 1) if dso is not None else 0.0})
        return sorted(lines, key=lambda line: -line["receivables"])

    @api.model
    def _cc_margin_percent(self, company, date_to):
        """The real gross margin rate of the last 12 months when sale_margin is installed."""
        SaleLine = self.env["sale.order.line"]
        if "margin" in SaleLine._fields and SaleLine._fields["margin"].store:
            SaleLine.flush_model(["margin", "price_subtotal", "state"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT SUM(margin), SUM(price_subtotal) FROM sale_order_line
                     WHERE company_id = %s AND state = 'sale' AND create_date >= %s
                    """,
                    company.id,
                    date_to - relativedelta(months=12),
                )
            )
            margin, subtotal = self.env.cr.fetchone()
            if margin and subtotal and margin > 0:
                return round(100.0 * float(margin) / float(subtotal), 2)
        return company.cc_default_margin_percent


class CreditControlDashboardLine(models.TransientModel):
    _name = "credit.control.dashboard.line"
    _description = "Receivables Dashboard: Salesperson"
    _order = "receivables desc"

    dashboard_id = fields.Many2one("credit.control.dashboard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="dashboard_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson")
    receivables = fields.Monetary()
    overdue = fields.Monetary()
    sales = fields.Monetary(string="Sales of the Period")
    dso_simple = fields.Float(string="DSO (simple)", digits=(16, 1))


class CreditControlDashboardLevel(models.TransientModel):
    _name = "credit.control.dashboard.level"
    _description = "Receivables Dashboard: Dunning Level"
    _order = "receivables desc"

    dashboard_id = fields.Many2one("credit.control.dashboard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="dashboard_id.currency_id")
    dunning_level_id = fields.Many2one(
        "credit.control.dunning.level", string="Dunning Level", help="Empty: items never dunned."
    )
    receivables = fields.Monetary(help="Receivables at the date whose last dunning level is this one.")
    overdue = fields.Monetary()
    share = fields.Float(string="Share (%)", digits=(16, 2), help="Receivables of the level / receivables x 100.")


class CreditControlDashboardPartner(models.TransientModel):
    _name = "credit.control.dashboard.partner"
    _description = "Receivables Dashboard: Customer DSO"
    _order = "dso_simple desc"

    dashboard_id = fields.Many2one("credit.control.dashboard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="dashboard_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer")
    receivables = fields.Monetary()
    overdue = fields.Monetary()
    sales = fields.Monetary(string="Sales of the Period")
    dso_simple = fields.Float(
        string="DSO (simple)",
        digits=(16, 1),
        help="The customer's receivables / its sales of the period x days of the period.",
    )
