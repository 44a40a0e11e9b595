from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .aging import bucket_labels

# Collection status of an open item, by precedence: the first that applies wins.
AGED_STATUS = [
    ("litigation", "In Litigation"),
    ("disputed", "Disputed"),
    ("payment_plan", "In Payment Plan"),
    ("promised", "Promised"),
    ("normal", "Normal"),
]


class CreditControlAgedBalance(models.Model):
    """Aged balance ("balance âgée"): the receivable items open at a date, in days-past-due buckets.

    One row per receivable journal item with a residual at the date, in company currency. The
    residual at a past date is rebuilt from the reconciliations dated up to that date, so the
    report reproduces what was open then, and its total equals the receivable accounts' balance
    at that date. The date comes from the context key ``cc_aged_date`` (default: today).

    The dunning level and the collection status (dispute, promise, payment plan, litigation) are
    the items' current ones, whatever the date of the report."""

    _name = "credit.control.aged.balance"
    _description = "Aged Balance"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, help="The invoice's salesperson, else the customer's."
    )
    partner_user_id = fields.Many2one("res.users", string="Customer's Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", string="Industry", readonly=True)
    risk_class_id = fields.Many2one("credit.control.risk.class", string="Risk Class", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(string="Days Past Due", readonly=True, aggregator="max")
    residual = fields.Monetary(string="Open Amount", readonly=True)
    not_due = fields.Monetary(string="Not Due", readonly=True)
    period_1 = fields.Monetary(string="1-30", readonly=True)
    period_2 = fields.Monetary(string="31-60", readonly=True)
    period_3 = fields.Monetary(string="61-90", readonly=True)
    period_4 = fields.Monetary(string="Over 90", readonly=True)
    overdue = fields.Monetary(string="Overdue", readonly=True)
    dunning_level_id = fields.Many2one(
        "credit.control.dunning.level",
        string="Dunning Level",
        readonly=True,
        help="Last dunning level sent for this installment (current, whatever the date of the report).",
    )
    disputed = fields.Boolean(
        string="In Dispute", readonly=True, help="The invoice has an open dispute (current, whatever the date)."
    )
    promised = fields.Boolean(
        readonly=True, help="The invoice is covered by a pending promise to pay (current, whatever the date)."
    )
    in_payment_plan = fields.Boolean(
        string="In Payment Plan",
        readonly=True,
        help="The invoice is part of a payment plan in progress (current, whatever the date).",
    )
    litigation = fields.Boolean(
        string="In Litigation",
        readonly=True,
        help="The installment reached a dunning level that hands the file over to litigation.",
    )
    status = fields.Selection(
        AGED_STATUS,
        string="Collection Status",
        readonly=True,
        help="One status per item, the first that applies: In Litigation (its dunning level is a litigation "
        "level), Disputed (open dispute on the invoice), In Payment Plan (payment plan in progress), Promised "
        "(pending promise to pay), else Normal. The boolean columns show every case that applies.",
    )

    @api.model
    def _cc_as_of_date(self):
        return fields.Date.to_date(self.env.context.get("cc_aged_date")) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        return self._cc_aged_query(self._cc_as_of_date(), self.env.companies)

    @api.model
    def _cc_aged_query(self, as_of, companies):
        """SQL of the open receivable items at ``as_of``, one row per item, bucketed per company."""
        for model in (
            "account.move.line",
            "account.move",
            "account.partial.reconcile",
            "res.partner",
            "res.company",
            "credit.control.dunning.level",
            "credit.control.dispute",
            "credit.control.promise",
            "credit.control.payment.plan",
        ):
            self.env[model].flush_model()
        return SQL(
            """
            WITH part AS (
                SELECT x.line_id, SUM(x.amount) AS amount
                  FROM (
                      SELECT p.debit_move_id AS line_id, -p.amount AS amount
                        FROM account_partial_reconcile p
                       WHERE p.max_date <= %(as_of)s AND p.company_id = ANY(%(company_ids)s)
                      UNION ALL
                      SELECT p.credit_move_id, p.amount
                        FROM account_partial_reconcile p
                       WHERE p.max_date <= %(as_of)s AND p.company_id = ANY(%(company_ids)s)
                  ) x
                 GROUP BY x.line_id
            ), disputed AS (
                SELECT DISTINCT d.move_id FROM credit_control_dispute d
                 WHERE d.state = 'open' AND d.company_id = ANY(%(company_ids)s)
            ), promised AS (
                SELECT DISTINCT r.move_id
                  FROM credit_control_promise_move_rel r
                  JOIN credit_control_promise pr ON pr.id = r.promise_id
                 WHERE pr.state = 'open' AND pr.company_id = ANY(%(company_ids)s)
            ), planned AS (
                SELECT DISTINCT r.move_id
                  FROM credit_control_payment_plan_move_rel r
                  JOIN credit_control_payment_plan pp ON pp.id = r.plan_id
                 WHERE pp.state = 'active' AND pp.company_id = ANY(%(company_ids)s)
            ), items AS (
                SELECT l.id, l.company_id, c.currency_id, cp.id AS partner_id, l.move_id, l.account_id,
                       COALESCE(m.invoice_user_id, cp.user_id) AS user_id, cp.user_id AS partner_user_id, m.team_id,
                       cp.country_id, cp.state_id, cp.industry_id,
                       (cp.cc_risk_class_id ->> l.company_id::text)::int AS risk_class_id,
                       l.date, COALESCE(l.date_maturity, l.date) AS date_maturity,
                       %(as_of)s - COALESCE(l.date_maturity, l.date) AS days_overdue,
                       l.balance + COALESCE(part.amount, 0) AS residual,
                       c.cc_aging_period_1 AS p1, c.cc_aging_period_2 AS p2, c.cc_aging_period_3 AS p3,
                       l.cc_dunning_level_id AS dunning_level_id,
                       disputed.move_id IS NOT NULL AS disputed,
                       promised.move_id IS NOT NULL AS promised,
                       planned.move_id IS NOT NULL AS in_payment_plan,
                       COALESCE(dl.litigation, FALSE) AS litigation
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_company c ON c.id = l.company_id
                  LEFT JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                  LEFT JOIN part ON part.line_id = l.id
                  LEFT JOIN credit_control_dunning_level dl ON dl.id = l.cc_dunning_level_id
                  LEFT JOIN disputed ON disputed.move_id = l.move_id
                  LEFT JOIN promised ON promised.move_id = l.move_id
                  LEFT JOIN planned ON planned.move_id = l.move_id
                 WHERE l.parent_state = 'posted'
                   AND l.date <= %(as_of)s
                   AND l.company_id = ANY(%(company_ids)s)
            )
            SELECT i.id, i.company_id, i.currency_id, i.partner_id, i.move_id, i.account_id, i.user_id,
                   i.partner_user_id,
                   i.team_id, i.country_id, i.state_id, i.industry_id, i.risk_class_id, i.date,
                   i.date_maturity, i.days_overdue, i.residual,
                   CASE WHEN i.days_overdue <= 0 THEN i.residual ELSE 0 END AS not_due,
                   CASE WHEN i.days_overdue BETWEEN 1 AND i.p1 THEN i.residual ELSE 0 END AS period_1,
                   CASE WHEN i.days_overdue > i.p1 AND i.days_overdue <= i.p2 THEN i.residual ELSE 0 END
                       AS period_2,
                   CASE WHEN i.days_overdue > i.p2 AND i.days_overdue <= i.p3 THEN i.residual ELSE 0 END
                       AS period_3,
                   CASE WHEN i.days_overdue > i.p3 THEN i.residual ELSE 0 END AS period_4,
                   CASE WHEN i.days_overdue > 0 THEN i.residual ELSE 0 END AS overdue,
                   i.dunning_level_id, i.disputed, i.promised, i.in_payment_plan, i.litigation,
                   CASE WHEN i.litigation THEN 'litigation'
                        WHEN i.disputed THEN 'disputed'
                        WHEN i.in_payment_plan THEN 'payment_plan'
                        WHEN i.promised THEN 'promised'
                        ELSE 'normal'
                   END AS status
              FROM items i
             WHERE i.residual != 0
            """,
            as_of=as_of,
            company_ids=companies.ids,
        )

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # OVERRIDE: the rows depend on the date in the context; never serve values cached at another date
        self.invalidate_model()
        return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        # OVERRIDE: the bucket columns are labelled with the company's own bounds
        res = super().fields_get(allfields, attributes)
        company = self.env.company
        periods = (company.cc_aging_period_1, company.cc_aging_period_2, company.cc_aging_period_3)
        labels = bucket_labels(periods, self.env._("Not Due"), self.env._("Over %(days)s", days=periods[-1]))
        for fname, label in zip(("not_due", "period_1", "period_2", "period_3", "period_4"), labels, strict=True):
            if fname in res and "string" in res[fname]:
                res[fname]["string"] = label
        return res

    @api.model
    def _cc_totals(self, as_of=None, companies=None, groupby="partner_id"):
        """Bucket totals at ``as_of`` grouped by a field: [{group: ..., residual, not_due, ...}]."""
        Report = self.with_context(cc_aged_date=fields.Date.to_string(as_of or self._cc_as_of_date()))
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        measures = ["residual", "not_due", "period_1", "period_2", "period_3", "period_4", "overdue"]
        groups = Report._read_group([], [groupby], [f"{m}:sum" for m in measures])
        return [{groupby: group[0], **dict(zip(measures, group[1:], strict=True))} for group in groups]
