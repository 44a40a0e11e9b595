from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .pg import residuals_by_record


class CreditControlPaymentPlan(models.Model):
    """A payment plan (échéancier): an overdue amount split into dated installments. While the plan
    is kept, its invoices leave the normal dunning; a missed installment makes the rest due at once
    (the invoices go back to dunning, escalated to their next level)."""

    _name = "credit.control.payment.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, domain="[('is_company', '=', True)]"
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Agreed by", default=lambda self: self.env.user, tracking=True)
    move_ids = fields.Many2many(
        "account.move",
        "credit_control_payment_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    amount_total = fields.Monetary(
        string="Amount of the Plan",
        compute="_compute_amount_total",
        store=True,
        readonly=False,
        precompute=True,
        help="Amount due on the invoices, split into the installments.",
    )
    date_start = fields.Date(string="Agreed On", required=True, default=fields.Date.context_today)
    installment_count = fields.Integer(string="Number of Installments", default=3)
    interval_months = fields.Integer(string="Months Between Installments", default=1)
    first_date = fields.Date(string="First Installment")
    installment_ids = fields.One2many("credit.control.payment.plan.installment", "plan_id", string="Installments")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "In Progress"),
            ("done", "Paid"),
            ("broken", "Broken"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    amount_due_at_start = fields.Monetary(string="Due at Start", readonly=True)
    amount_paid = fields.Monetary(string="Paid Since", compute="_compute_amount_paid")
    date_broken = fields.Date(string="Broken On", readonly=True)
    escalation_done = fields.Boolean(readonly=True)
    note = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("move_ids")
    def _compute_amount_total(self):
        residuals = self._residuals_of_moves()
        for plan in self:
            if plan.state == "draft":
                plan.amount_total = sum(residuals.get(move.id, 0.0) for move in plan.move_ids._origin)
            else:
                plan.amount_total = plan.amount_total

    def _compute_amount_paid(self):
        residuals = self._residuals()
        for plan in self:
            if plan.state == "draft":
                plan.amount_paid = 0.0
            else:
                plan.amount_paid = max(0.0, plan.amount_due_at_start - residuals.get(plan.id, 0.0))

    @api.constrains("installment_count", "interval_months", "amount_total")
    def _check_plan(self):
        for plan in self:
            if plan.installment_count < 1 or plan.interval_months < 1:
                raise ValidationError(
                    self.env._("A payment plan has at least one installment, one month apart or more.")
                )
            if plan.currency_id.compare_amounts(plan.amount_total, 0) < 0:
                raise ValidationError(self.env._("The amount of a payment plan cannot be negative."))
            if plan.move_ids and plan.move_ids.commercial_partner_id != plan.partner_id.commercial_partner_id:
                raise ValidationError(self.env._("The invoices of a payment plan must be invoices of its customer."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: number the plans
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.control.payment.plan") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_compute_installments(self):
        """Split the amount into equal installments (the last one takes the rounding)."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft payment plan can be split again."))
            currency = plan.currency_id
            count = plan.installment_count
            share = currency.round(plan.amount_total / count)
            first = plan.first_date or plan.date_start + relativedelta(months=plan.interval_months)
            commands = [Command.clear()]
            for index in range(count):
                amount = share if index < count - 1 else currency.round(plan.amount_total - share * (count - 1))
                commands.append(
                    Command.create(
                        {"date": first + relativedelta(months=plan.interval_months * index), "amount": amount}
                    )
                )
            plan.installment_ids = commands
        return True

    def action_activate(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft payment plan can be started."))
            if not plan.move_ids or not plan.installment_ids:
                raise UserError(self.env._("Choose the invoices and compute the installments first."))
            total = sum(plan.installment_ids.mapped("amount"))
            if plan.currency_id.compare_amounts(total, plan.amount_total) != 0:
                raise UserError(
                    self.env._(
                        "The installments add up to %(installments)s, not to the %(amount)s of the plan.",
                        installments=total,
                        amount=plan.amount_total,
                    )
                )
        residuals = self._residuals()
        for plan in self:
            plan.write({"state": "active", "amount_due_at_start": residuals.get(plan.id, 0.0)})
            plan.partner_id._message_log(
                body=self.env._(
                    "Payment plan %(plan)s agreed: its invoices leave the dunning while it is kept.",
                    plan=plan._get_html_link(title=plan.name),
                )
            )
        return True

    def action_cancel(self):
        self.filtered(lambda p: p.state in ("draft", "active")).write({"state": "cancel"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _residuals_of_moves(self):
        moves = self.move_ids._origin
        if not moves:
            return {}
        groups = self.env["account.move.line"]._read_group(
            [
                ("move_id", "in", moves.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ],
            ["move_id"],
            ["amount_residual:sum"],
        )
        return {move.id: amount for move, amount in groups}

    def _residuals(self):
        """Amount still due on the invoices of each plan (company currency): one query."""
        return residuals_by_record(self)

    @api.model
    def _update_states(self, company, on_date):
        """Paid when nothing is due any more; broken when the payments are behind the installments
        due before ``on_date`` (the rest becomes due: dunning resumes, escalated)."""
        plans = self.search([("company_id", "=", company.id), ("state", "=", "active")])
        if not plans:
            return
        residuals = plans._residuals()
        currency = company.currency_id
        done, broken = self.browse(), self.browse()
        for plan in plans:
            residual = residuals.get(plan.id, 0.0)
            paid = plan.amount_due_at_start - residual
            due = sum(plan.installment_ids.filtered(lambda i, day=on_date: i.date < day).mapped("amount"))
            if currency.compare_amounts(residual, 0) <= 0:
                done |= plan
            elif currency.compare_amounts(paid, due) < 0:
                broken |= plan
        done.write({"state": "done"})
        broken.write({"state": "broken", "date_broken": on_date})
        for plan in broken:
            plan.partner_id._message_log(
                body=self.env._(
                    "Payment plan %(plan)s broken: an installment was missed, the whole balance is due and its "
                    "invoices go back to dunning.",
                    plan=plan._get_html_link(title=plan.name),
                )
            )


class CreditControlPaymentPlanInstallment(models.Model):
    _name = "credit.control.payment.plan.installment"
    _description = "Payment Plan Installment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one("credit.control.payment.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(string="Paid", compute="_compute_payment_status")
    status = fields.Selection(
        [("paid", "Paid"), ("partial", "Partly Paid"), ("due", "To Come"), ("late", "Missed")],
        compute="_compute_payment_status",
    )

    @api.depends("plan_id.amount_paid", "amount", "date")
    def _compute_payment_status(self):
        """Payments are allocated to the installments in date order."""
        today = fields.Date.context_today(self)
        for plan in self.plan_id:
            left = plan.amount_paid
            for installment in plan.installment_ids.sorted(lambda i: (i.date, i.id)):
                paid = min(left, installment.amount)
                left -= paid
                installment.amount_paid = paid
                if plan.currency_id.compare_amounts(paid, installment.amount) >= 0:
                    installment.status = "paid"
                elif installment.date < today:
                    installment.status = "late"
                else:
                    installment.status = "partial" if paid else "due"
        for installment in self - self.plan_id.installment_ids:
            installment.amount_paid = 0.0
            installment.status = "due"

    @api.constrains("amount")
    def _check_amount(self):
        for installment in self:
            if installment.currency_id.compare_amounts(installment.amount, 0) <= 0:
                raise ValidationError(self.env._("An installment of a payment plan must be positive."))
