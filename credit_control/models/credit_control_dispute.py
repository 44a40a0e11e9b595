from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

DISPUTE_REASONS = [
    ("price", "Price"),
    ("quality", "Quality"),
    ("delivery", "Delivery"),
    ("administrative", "Administrative"),
    ("other", "Other"),
]


class CreditControlDispute(models.Model):
    """A customer contests an invoice (litige): the invoice leaves dunning while the dispute is open."""

    _name = "credit.control.dispute"
    _description = "Invoice Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state desc, date_open desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        tracking=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('company_id', '=', company_id)]",
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    invoice_user_id = fields.Many2one(related="move_id.invoice_user_id", string="Salesperson")
    reason = fields.Selection(DISPUTE_REASONS, required=True, default="other", tracking=True)
    description = fields.Text(help="What the customer contests.")
    amount_disputed = fields.Monetary(
        string="Amount Disputed", tracking=True, help="Part of the invoice contested; empty: all of it."
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, tracking=True, index=True
    )
    date_open = fields.Date(string="Opened On", required=True, default=fields.Date.context_today, tracking=True)
    date_closed = fields.Date(string="Closed On", readonly=True, tracking=True)
    resolution = fields.Text(help="How the dispute was settled (credit note, redelivery, customer wrong...).")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    duration_days = fields.Integer(
        string="Duration (days)",
        compute="_compute_duration_days",
        store=True,
        help="Days from opening to closing (to today while open, as of the last change).",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("move_id.name", "reason")
    def _compute_name(self):
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        for dispute in self:
            dispute.name = self.env._(
                "%(invoice)s - %(reason)s", invoice=dispute.move_id.name or "", reason=reasons.get(dispute.reason, "")
            )

    @api.depends("date_open", "date_closed", "state")
    def _compute_duration_days(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            end = dispute.date_closed or today
            dispute.duration_days = (end - dispute.date_open).days if dispute.date_open else 0

    @api.constrains("move_id", "state", "amount_disputed")
    def _check_dispute(self):
        for dispute in self:
            if dispute.move_id.move_type != "out_invoice":
                raise ValidationError(self.env._("Only customer invoices can be disputed."))
            if dispute.move_id.company_id != dispute.company_id:
                raise ValidationError(self.env._("The invoice of a dispute must belong to its company."))
            if dispute.amount_disputed < 0:
                raise ValidationError(self.env._("The amount disputed cannot be negative."))
            if dispute.state == "open" and self.search_count(
                [("move_id", "=", dispute.move_id.id), ("state", "=", "open"), ("id", "!=", dispute.id)]
            ):
                raise ValidationError(
                    self.env._("The invoice %(invoice)s already has an open dispute.", invoice=dispute.move_id.name)
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': the dispute is noted on the invoice
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute.move_id.sudo()._message_log(
                body=self.env._(
                    "Dispute opened (%(reason)s): the invoice leaves dunning. %(link)s",
                    reason=dispute.name,
                    link=dispute._get_html_link(),
                )
            )
        return disputes

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_close(self):
        for dispute in self:
            if dispute.state != "open":
                raise UserError(self.env._("The dispute %(name)s is already closed.", name=dispute.name))
            if not dispute.resolution:
                raise UserError(
                    self.env._("Write how the dispute %(name)s was settled before closing it.", name=dispute.name)
                )
        self.write({"state": "closed", "date_closed": fields.Date.context_today(self)})
        for dispute in self:
            dispute.move_id.sudo()._message_log(
                body=self.env._("Dispute closed: the invoice is dunned again. %(link)s", link=dispute._get_html_link())
            )
        return True

    def action_reopen(self):
        self.filtered(lambda d: d.state == "closed").write({"state": "open", "date_closed": False})
        return True
