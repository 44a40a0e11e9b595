from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditControlDoubtfulWizard(models.TransientModel):
    """Litigation: propose the entry moving the receivable to the doubtful-receivables account (416)
    and, optionally, the provision of its amount excluding taxes (6817 / 491). Both are drafts the
    accountant checks and posts; posting the first matches the installments it moves."""

    _name = "credit.control.doubtful.wizard"
    _description = "Doubtful Receivable Entry"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Accounting Date", required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )
    doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful Receivables Account",
        required=True,
        check_company=True,
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Installments",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id), ('reconciled', '=', False), "
        "('account_id.account_type', '=', 'asset_receivable'), ('parent_state', '=', 'posted'), "
        "('amount_residual', '>', 0)]",
    )
    amount = fields.Monetary(string="Amount Moved", compute="_compute_amounts")
    amount_untaxed = fields.Monetary(string="Amount Excluding Taxes", compute="_compute_amounts")
    provision = fields.Boolean(string="Book a Provision")
    provision_percent = fields.Float(string="Provision (%)", default=100.0)
    provision_amount = fields.Monetary(compute="_compute_amounts")
    provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Provision Expense Account",
        check_company=True,
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )
    provision_account_id = fields.Many2one(
        "account.account",
        string="Provision Account",
        check_company=True,
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.model
    def default_get(self, fields_list):
        # EXTENDS 'base': the unpaid installments of the communication, or of the customer
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        lines = self.env["account.move.line"]
        if model == "credit.control.dunning.communication" and ids:
            comm = self.env[model].browse(ids[:1])
            values.update(partner_id=comm.partner_id.id, company_id=comm.company_id.id)
            lines = comm.line_ids.move_line_id
        elif model == "res.partner" and ids:
            partner = self.env[model].browse(ids[:1]).commercial_partner_id
            values["partner_id"] = partner.id
            lines = lines.search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id.commercial_partner_id", "=", partner.id),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                ]
            )
        lines = lines.filtered(lambda line: not line.reconciled and line.amount_residual > 0)
        values["move_line_ids"] = [Command.set(lines.ids)]
        return values

    @api.depends("company_id")
    def _compute_accounts(self):
        for wizard in self:
            company = wizard.company_id

            def guess(prefix, company=company):
                return self.env["account.account"].search(
                    [("code", "=like", f"{prefix}%"), ("company_ids", "in", company.id), ("deprecated", "=", False)],
                    order="code",
                    limit=1,
                )

            wizard.journal_id = company.cc_litigation_journal_id or self.env["account.journal"].search(
                [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
            )
            wizard.doubtful_account_id = company.cc_doubtful_account_id or guess("416")
            wizard.provision_expense_account_id = company.cc_provision_expense_account_id or guess("6817")
            wizard.provision_account_id = company.cc_provision_account_id or guess("491")

    @api.depends("move_line_ids", "provision_percent", "provision")
    def _compute_amounts(self):
        for wizard in self:
            currency = wizard.currency_id
            amount = untaxed = 0.0
            for line in wizard.move_line_ids:
                amount += line.amount_residual
                untaxed += line.amount_residual * wizard._untaxed_share(line.move_id)
            wizard.amount = currency.round(amount)
            wizard.amount_untaxed = currency.round(untaxed)
            wizard.provision_amount = (
                currency.round(wizard.amount_untaxed * wizard.provision_percent / 100.0) if wizard.provision else 0.0
            )

    @api.model
    def _untaxed_share(self, move):
        """Share of an invoice excluding taxes: the provision is booked on the amount excluding VAT."""
        total = move.amount_total_signed
        return move.amount_untaxed_signed / total if total else 1.0

    def action_create_entries(self):
        """Create the draft entries and open them."""
        self.ensure_one()
        if not self.move_line_ids:
            raise UserError(self.env._("Choose the installments to book as doubtful."))
        if not self.doubtful_account_id.reconcile:
            raise UserError(
                self.env._(
                    "The account %(account)s must allow reconciliation to follow the doubtful receivable.",
                    account=self.doubtful_account_id.display_name,
                )
            )
        if self.move_line_ids.filtered(lambda line: line.reconciled or line.amount_residual <= 0):
            raise UserError(self.env._("An installment chosen is already paid."))
        if self.provision and not (self.provision_expense_account_id and self.provision_account_id):
            raise UserError(self.env._("Choose the provision accounts, or untick the provision."))
        if self.provision and not 0 < self.provision_percent <= 100:
            raise UserError(self.env._("The provision must be between 0 and 100 %."))
        Move = self.env["account.move"].with_company(self.company_id)
        partner = self.partner_id
        line_vals = []
        for line in self.move_line_ids.sorted(lambda aml: (aml.date_maturity or aml.date, aml.id)):
            label = self.env._("Doubtful receivable: %(invoice)s", invoice=line.move_id.name)
            line_vals += [
                Command.create(
                    {
                        "name": label,
                        "account_id": self.doubtful_account_id.id,
                        "partner_id": partner.id,
                        "debit": line.amount_residual,
                        "currency_id": line.currency_id.id,
                        "amount_currency": line.amount_residual_currency,
                        "date_maturity": line.date_maturity,
                    }
                ),
                Command.create(
                    {
                        "name": label,
                        "account_id": line.account_id.id,
                        "partner_id": line.partner_id.id,
                        "credit": line.amount_residual,
                        "currency_id": line.currency_id.id,
                        "amount_currency": -line.amount_residual_currency,
                        "cc_reclass_of_line_id": line.id,
                    }
                ),
            ]
        moves = Move.create(
            {
                "move_type": "entry",
                "journal_id": self.journal_id.id,
                "date": self.date,
                "ref": self.env._("Doubtful receivable of %(customer)s", customer=partner.display_name),
                "line_ids": line_vals,
            }
        )
        if self.provision and self.currency_id.compare_amounts(self.provision_amount, 0) > 0:
            label = self.env._("Provision for doubtful receivable of %(customer)s", customer=partner.display_name)
            moves |= Move.create(
                {
                    "move_type": "entry",
                    "journal_id": self.journal_id.id,
                    "date": self.date,
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": self.provision_expense_account_id.id,
                                "debit": self.provision_amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": self.provision_account_id.id,
                                "partner_id": partner.id,
                                "credit": self.provision_amount,
                            }
                        ),
                    ],
                }
            )
        for move in moves:
            move._message_log(
                body=self.env._(
                    "Proposed by the credit control litigation step for %(customer)s.", customer=partner.display_name
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Doubtful Receivable Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
        }
