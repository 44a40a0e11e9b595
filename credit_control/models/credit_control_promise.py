from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import format_date
from odoo.tools import formatLang

from .pg import residuals_by_record


class CreditControlPromise(models.Model):
    """A promise to pay (engagement de paiement), usually obtained by a call: dunning of its invoices
    pauses until its date; a broken promise escalates them to the next level and is counted."""

    _name = "credit.control.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_promised desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Obtained by", default=lambda self: self.env.user, tracking=True)
    date = fields.Date(string="Promised On", required=True, default=fields.Date.context_today)
    date_promised = fields.Date(string="Payment Date", required=True, tracking=True)
    amount = fields.Monetary(string="Amount Promised", required=True, tracking=True)
    move_ids = fields.Many2many(
        "account.move",
        "credit_control_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    channel = fields.Selection(
        [("call", "Phone call"), ("email", "Email"), ("letter", "Letter"), ("visit", "Visit")],
        default="call",
        required=True,
    )
    communication_id = fields.Many2one(
        "credit.control.dunning.communication", string="Dunning Communication", index=True
    )
    note = fields.Text()
    state = fields.Selection(
        [("open", "Pending"), ("kept", "Kept"), ("broken", "Broken"), ("cancel", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    amount_due_at_promise = fields.Monetary(
        string="Due When Promised", readonly=True, help="Amount due on the invoices when the promise was made."
    )
    amount_paid = fields.Monetary(
        string="Paid Since", compute="_compute_amount_paid", help="Paid on the invoices since the promise."
    )
    date_broken = fields.Date(string="Broken On", readonly=True)
    escalation_done = fields.Boolean(
        readonly=True, help="The broken promise already escalated its invoices to their next dunning level."
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("partner_id", "date_promised", "amount")
    def _compute_name(self):
        for promise in self:
            promise.name = self.env._(
                "%(customer)s: %(amount)s on %(date)s",
                customer=promise.partner_id.display_name or "",
                amount=formatLang(
                    self.env, promise.amount, currency_obj=promise.currency_id or self.env.company.currency_id
                ),
                date=format_date(self.env, promise.date_promised) if promise.date_promised else "",
            )

    def _compute_amount_paid(self):
        residuals = self._residuals()
        for promise in self:
            promise.amount_paid = max(0.0, promise.amount_due_at_promise - residuals.get(promise.id, 0.0))

    @api.constrains("amount", "date", "date_promised", "move_ids", "partner_id")
    def _check_promise(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(self.env._("The amount promised must be positive."))
            if promise.date_promised < promise.date:
                raise ValidationError(self.env._("The payment date cannot be before the day of the promise."))
            if not promise.move_ids:
                raise ValidationError(self.env._("Choose the invoices the customer promises to pay."))
            if promise.move_ids.commercial_partner_id != promise.partner_id.commercial_partner_id:
                raise ValidationError(self.env._("The invoices of a promise must be invoices of its customer."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': keep what was due when promised, to check the promise later
        promises = super().create(vals_list)
        residuals = promises._residuals()
        for promise in promises:
            promise.amount_due_at_promise = residuals.get(promise.id, 0.0)
            promise.partner_id._message_log(
                body=self.env._("Promise to pay: %(promise)s.", promise=promise._get_html_link(title=promise.name))
            )
        return promises

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        if any(promise.state != "open" for promise in self):
            raise UserError(self.env._("Only pending promises can be cancelled."))
        self.write({"state": "cancel"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _residuals(self):
        """Amount still due on the invoices of each promise (company currency): one query."""
        return residuals_by_record(self)

    @api.model
    def _update_states(self, company, on_date):
        """Kept when the amount was paid (checked every day), broken when its date passed without it."""
        promises = self.search([("company_id", "=", company.id), ("state", "=", "open")])
        if not promises:
            return
        residuals = promises._residuals()
        currency = company.currency_id
        kept, broken = self.browse(), self.browse()
        for promise in promises:
            residual = residuals.get(promise.id, 0.0)
            paid = promise.amount_due_at_promise - residual
            if currency.compare_amounts(residual, 0) <= 0 or currency.compare_amounts(paid, promise.amount) >= 0:
                kept |= promise
            elif promise.date_promised < on_date:
                broken |= promise
        kept.write({"state": "kept"})
        broken.write({"state": "broken", "date_broken": on_date})
        for promise in broken:
            promise.partner_id._message_log(
                body=self.env._(
                    "Broken promise to pay: %(promise)s. Its invoices go to their next dunning level.",
                    promise=promise._get_html_link(title=promise.name),
                )
            )
