from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..models.credit_control_penalty import PENALTY_KINDS


class CreditControlPenaltyWizard(models.TransientModel):
    """The credit manager decides to claim the penalties: this proposes them, per late invoice, and
    creates the customer invoice."""

    _name = "credit.control.penalty.wizard"
    _description = "Claim Late-Payment Penalties"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Count Until", required=True, default=fields.Date.context_today)
    move_line_ids = fields.Many2many("account.move.line", string="Installments", readonly=True)
    line_ids = fields.One2many(
        "credit.control.penalty.wizard.line",
        "wizard_id",
        string="Penalties",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    amount_total = fields.Monetary(string="Total", compute="_compute_amount_total")

    @api.model
    def default_get(self, fields_list):
        # EXTENDS 'base': the installments of the communication, or the overdue ones of the customer
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "credit.control.dunning.communication" and ids:
            comm = self.env[model].browse(ids[:1])
            values.update(
                partner_id=comm.partner_id.id,
                company_id=comm.company_id.id,
                move_line_ids=[Command.set(comm.line_ids.move_line_id.ids)],
            )
        elif model == "res.partner" and ids:
            partner = self.env[model].browse(ids[:1]).commercial_partner_id
            today = fields.Date.context_today(self)
            lines = self.env["account.move.line"].search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id.commercial_partner_id", "=", partner.id),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<", today),
                ]
            )
            values.update(partner_id=partner.id, move_line_ids=[Command.set(lines.ids)])
        return values

    @api.depends("move_line_ids", "date")
    def _compute_line_ids(self):
        Penalty = self.env["credit.control.penalty"]
        for wizard in self:
            computed = Penalty._compute_penalties(wizard.move_line_ids._origin, wizard.date, wizard.company_id)
            commands = [Command.clear()]
            for aml in wizard.move_line_ids._origin.sorted(lambda line: (line.date_maturity, line.id)):
                values = computed["lines"].get(aml.id)
                if not values:
                    continue
                if values.get("error"):
                    raise UserError(values["error"])
                common = {"invoice_id": aml.move_id.id, "move_line_id": aml.id, "date_to": wizard.date}
                if values["interest"]:
                    commands.append(
                        Command.create(
                            {
                                **common,
                                "kind": "interest",
                                "date_from": values["date_from"],
                                "days": values["days"],
                                "rate": values["rate"],
                                "base_amount": aml.amount_residual,
                                "amount": values["interest"],
                            }
                        )
                    )
                if values["indemnity"]:
                    commands.append(Command.create({**common, "kind": "indemnity", "amount": values["indemnity"]}))
            wizard.line_ids = commands

    @api.depends("line_ids.amount", "line_ids.selected")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = sum(wizard.line_ids.filtered("selected").mapped("amount"))

    def action_create_invoice(self):
        self.ensure_one()
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(self.env._("Select at least one penalty to claim."))
        vals_list = [
            {
                "kind": line.kind,
                "invoice_id": line.invoice_id.id,
                "move_line_id": line.move_line_id.id,
                "date_from": line.date_from,
                "date_to": line.date_to,
                "days": line.days,
                "rate": line.rate,
                "base_amount": line.base_amount,
                "amount": line.amount,
            }
            for line in lines
        ]
        invoice = self.env["credit.control.penalty"]._create_penalty_invoice(
            self.partner_id, self.company_id, vals_list, self.date
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }


class CreditControlPenaltyWizardLine(models.TransientModel):
    _name = "credit.control.penalty.wizard.line"
    _description = "Penalty to Claim"

    wizard_id = fields.Many2one("credit.control.penalty.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    selected = fields.Boolean(string="Claim", default=True)
    kind = fields.Selection(PENALTY_KINDS, required=True)
    invoice_id = fields.Many2one("account.move", string="Invoice", required=True)
    move_line_id = fields.Many2one("account.move.line", string="Installment")
    date_from = fields.Date(string="Late Since")
    date_to = fields.Date(string="Until")
    days = fields.Integer(string="Days")
    rate = fields.Float(string="Rate (%)", digits=(16, 3))
    base_amount = fields.Monetary(string="Amount Due")
    amount = fields.Monetary(required=True)
