from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .kpi import PARTNER_DSO_DAYS
from .pg import without_jit
from .res_partner import CC_STATUS


class CreditControlPartnerReport(models.Model):
    """Customer credit overview: one row per customer with figures in the current company.

    An SQL view over the same query as the partner's live figures, so that every column can be
    sorted, filtered and grouped on thousands of customers at once."""

    _name = "credit.control.partner.report"
    _description = "Customer Credit Overview"
    _auto = False
    _order = "exposure desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    risk_class_id = fields.Many2one("credit.control.risk.class", string="Risk Class", readonly=True)
    receivable = fields.Monetary(string="Open Receivables", readonly=True)
    draft_invoiced = fields.Monetary(string="Draft Invoices", readonly=True)
    order_uninvoiced = fields.Monetary(string="Orders Not Invoiced", readonly=True)
    exposure = fields.Monetary(readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    overdue_days = fields.Integer(string="Oldest Overdue (days)", readonly=True, aggregator="max")
    credit_limit = fields.Monetary(readonly=True)
    guarantees = fields.Monetary(readonly=True)
    usable_limit = fields.Monetary(readonly=True)
    available = fields.Monetary(string="Available Credit", readonly=True)
    hold = fields.Boolean(string="On Hold", readonly=True)
    insolvency = fields.Boolean(string="Insolvency Proceedings", readonly=True)
    status = fields.Selection(CC_STATUS, readonly=True)
    sales_recent = fields.Monetary(
        string="Sales of the DSO Period",
        readonly=True,
        help="Customer invoices less credit notes dated in the company's customer DSO period (90 days by "
        "default, in the Accounting settings) up to today, taxes included.",
    )
    dso = fields.Float(
        string="DSO (days)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Simple days sales outstanding of the customer: open receivables / sales of the DSO period x its "
        "days. Empty without sales in the period.",
    )

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # OVERRIDE: the rows depend on the current company; never serve values cached for another one
        self.invalidate_model()
        # every customer's figures in one query: no seconds of JIT compilation for it
        with without_jit(self.env.cr):
            return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        # EXTENDS 'base': the grouped figures of every customer, without JIT compilation (see search_fetch)
        with without_jit(self.env.cr):
            return super()._read_group(
                domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
            )

    @property
    def _table_query(self):
        company = self.env.company
        figures = self.env["res.partner"]._cc_figures_query(None, company)
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH sales AS (
                SELECT m.commercial_partner_id AS partner_id, SUM(m.amount_total_signed) AS amount
                  FROM account_move m
                 WHERE m.company_id = %(company_id)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date > %(today)s - %(days)s AND m.invoice_date <= %(today)s
                 GROUP BY m.commercial_partner_id
            )
            SELECT f.partner_id AS id, f.partner_id, %(company_id)s AS company_id,
                   %(currency_id)s AS currency_id, p.user_id, f.risk_class_id,
                   f.receivable, f.draft_invoiced, f.order_uninvoiced, f.exposure,
                   f.overdue_amount, f.overdue_days, f.credit_limit, f.guarantees, f.usable_limit,
                   f.available, f.hold, f.insolvency, f.status,
                   COALESCE(s.amount, 0) AS sales_recent,
                   CASE WHEN s.amount > 0 THEN ROUND(COALESCE(f.receivable, 0) / s.amount * %(days)s, 1) END AS dso
              FROM (%(figures)s) f
              JOIN res_partner p ON p.id = f.partner_id
              LEFT JOIN sales s ON s.partner_id = f.partner_id
            """,
            company_id=company.id,
            currency_id=company.currency_id.id,
            figures=figures,
            today=today,
            days=company.cc_dso_days or PARTNER_DSO_DAYS,
        )
