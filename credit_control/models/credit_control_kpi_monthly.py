from odoo import fields
from odoo import models
from odoo.tools import SQL


class CreditControlKpiMonthly(models.Model):
    """Monthly trend of receivables, sales and DSO over the last 24 months, per company.

    Receivables at a month end are the balance of the receivable accounts at that date (equal to
    the aged balance's total at that date); DSO = receivables / sales of the month x days."""

    _name = "credit.control.kpi.monthly"
    _description = "Receivables Monthly Trend"
    _auto = False
    _order = "month desc"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    receivables = fields.Monetary(string="Receivables at Month End", readonly=True)
    sales = fields.Monetary(string="Sales of the Month", readonly=True)
    dso = fields.Float(string="DSO (days)", readonly=True, aggregator="avg", digits=(16, 1))

    @property
    def _table_query(self):
        for model in ("account.move.line", "account.move"):
            self.env[model].flush_model()
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH months AS (
                SELECT generate_series(date_trunc('month', %(today)s::date) - interval '23 months',
                                       date_trunc('month', %(today)s::date), interval '1 month')::date AS month
            ), recv AS (
                SELECT mo.month, l.company_id, SUM(l.balance) AS receivables
                  FROM months mo
                  JOIN account_move_line l
                    ON l.date <= LEAST((mo.month + interval '1 month' - interval '1 day')::date, %(today)s::date)
                  JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                 WHERE l.parent_state = 'posted' AND l.company_id = ANY(%(company_ids)s)
                 GROUP BY 1, 2
            ), sales AS (
                SELECT date_trunc('month', m.invoice_date)::date AS month, m.company_id,
                       SUM(m.amount_total_signed) AS sales
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.company_id = ANY(%(company_ids)s)
                   AND m.invoice_date >= date_trunc('month', %(today)s::date) - interval '23 months'
                 GROUP BY 1, 2
            )
            SELECT row_number() OVER (ORDER BY r.month, r.company_id) AS id,
                   r.month, r.company_id, c.currency_id, r.receivables,
                   COALESCE(s.sales, 0) AS sales,
                   CASE WHEN COALESCE(s.sales, 0) > 0
                        THEN ROUND(r.receivables / s.sales
                                   * EXTRACT(DAY FROM (r.month + interval '1 month' - interval '1 day'))::numeric, 1)
                   END AS dso
              FROM recv r
              JOIN res_company c ON c.id = r.company_id
              LEFT JOIN sales s ON s.month = r.month AND s.company_id = r.company_id
            """,
            today=today,
            company_ids=self.env.companies.ids,
        )
