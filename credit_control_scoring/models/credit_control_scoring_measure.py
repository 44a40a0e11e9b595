from dataclasses import dataclass
from dataclasses import field
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools.misc import format_date
from odoo.tools.misc import formatLang

from .scoring_rules import GEARING_NEGATIVE_EQUITY
from .scoring_rules import SOLVENCY_NO_DEBT
from .scoring_rules import financial_ratios
from .scoring_rules import months_between

# numeric columns of a financial statement row
FINANCIAL_AMOUNTS = ("revenue", "equity", "total_assets", "total_debts", "net_debt", "net_cash", "net_result")


@dataclass
class MeasureContext:
    """What every measure needs: the customers to measure, in one company, at one date."""

    company: models.BaseModel
    scoring_model: models.BaseModel
    partner_ids: list
    today: date
    date_from: date
    months: int
    # facts shared by several measures and by the decisions, each read once per chunk
    cache: dict = field(default_factory=dict)
    # facts about the whole company, read once per run whatever the number of chunks
    shared: dict = field(default_factory=dict)


class CreditControlScoringMeasure(models.AbstractModel):
    """The measures of the scoring factors: one set-based query per factor for every customer.

    Each factor code maps (``_scoring_factor_measures``) to a method measuring it for a whole
    batch of customers and a method explaining one measured value in words. A later addon adds a
    factor with ``selection_add`` on ``credit.control.scoring.factor.factor`` and one entry here,
    or replaces the measure of an existing factor."""

    _name = "credit.control.scoring.measure"
    _description = "Credit Scoring Measures"

    # ------------------------------------------------------------
    # REGISTRY (extension point)
    # ------------------------------------------------------------

    @api.model
    def _scoring_factor_measures(self):
        """{factor code: {"group", "unit", "measure", "explain"}}.

        ``measure`` names a method ``(ctx) -> {partner_id: details}`` where ``details`` is a
        JSON-able dict holding at least ``value`` (the measured number mapped through the
        factor's bands); a customer absent from the result has no data for that factor.
        ``explain`` names a method ``(line, details) -> str``, ``details`` being None when the
        factor was missing."""
        return {
            "avg_days_late": {
                "group": "payment",
                "unit": "days",
                "measure": "_measure_avg_days_late",
                "explain": "_explain_avg_days_late",
            },
            "late_share": {
                "group": "payment",
                "unit": "%",
                "measure": "_measure_late_share",
                "explain": "_explain_late_share",
            },
            "overdue_share": {
                "group": "payment",
                "unit": "%",
                "measure": "_measure_overdue_share",
                "explain": "_explain_overdue_share",
            },
            "dunning_level": {
                "group": "payment",
                "unit": "level",
                "measure": "_measure_dunning_level",
                "explain": "_explain_dunning_level",
            },
            "disputes": {
                "group": "payment",
                "unit": "count",
                "measure": "_measure_disputes",
                "explain": "_explain_disputes",
            },
            "broken_promises": {
                "group": "payment",
                "unit": "count",
                "measure": "_measure_broken_promises",
                "explain": "_explain_broken_promises",
            },
            "payment_plans": {
                "group": "payment",
                "unit": "count",
                "measure": "_measure_payment_plans",
                "explain": "_explain_payment_plans",
            },
            "account_age": {
                "group": "relationship",
                "unit": "months",
                "measure": "_measure_account_age",
                "explain": "_explain_account_age",
            },
            "exposure_ratio": {
                "group": "relationship",
                "unit": "months",
                "measure": "_measure_exposure_ratio",
                "explain": "_explain_exposure_ratio",
            },
            "concentration": {
                "group": "relationship",
                "unit": "%",
                "measure": "_measure_concentration",
                "explain": "_explain_concentration",
            },
            "revenue": {
                "group": "financial",
                "unit": "amount",
                "measure": "_measure_revenue",
                "explain": "_explain_revenue",
            },
            "gearing": {
                "group": "financial",
                "unit": "ratio",
                "measure": "_measure_gearing",
                "explain": "_explain_gearing",
            },
            "solvency": {
                "group": "financial",
                "unit": "ratio",
                "measure": "_measure_solvency",
                "explain": "_explain_solvency",
            },
            "net_margin": {
                "group": "financial",
                "unit": "%",
                "measure": "_measure_net_margin",
                "explain": "_explain_net_margin",
            },
            "company_age": {
                "group": "financial",
                "unit": "years",
                "measure": "_measure_company_age",
                "explain": "_explain_company_age",
            },
            "sector": {
                "group": "financial",
                "unit": "level",
                "measure": "_measure_sector",
                "explain": "_explain_sector",
            },
            "bureau_score": {
                "group": "external",
                "unit": "score",
                "measure": "_measure_bureau_score",
                "explain": "_explain_bureau_score",
            },
            "insolvency": {
                "group": "external",
                "unit": "flag",
                "measure": "_measure_insolvency",
                "explain": "_explain_insolvency",
            },
        }

    @api.model
    def _scoring_change_queries(self, company, partner_ids):
        """Extension point: SQL queries returning (partner_id, changed_at) rows, the moments at
        which data used by the score changed. A customer whose latest change is newer than its
        latest score is rescored by the daily scheduled action."""
        today = fields.Date.context_today(self)
        receivable = self._receivable_join()
        return [
            # financial statements, bureau scores, insolvency, founding date, sector...
            SQL(
                "SELECT p.id, p.cc_score_data_date FROM res_partner p "
                "WHERE p.id = ANY(%(ids)s) AND p.cc_score_data_date IS NOT NULL",
                ids=partner_ids,
            ),
            # invoices, credit notes, payments posted, changed or cancelled
            SQL(
                """
                SELECT m.commercial_partner_id, MAX(m.write_date)
                  FROM account_move m
                 WHERE m.company_id = %(company_id)s AND m.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY m.commercial_partner_id
                """,
                company_id=company.id,
                ids=partner_ids,
            ),
            # reconciliations (payments matched with invoices)
            SQL(
                """
                SELECT p.commercial_partner_id, MAX(pr.create_date)
                  FROM account_partial_reconcile pr
                  JOIN account_move_line l ON l.id = pr.debit_move_id
                  %(receivable)s
                 WHERE pr.company_id = %(company_id)s AND p.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY p.commercial_partner_id
                """,
                receivable=receivable,
                company_id=company.id,
                ids=partner_ids,
            ),
            # an open installment fell overdue (the day after its due date)
            SQL(
                """
                SELECT p.commercial_partner_id, (MAX(l.date_maturity) + 1)::timestamp
                  FROM account_move_line l
                  %(receivable)s
                 WHERE l.company_id = %(company_id)s AND l.parent_state = 'posted' AND NOT l.reconciled
                   AND l.amount_residual > 0 AND l.date_maturity < %(today)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY p.commercial_partner_id
                """,
                receivable=receivable,
                company_id=company.id,
                today=today,
                ids=partner_ids,
            ),
            # confirmed orders (exposure)
            SQL(
                """
                SELECT p.commercial_partner_id, MAX(so.write_date)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.company_id = %(company_id)s AND p.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY p.commercial_partner_id
                """,
                company_id=company.id,
                ids=partner_ids,
            ),
        ] + [
            # reminders sent, disputes, promises to pay and payment plans
            SQL(
                """
                SELECT p.commercial_partner_id, MAX(t.write_date)
                  FROM %(table)s t
                  JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company_id)s AND p.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY p.commercial_partner_id
                """,
                table=SQL.identifier(table),
                company_id=company.id,
                ids=partner_ids,
            )
            for table in (
                "credit_control_dunning_communication",
                "credit_control_dispute",
                "credit_control_promise",
                "credit_control_payment_plan",
            )
        ]

    # ------------------------------------------------------------
    # SHARED SQL AND FACTS
    # ------------------------------------------------------------

    @api.model
    def _flush_sources(self):
        for model in (
            "account.move",
            "account.move.line",
            "account.partial.reconcile",
            "res.partner",
            "sale.order",
            "credit.control.financial.statement",
            "credit.control.sector.risk",
            "credit.control.dunning.level",
            "credit.control.dunning.communication",
            "credit.control.dispute",
            "credit.control.promise",
            "credit.control.payment.plan",
        ):
            self.env[model].flush_model()

    @api.model
    def _receivable_join(self):
        """Joins restricting ``l`` (account_move_line) to receivable accounts, exposing ``p``."""
        return SQL(
            "JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable' "
            "JOIN res_partner p ON p.id = l.partner_id"
        )

    @api.model
    def _members(self, ctx):
        """Ids of the measured commercial partners and of their contacts: the journal items and
        invoices of a customer are found through the partner index, chunk by chunk."""
        if "members" not in ctx.cache:
            self.env.cr.execute(
                SQL("SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s)", ctx.partner_ids)
            )
            ctx.cache["members"] = [row[0] for row in self.env.cr.fetchall()]
        return ctx.cache["members"]

    @api.model
    def _installments_sql(self, ctx, only_window=False):
        """Receivable installments of posted customer invoices, due by today and in the window
        (or, unless ``only_window``, due earlier and still open)."""
        window = SQL("COALESCE(l.date_maturity, l.date) >= %s", ctx.date_from)
        if not only_window:
            window = SQL("(%s OR l.amount_residual > 0)", window)
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, l.id, l.move_id,
                   COALESCE(l.date_maturity, l.date) AS due, l.amount_residual AS residual
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
              %(receivable)s
             WHERE l.company_id = %(company_id)s
               AND l.display_type = 'payment_term'
               AND l.parent_state = 'posted'
               AND l.balance > 0
               AND l.partner_id = ANY(%(members)s)
               AND COALESCE(l.date_maturity, l.date) <= %(today)s
               AND %(window)s
            """,
            receivable=self._receivable_join(),
            company_id=ctx.company.id,
            members=self._members(ctx),
            today=ctx.today,
            window=window,
        )

    @api.model
    def _fact_invoicing(self, ctx):
        """One pass over the chunk's posted invoices and credit notes: {partner_id: {"total": invoiced
        less credited in the window (None without any), "first": date of the first invoice (None
        with credit notes only)}}, shared by the monthly purchases, the account age and the dunning
        facts."""
        if "invoicing" not in ctx.cache:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT m.commercial_partner_id,
                           SUM(m.amount_total_signed) FILTER (WHERE m.invoice_date > %(date_from)s),
                           MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice')
                      FROM account_move m
                     WHERE m.company_id = %(company_id)s
                       AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND m.partner_id = ANY(%(members)s)
                       AND m.invoice_date <= %(today)s
                     GROUP BY m.commercial_partner_id
                    """,
                    company_id=ctx.company.id,
                    members=self._members(ctx),
                    date_from=ctx.date_from,
                    today=ctx.today,
                )
            )
            ctx.cache["invoicing"] = {
                partner_id: {"total": total, "first": first} for partner_id, total, first in self.env.cr.fetchall()
            }
        return ctx.cache["invoicing"]

    @api.model
    def _fact_monthly_purchases(self, ctx):
        """{partner_id: average monthly invoiced amount (taxes included, less credit notes)}, in
        company currency, over the window or, for a newer customer, over the months since its
        first invoice (a started month counts as a month)."""
        if "monthly_purchases" not in ctx.cache:
            purchases = {}
            for partner_id, fact in self._fact_invoicing(ctx).items():
                total, first = fact["total"], fact["first"]
                if total is None:
                    continue
                months = ctx.months
                if first:
                    months = min(max(months_between(first, ctx.today) + 1, 1), ctx.months)
                purchases[partner_id] = {"monthly": float(total) / months, "months": months}
            ctx.cache["monthly_purchases"] = purchases
        return ctx.cache["monthly_purchases"]

    @api.model
    def _fact_statements(self, ctx):
        """{partner_id: latest financial statement} (a dict with the amounts, the revenue in
        company currency and the derived ratios), from statements not older than the model
        allows; a statement of the company wins over a shared one of the same year."""
        if "statements" in ctx.cache:
            return ctx.cache["statements"]
        oldest_year = ctx.today.year - ctx.scoring_model.financial_max_age_years
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (s.partner_id)
                       s.partner_id, s.id, s.year, s.date_end, s.currency_id, s.revenue, s.equity,
                       s.total_assets, s.total_debts, s.net_debt, s.net_cash, s.net_result
                  FROM credit_control_financial_statement s
                 WHERE s.partner_id = ANY(%(ids)s)
                   AND (s.company_id = %(company_id)s OR s.company_id IS NULL)
                   AND s.year >= %(oldest_year)s
                 ORDER BY s.partner_id, s.year DESC, s.company_id IS NULL, s.id DESC
                """,
                ids=ctx.partner_ids,
                company_id=ctx.company.id,
                oldest_year=oldest_year,
            )
        )
        rows = self.env.cr.dictfetchall()
        company_currency = ctx.company.currency_id
        statements = {}
        for row in rows:
            row = {k: float(v) if k in FINANCIAL_AMOUNTS and v is not None else v for k, v in row.items()}
            revenue = row["revenue"]
            if revenue and row["currency_id"] != company_currency.id:
                currency = self.env["res.currency"].browse(row["currency_id"])
                at = row["date_end"] or date(row["year"], 12, 31)
                revenue = currency._convert(revenue, company_currency, ctx.company, at)
            row["revenue_company"] = revenue
            row.update(
                financial_ratios(
                    revenue=row["revenue"],
                    equity=row["equity"],
                    total_assets=row["total_assets"],
                    total_debts=row["total_debts"],
                    net_debt=row["net_debt"],
                    net_result=row["net_result"],
                )
            )
            statements[row["partner_id"]] = row
        ctx.cache["statements"] = statements
        return statements

    # ------------------------------------------------------------
    # MEASURES: internal payment behaviour
    # ------------------------------------------------------------

    @api.model
    def _fact_lateness(self, ctx):
        """One pass over the chunk's installments for the two lateness measures: {partner_id:
        {"days", "amount"} and/or {"late", "count"}} (see the two measures)."""
        if "lateness" not in ctx.cache:
            self.env.cr.execute(
                SQL(
                    """
                    WITH inst AS (%(installments)s),
                    -- the settlements of the installments due in the window, read once for both measures
                    settled AS (
                        SELECT i.id, i.partner_id, i.due, pr.max_date, pr.amount
                          FROM inst i
                          JOIN account_partial_reconcile pr ON pr.debit_move_id = i.id
                         WHERE i.due >= %(date_from)s
                    ),
                    parts AS (
                        SELECT partner_id, GREATEST(max_date - due, 0) AS days, amount AS weight
                          FROM settled
                        UNION ALL
                        SELECT i.partner_id, %(today)s - i.due, i.residual
                          FROM inst i
                         WHERE i.residual > 0
                    ),
                    settled_late AS (SELECT DISTINCT id FROM settled WHERE max_date > due),
                    lateness AS (
                        SELECT partner_id, SUM(days * weight) / SUM(weight) AS days, SUM(weight) AS amount
                          FROM parts
                         GROUP BY partner_id
                        HAVING SUM(weight) > 0
                    ),
                    per_move AS (
                        SELECT i.partner_id, i.move_id,
                               BOOL_OR((i.residual > 0 AND i.due < %(today)s) OR sl.id IS NOT NULL) AS late
                          FROM inst i
                          LEFT JOIN settled_late sl ON sl.id = i.id
                         WHERE i.due >= %(date_from)s
                         GROUP BY i.partner_id, i.move_id
                    ),
                    share AS (
                        SELECT partner_id, COUNT(*) AS count, COUNT(*) FILTER (WHERE late) AS late
                          FROM per_move
                         GROUP BY partner_id
                    )
                    SELECT COALESCE(lateness.partner_id, share.partner_id), lateness.days, lateness.amount,
                           share.count, share.late
                      FROM lateness
                      FULL JOIN share ON share.partner_id = lateness.partner_id
                    """,
                    installments=self._installments_sql(ctx),
                    date_from=ctx.date_from,
                    today=ctx.today,
                )
            )
            ctx.cache["lateness"] = {
                partner_id: {"days": days, "amount": amount, "count": count, "late": late}
                for partner_id, days, amount, count, late in self.env.cr.fetchall()
            }
        return ctx.cache["lateness"]

    @api.model
    def _measure_avg_days_late(self, ctx):
        """Days between due date and payment, weighted by amount: each settled part of an
        installment due in the window counts with its settlement date, each unpaid part (also of
        installments due before the window) with today."""
        return {
            partner_id: {"value": round(float(fact["days"]), 1), "amount": float(fact["amount"])}
            for partner_id, fact in self._fact_lateness(ctx).items()
            if fact["amount"] is not None
        }

    @api.model
    def _measure_late_share(self, ctx):
        """Share of the invoices due in the window that were paid after their due date or are
        still unpaid after it."""
        return {
            partner_id: {
                "value": round(100.0 * fact["late"] / fact["count"], 1),
                "late": fact["late"],
                "count": fact["count"],
            }
            for partner_id, fact in self._fact_lateness(ctx).items()
            if fact["count"]
        }

    @api.model
    def _fact_open_items(self, ctx):
        """One pass over the chunk's receivable items for the overdue share and the concentration:
        {partner_id: {"open", "overdue", "recent", "balance"}}."""
        if "open_items" not in ctx.cache:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT p.commercial_partner_id,
                           COALESCE(SUM(l.amount_residual) FILTER (WHERE l.amount_residual > 0), 0),
                           COALESCE(SUM(l.amount_residual) FILTER (
                               WHERE l.amount_residual > 0 AND COALESCE(l.date_maturity, l.date) < %(today)s
                           ), 0),
                           COUNT(*) FILTER (WHERE l.balance > 0 AND l.date > %(date_from)s),
                           GREATEST(COALESCE(SUM(l.amount_residual) FILTER (WHERE NOT l.reconciled), 0), 0)
                      FROM account_move_line l
                      %(receivable)s
                     WHERE l.company_id = %(company_id)s
                       AND l.parent_state = 'posted'
                       AND l.partner_id = ANY(%(members)s)
                       AND (NOT l.reconciled OR l.date > %(date_from)s)
                     GROUP BY p.commercial_partner_id
                    """,
                    receivable=self._receivable_join(),
                    company_id=ctx.company.id,
                    members=self._members(ctx),
                    today=ctx.today,
                    date_from=ctx.date_from,
                )
            )
            ctx.cache["open_items"] = {
                partner_id: {
                    "open": float(open_amount),
                    "overdue": float(overdue),
                    "recent": recent,
                    "balance": float(balance),
                }
                for partner_id, open_amount, overdue, recent, balance in self.env.cr.fetchall()
            }
        return ctx.cache["open_items"]

    @api.model
    def _measure_overdue_share(self, ctx):
        """Share of the open receivables that is overdue today. Missing for a customer with
        nothing open and no invoice in the window."""
        result = {}
        for partner_id, fact in self._fact_open_items(ctx).items():
            open_amount, overdue = fact["open"], fact["overdue"]
            if open_amount <= 0 and not fact["recent"]:
                continue
            share = 100.0 * overdue / open_amount if open_amount > 0 else 0.0
            result[partner_id] = {"value": round(share, 1), "overdue": overdue, "open": open_amount}
        return result

    @api.model
    def _fact_dunning(self, ctx):
        """The dunning history of the window for every customer with at least one posted invoice,
        in one query: the highest level sent (its rank among the policy's levels from the due date
        on; reminders before the due date do not count), the disputes opened, the promises to pay
        broken and the payment plans agreed (cancelled and draft plans do not count)."""
        if "dunning" not in ctx.cache:
            self.env.cr.execute(
                SQL(
                    """
                    WITH customer AS (SELECT unnest(%(customers)s::int[]) AS partner_id),
                    level_rank AS (
                        SELECT lv.id, RANK() OVER (PARTITION BY lv.policy_id ORDER BY lv.days, lv.id) AS rank
                          FROM credit_control_dunning_level lv
                         WHERE lv.days >= 0
                    ),
                    dunning AS (
                        SELECT p.commercial_partner_id AS partner_id, MAX(r.rank) AS level
                          FROM credit_control_dunning_communication c
                          JOIN res_partner p ON p.id = c.partner_id
                          JOIN level_rank r ON r.id = c.level_id
                         WHERE c.company_id = %(company_id)s
                           AND c.state = 'sent'
                           AND c.partner_id = ANY(%(members)s)
                           AND c.date BETWEEN %(date_from)s AND %(today)s
                         GROUP BY p.commercial_partner_id
                    ),
                    dispute AS (
                        SELECT d.partner_id, COUNT(*) AS count
                          FROM credit_control_dispute d
                         WHERE d.company_id = %(company_id)s
                           AND d.partner_id = ANY(%(members)s)
                           AND d.date_open BETWEEN %(date_from)s AND %(today)s
                         GROUP BY d.partner_id
                    ),
                    promise AS (
                        SELECT p.commercial_partner_id AS partner_id, COUNT(*) AS count
                          FROM credit_control_promise pr
                          JOIN res_partner p ON p.id = pr.partner_id
                         WHERE pr.company_id = %(company_id)s
                           AND pr.state = 'broken'
                           AND pr.partner_id = ANY(%(members)s)
                           AND COALESCE(pr.date_broken, pr.date_promised) BETWEEN %(date_from)s AND %(today)s
                         GROUP BY p.commercial_partner_id
                    ),
                    plan AS (
                        SELECT p.commercial_partner_id AS partner_id, COUNT(*) AS count
                          FROM credit_control_payment_plan pl
                          JOIN res_partner p ON p.id = pl.partner_id
                         WHERE pl.company_id = %(company_id)s
                           AND pl.state IN ('active', 'done', 'broken')
                           AND pl.partner_id = ANY(%(members)s)
                           AND pl.date_start BETWEEN %(date_from)s AND %(today)s
                         GROUP BY p.commercial_partner_id
                    )
                    SELECT customer.partner_id, COALESCE(dunning.level, 0), COALESCE(dispute.count, 0),
                           COALESCE(promise.count, 0), COALESCE(plan.count, 0)
                      FROM customer
                      LEFT JOIN dunning ON dunning.partner_id = customer.partner_id
                      LEFT JOIN dispute ON dispute.partner_id = customer.partner_id
                      LEFT JOIN promise ON promise.partner_id = customer.partner_id
                      LEFT JOIN plan ON plan.partner_id = customer.partner_id
                    """,
                    company_id=ctx.company.id,
                    members=self._members(ctx),
                    customers=[pid for pid, fact in self._fact_invoicing(ctx).items() if fact["first"]],
                    date_from=ctx.date_from,
                    today=ctx.today,
                )
            )
            ctx.cache["dunning"] = {
                partner_id: {
                    "dunning_level": level,
                    "disputes": disputes,
                    "broken_promises": broken,
                    "payment_plans": plans,
                }
                for partner_id, level, disputes, broken, plans in self.env.cr.fetchall()
            }
        return ctx.cache["dunning"]

    def _dunning_measure(self, ctx, key):
        return {partner_id: {"value": facts[key]} for partner_id, facts in self._fact_dunning(ctx).items()}

    @api.model
    def _measure_dunning_level(self, ctx):
        """Rank of the highest dunning level sent in the window (0: never dunned). Missing for a
        customer that was never invoiced."""
        return self._dunning_measure(ctx, "dunning_level")

    @api.model
    def _measure_disputes(self, ctx):
        """Disputes opened in the window, on any of the customer's invoices."""
        return self._dunning_measure(ctx, "disputes")

    @api.model
    def _measure_broken_promises(self, ctx):
        """Promises to pay broken in the window."""
        return self._dunning_measure(ctx, "broken_promises")

    @api.model
    def _measure_payment_plans(self, ctx):
        """Payment plans agreed in the window (in progress, paid or broken)."""
        return self._dunning_measure(ctx, "payment_plans")

    # ------------------------------------------------------------
    # MEASURES: relationship
    # ------------------------------------------------------------

    @api.model
    def _measure_account_age(self, ctx):
        """Months since the customer's first posted invoice in the company."""
        result = {}
        for partner_id, fact in self._fact_invoicing(ctx).items():
            first = fact["first"]
            if not first:
                continue
            result[partner_id] = {"value": months_between(first, ctx.today), "first": fields.Date.to_string(first)}
        return result

    @api.model
    def _measure_exposure_ratio(self, ctx):
        """Exposure (open receivables + draft invoices + orders not invoiced) in months of
        average purchases. Missing without purchases in the window."""
        purchases = self._fact_monthly_purchases(ctx)
        ids = [partner_id for partner_id, fact in purchases.items() if fact["monthly"] > 0]
        if ctx.shared.get("several_chunks"):
            # one query for every customer of the company, shared by the chunks of the run
            if "figures" not in ctx.shared:
                # the exposure alone of each customer: not the whole figures' rows of all of them
                figures = self.env["res.partner"]._cc_figures_query(None, ctx.company)
                self.env.cr.execute(SQL("SELECT f.partner_id, f.exposure FROM (%s) f", figures))
                ctx.shared["figures"] = {partner_id: float(exposure) for partner_id, exposure in self.env.cr.fetchall()}
            exposures = ctx.shared["figures"]
        else:
            figures = self.env["res.partner"]._cc_read_figures(ids, ctx.company) if ids else {}
            exposures = {partner_id: float(row["exposure"]) for partner_id, row in figures.items()}
        result = {}
        for partner_id in ids:
            exposure = exposures.get(partner_id, 0.0)
            monthly = purchases[partner_id]["monthly"]
            result[partner_id] = {
                "value": round(exposure / monthly, 2),
                "exposure": exposure,
                "monthly": round(monthly, 2),
                "months": purchases[partner_id]["months"],
            }
        return result

    @api.model
    def _measure_concentration(self, ctx):
        """The customer's share of the company's open receivables. Missing when the company has
        no open receivable at all."""
        receivable = self._receivable_join()
        if "open_total" not in ctx.shared:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT SUM(amount) FROM (
                        SELECT GREATEST(SUM(l.amount_residual), 0) AS amount
                          FROM account_move_line l
                          %(receivable)s
                         WHERE l.company_id = %(company_id)s AND l.parent_state = 'posted' AND NOT l.reconciled
                         GROUP BY p.commercial_partner_id
                    ) balances
                    """,
                    receivable=receivable,
                    company_id=ctx.company.id,
                )
            )
            ctx.shared["open_total"] = float(self.env.cr.fetchone()[0] or 0.0)
        total = ctx.shared["open_total"]
        if total <= 0:
            return {}
        amounts = {partner_id: fact["balance"] for partner_id, fact in self._fact_open_items(ctx).items()}
        return {
            partner_id: {
                "value": round(100.0 * amounts.get(partner_id, 0.0) / total, 2),
                "open": amounts.get(partner_id, 0.0),
                "total": total,
            }
            for partner_id in ctx.partner_ids
        }

    # ------------------------------------------------------------
    # MEASURES: financial data
    # ------------------------------------------------------------

    @api.model
    def _measure_revenue(self, ctx):
        return {
            partner_id: {"value": round(st["revenue_company"], 2), "year": st["year"]}
            for partner_id, st in self._fact_statements(ctx).items()
            if st["revenue_company"] and st["revenue_company"] > 0
        }

    @api.model
    def _measure_gearing(self, ctx):
        """Net debt / equity; a zero or negative equity measures as the worst gearing."""
        return {
            partner_id: {
                "value": st["gearing"],
                "year": st["year"],
                "negative_equity": st["gearing"] == GEARING_NEGATIVE_EQUITY,
            }
            for partner_id, st in self._fact_statements(ctx).items()
            if st["gearing"] is not None
        }

    @api.model
    def _measure_solvency(self, ctx):
        """Total assets / total debts."""
        return {
            partner_id: {"value": st["solvency"], "year": st["year"], "no_debt": st["solvency"] == SOLVENCY_NO_DEBT}
            for partner_id, st in self._fact_statements(ctx).items()
            if st["solvency"] is not None
        }

    @api.model
    def _measure_net_margin(self, ctx):
        """Net result / revenue, in %."""
        return {
            partner_id: {"value": st["net_margin"], "year": st["year"]}
            for partner_id, st in self._fact_statements(ctx).items()
            if st["net_margin"] is not None
        }

    @api.model
    def _measure_company_age(self, ctx):
        """Full years since the company was founded."""
        self.env.cr.execute(
            SQL(
                "SELECT id, cc_founding_date FROM res_partner WHERE id = ANY(%s) AND cc_founding_date <= %s",
                ctx.partner_ids,
                ctx.today,
            )
        )
        return {
            partner_id: {
                "value": months_between(founded, ctx.today) // 12,
                "founded": fields.Date.to_string(founded),
            }
            for partner_id, founded in self.env.cr.fetchall()
        }

    @api.model
    def _measure_sector(self, ctx):
        """Risk level (1 very low to 5 very high) of the customer's industry in the company."""
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.industry_id, r.risk_level
                  FROM res_partner p
                  JOIN credit_control_sector_risk r ON r.industry_id = p.industry_id AND r.company_id = %(company_id)s
                 WHERE p.id = ANY(%(ids)s)
                """,
                company_id=ctx.company.id,
                ids=ctx.partner_ids,
            )
        )
        return {
            partner_id: {"value": int(level), "industry_id": industry_id}
            for partner_id, industry_id, level in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # MEASURES: external data
    # ------------------------------------------------------------

    @api.model
    def _measure_bureau_score(self, ctx):
        """The latest bureau score, if not older than the model allows."""
        oldest = ctx.today - relativedelta(months=ctx.scoring_model.bureau_max_age_months)
        self.env.cr.execute(
            SQL(
                """
                SELECT id, cc_bureau_score, cc_bureau_date, cc_bureau_provider
                  FROM res_partner
                 WHERE id = ANY(%s) AND cc_bureau_date >= %s AND cc_bureau_date <= %s
                """,
                ctx.partner_ids,
                oldest,
                ctx.today,
            )
        )
        return {
            partner_id: {
                "value": float(score or 0.0),
                "date": fields.Date.to_string(scored_on),
                "provider": provider or "",
            }
            for partner_id, score, scored_on, provider in self.env.cr.fetchall()
        }

    @api.model
    def _measure_insolvency(self, ctx):
        """1 for a customer in insolvency proceedings, 0 otherwise; never missing."""
        self.env.cr.execute(
            SQL("SELECT id, cc_insolvency, cc_insolvency_date FROM res_partner WHERE id = ANY(%s)", ctx.partner_ids)
        )
        return {
            partner_id: {"value": 1 if flag else 0, "date": fields.Date.to_string(opened) if opened else False}
            for partner_id, flag, opened in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # EXPLANATIONS (one sentence per factor, in the reader's language)
    # ------------------------------------------------------------

    def _num(self, value, digits=0):
        return formatLang(self.env, value, digits=digits)

    def _date(self, value):
        return format_date(self.env, value) if value else ""

    def _money(self, line, amount):
        return formatLang(self.env, amount, currency_obj=line.score_id.company_id.currency_id)

    def _months(self, line):
        return line.score_id.model_id.window_months or 12

    def _explain_avg_days_late(self, line, details):
        if details is None:
            return self.env._("no invoice due in the last %(months)s months", months=self._months(line))
        return self.env._(
            "%(days)s days late on average (weighted by amount) in the last %(months)s months",
            days=self._num(details["value"], 1),
            months=self._months(line),
        )

    def _explain_late_share(self, line, details):
        if details is None:
            return self.env._("no invoice due in the last %(months)s months", months=self._months(line))
        return self.env._(
            "%(percent)s %% of invoices paid late in the last %(months)s months (%(late)s of %(count)s)",
            percent=self._num(details["value"]),
            months=self._months(line),
            late=details["late"],
            count=details["count"],
        )

    def _explain_overdue_share(self, line, details):
        if details is None:
            return self.env._("nothing open and no invoice in the last %(months)s months", months=self._months(line))
        return self.env._(
            "%(percent)s %% of the open receivables overdue (%(overdue)s of %(open)s)",
            percent=self._num(details["value"]),
            overdue=self._money(line, details["overdue"]),
            open=self._money(line, details["open"]),
        )

    def _explain_dunning_level(self, line, details):
        if details is None:
            return self.env._("never invoiced: no dunning history")
        if not details["value"]:
            return self.env._("no reminder sent in the last %(months)s months", months=self._months(line))
        return self.env._(
            "dunning level %(level)s reached in the last %(months)s months",
            level=self._num(details["value"]),
            months=self._months(line),
        )

    def _explain_disputes(self, line, details):
        if details is None:
            return self.env._("never invoiced: no dispute history")
        return self.env._(
            "%(count)s disputes in the last %(months)s months",
            count=self._num(details["value"]),
            months=self._months(line),
        )

    def _explain_broken_promises(self, line, details):
        if details is None:
            return self.env._("never invoiced: no promise-to-pay history")
        return self.env._(
            "%(count)s broken promises to pay in the last %(months)s months",
            count=self._num(details["value"]),
            months=self._months(line),
        )

    def _explain_payment_plans(self, line, details):
        if details is None:
            return self.env._("never invoiced: no payment plan history")
        return self.env._(
            "%(count)s payment plans in the last %(months)s months",
            count=self._num(details["value"]),
            months=self._months(line),
        )

    def _explain_account_age(self, line, details):
        if details is None:
            return self.env._("no invoice yet: new customer")
        return self.env._(
            "customer for %(months)s months (first invoice on %(date)s)",
            months=self._num(details["value"]),
            date=self._date(details["first"]),
        )

    def _explain_exposure_ratio(self, line, details):
        if details is None:
            return self.env._("no purchase in the last %(months)s months", months=self._months(line))
        return self.env._(
            "exposure %(exposure)s = %(ratio)s months of average purchases (%(monthly)s a month over %(months)s "
            "months)",
            exposure=self._money(line, details["exposure"]),
            ratio=self._num(details["value"], 1),
            monthly=self._money(line, details["monthly"]),
            months=details.get("months") or self._months(line),
        )

    def _explain_concentration(self, line, details):
        if details is None:
            return self.env._("the company has no open receivable")
        return self.env._(
            "%(percent)s %% of our open receivables (%(amount)s)",
            percent=self._num(details["value"], 1),
            amount=self._money(line, details["open"]),
        )

    def _explain_revenue(self, line, details):
        if details is None:
            return self.env._("no recent revenue figure")
        return self.env._(
            "revenue %(amount)s in %(year)s", amount=self._money(line, details["value"]), year=details["year"]
        )

    def _explain_gearing(self, line, details):
        if details is None:
            return self.env._("no recent net debt and equity figures")
        if details.get("negative_equity"):
            return self.env._("equity zero or negative in %(year)s", year=details["year"])
        return self.env._(
            "gearing (net debt / equity) %(ratio)s in %(year)s",
            ratio=self._num(details["value"], 2),
            year=details["year"],
        )

    def _explain_solvency(self, line, details):
        if details is None:
            return self.env._("no recent total assets and debts figures")
        if details.get("no_debt"):
            return self.env._("no debts in %(year)s", year=details["year"])
        return self.env._(
            "solvency (total assets / total debts) %(ratio)s in %(year)s",
            ratio=self._num(details["value"], 2),
            year=details["year"],
        )

    def _explain_net_margin(self, line, details):
        if details is None:
            return self.env._("no recent revenue and result figures")
        return self.env._(
            "net margin %(percent)s %% in %(year)s", percent=self._num(details["value"], 1), year=details["year"]
        )

    def _explain_company_age(self, line, details):
        if details is None:
            return self.env._("founding date unknown")
        return self.env._(
            "company founded %(years)s years ago (%(date)s)",
            years=details["value"],
            date=self._date(details["founded"]),
        )

    def _explain_sector(self, line, details):
        if details is None:
            return self.env._("no sector, or no risk level for its sector")
        levels = dict(self.env["credit.control.sector.risk"]._fields["risk_level"]._description_selection(self.env))
        return self.env._(
            "sector %(sector)s: %(level)s risk",
            sector=self.env["res.partner.industry"].browse(details["industry_id"]).display_name,
            level=levels.get(str(details["value"]), details["value"]),
        )

    def _explain_bureau_score(self, line, details):
        if details is None:
            return self.env._("no recent bureau score")
        if details.get("provider"):
            return self.env._(
                "bureau score %(score)s on %(date)s (%(provider)s)",
                score=self._num(details["value"], 1),
                date=self._date(details["date"]),
                provider=details["provider"],
            )
        return self.env._(
            "bureau score %(score)s on %(date)s", score=self._num(details["value"], 1), date=self._date(details["date"])
        )

    def _explain_insolvency(self, line, details):
        if details and details["value"]:
            return self.env._("insolvency proceedings opened on %(date)s", date=self._date(details.get("date")) or "?")
        return self.env._("no insolvency proceedings")
