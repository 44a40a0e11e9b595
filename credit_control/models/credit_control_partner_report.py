from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

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

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # OVERRIDE: the rows depend on the current company; never serve values cached for another one
        self.invalidate_model()
        return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)

    @property
    def _table_query(self):
        company = self.env.company
        figures = self.env["res.partner"]._cc_figures_query(None, company)
        return SQL(
            """
            SELECT f.partner_id AS id, f.partner_id, %(company_id)s AS company_id,
                   %(currency_id)s AS currency_id, p.user_id, f.risk_class_id,
                   f.receivable, f.draft_invoiced, f.order_uninvoiced, f.exposure,
                   f.overdue_amount, f.overdue_days, f.credit_limit, f.guarantees, f.usable_limit,
                   f.available, f.hold, f.insolvency, f.status
              FROM (%(figures)s) f
              JOIN res_partner p ON p.id = f.partner_id
            """,
            company_id=company.id,
            currency_id=company.currency_id.id,
            figures=figures,
        )
