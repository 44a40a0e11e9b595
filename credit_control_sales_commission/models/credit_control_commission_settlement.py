from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import commission_math
from .credit_control_commission_line import SETTLEMENT_STATES


class CreditControlCommissionSettlement(models.Model):
    """What one beneficiary earned on the cash collected in one period: paid by vendor bill to an
    agent, or through payroll to an employee."""

    _name = "credit.control.commission.settlement"
    _description = "Commission Settlement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, beneficiary_partner_id, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    beneficiary_partner_id = fields.Many2one(
        "res.partner", string="Beneficiary", required=True, index=True, readonly=True, tracking=True
    )
    beneficiary_user_id = fields.Many2one("res.users", string="Employee", index=True, readonly=True)
    beneficiary_type = fields.Selection(
        [("employee", "Employee"), ("agent", "Agent")],
        compute="_compute_beneficiary_type",
        store=True,
        help="Employees are paid through payroll (export, accrual entry); agents by vendor bill.",
    )
    period_start = fields.Date(required=True, readonly=True, index=True)
    period_end = fields.Date(compute="_compute_period_end", store=True)
    state = fields.Selection(SETTLEMENT_STATES, default="draft", required=True, readonly=True, tracking=True)
    line_ids = fields.One2many("credit.control.commission.line", "settlement_id", string="Lines", readonly=True)
    line_count = fields.Integer(compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Commission", compute="_compute_amounts", store=True, tracking=True)
    base_total = fields.Monetary(string="Collected Base", compute="_compute_amounts", store=True)
    validation_date = fields.Date(readonly=True, copy=False)
    validated_by_id = fields.Many2one("res.users", string="Validated by", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False, check_company=True)
    accrual_move_id = fields.Many2one(
        "account.move", string="Accrual Entry", readonly=True, copy=False, check_company=True
    )
    note = fields.Text()

    # ------------------------------------------------------------
    # INIT / COMPUTE
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        tools.create_unique_index(
            self.env.cr,
            "credit_control_commission_settlement_period_uniq",
            self._table,
            ["company_id", "beneficiary_partner_id", "period_start"],
        )
        return res

    @api.depends("beneficiary_user_id")
    def _compute_beneficiary_type(self):
        for settlement in self:
            settlement.beneficiary_type = "employee" if settlement.beneficiary_user_id else "agent"

    @api.depends("period_start", "company_id.cc_commission_period")
    def _compute_period_end(self):
        for settlement in self:
            settlement.period_end = settlement.period_start and commission_math.period_end(
                settlement.period_start, settlement.company_id.cc_commission_period or "month"
            )

    @api.depends("line_ids.amount", "line_ids.base_amount")
    def _compute_amounts(self):
        # one grouped query for every settlement, summed by PostgreSQL in exact numeric
        totals = {}
        if self._origin.ids:
            groups = self.env["credit.control.commission.line"]._read_group(
                [("settlement_id", "in", self._origin.ids)],
                ["settlement_id"],
                ["__count", "amount:sum", "base_amount:sum"],
            )
            totals = {settlement.id: (count, amount, base) for settlement, count, amount, base in groups}
        for settlement in self:
            count, amount, base = totals.get(settlement._origin.id, (0, 0.0, 0.0))
            currency = settlement.currency_id or settlement.company_id.currency_id
            settlement.line_count = count
            settlement.amount_total = currency.round(amount) if currency else amount
            settlement.base_total = currency.round(base) if currency else base

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': a reference from the sequence
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.control.commission.settlement") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("Only draft settlements can be deleted; their lines go back to unsettled."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_validate(self):
        """Lock the lines: later corrections go to the next period."""
        for settlement in self:
            if settlement.state != "draft":
                raise UserError(self.env._("The settlement %(name)s is not a draft.", name=settlement.name))
        self._cc_gather_lines()
        self.write(
            {"state": "validated", "validation_date": fields.Date.context_today(self), "validated_by_id": self.env.uid}
        )
        for settlement in self.filtered(
            lambda s: s.beneficiary_type == "employee" and s.company_id.cc_commission_auto_accrual and s.amount_total
        ):
            settlement._cc_create_accrual()
        return True

    def action_reset_draft(self):
        for settlement in self:
            if settlement.state != "validated":
                raise UserError(
                    self.env._("Only a validated settlement can go back to draft (%(name)s).", name=settlement.name)
                )
            if settlement.invoice_id and settlement.invoice_id.state != "cancel":
                raise UserError(
                    self.env._(
                        "Cancel the vendor bill %(bill)s of %(name)s first.",
                        bill=settlement.invoice_id.display_name,
                        name=settlement.name,
                    )
                )
            if settlement.accrual_move_id.state == "posted" and not settlement.accrual_move_id.reversal_move_ids:
                raise UserError(
                    self.env._(
                        "Reverse the accrual entry %(entry)s of %(name)s first.",
                        entry=settlement.accrual_move_id.display_name,
                        name=settlement.name,
                    )
                )
        self.write({"state": "draft", "validation_date": False, "validated_by_id": False, "invoice_id": False})
        return True

    def action_mark_paid(self):
        for settlement in self:
            if settlement.state != "validated":
                raise UserError(
                    self.env._("Only a validated settlement can be marked as paid (%(name)s).", name=settlement.name)
                )
            bill = settlement.invoice_id
            if bill and bill.payment_state not in ("paid", "in_payment"):
                raise UserError(
                    self.env._(
                        "The vendor bill %(bill)s of %(name)s is not paid yet.",
                        bill=bill.display_name,
                        name=settlement.name,
                    )
                )
        self.write({"state": "paid"})
        return True

    def action_create_bill(self):
        """Vendor bills for the agents' validated settlements, one per settlement."""
        product = self.company_id.cc_commission_product_id
        for settlement in self:
            if settlement.beneficiary_type != "agent" or settlement.state != "validated" or settlement.invoice_id:
                raise UserError(
                    self.env._(
                        "A vendor bill is made once, for a validated settlement of an agent (%(name)s).",
                        name=settlement.name,
                    )
                )
            product = settlement.company_id.cc_commission_product_id
            if not product:
                raise UserError(
                    self.env._(
                        "Set the commission product of %(company)s in the settings first.",
                        company=settlement.company_id.name,
                    )
                )
            amount = settlement.amount_total
            bill = (
                self.env["account.move"]
                .with_company(settlement.company_id)
                .create(
                    {
                        "move_type": "in_invoice" if amount >= 0 else "in_refund",
                        "partner_id": settlement.beneficiary_partner_id.id,
                        "invoice_date": settlement.period_end,
                        "ref": settlement.name,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "name": settlement._cc_label(),
                                    "quantity": 1,
                                    "price_unit": abs(amount),
                                }
                            )
                        ],
                    }
                )
            )
            settlement.invoice_id = bill
            settlement.message_post(body=self.env._("Vendor bill %(bill)s created.", bill=bill.display_name))
        if len(self) == 1:
            return self.action_open_bill()
        return True

    def action_create_accrual(self):
        for settlement in self:
            if settlement.beneficiary_type != "employee" or settlement.state == "draft" or settlement.accrual_move_id:
                raise UserError(
                    self.env._(
                        "An accrual entry is made once, for a validated settlement of an employee (%(name)s).",
                        name=settlement.name,
                    )
                )
            settlement._cc_create_accrual()
        return True

    def action_open_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control_sales_commission.credit_control_commission_line_action"
        )
        action["domain"] = [("settlement_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_export(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Export for Payroll"),
            "res_model": "credit.control.commission.export",
            "view_mode": "form",
            "target": "new",
            "context": {"default_settlement_ids": [Command.set(self.ids)]},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_label(self):
        self.ensure_one()
        return self.env._(
            "Commissions on cash collected from %(start)s to %(end)s (%(name)s)",
            start=self.period_start,
            end=self.period_end,
            name=self.name,
        )

    def _cc_gather_lines(self):
        """Attach the unsettled lines of each settlement's beneficiary and period: one UPDATE
        whatever the number of lines, then the totals recomputed in one grouped query."""
        if not self:
            return
        Line = self.env["credit.control.commission.line"]
        Line.flush_model(["settlement_id", "company_id", "beneficiary_partner_id", "period_start"])
        self.flush_recordset(["company_id", "beneficiary_partner_id", "period_start"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE credit_control_commission_line l
                   SET settlement_id = s.id, write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                  FROM credit_control_commission_settlement s
                 WHERE s.id = ANY(%(ids)s)
                   AND l.settlement_id IS NULL
                   AND l.company_id = s.company_id
                   AND l.beneficiary_partner_id = s.beneficiary_partner_id
                   AND l.period_start = s.period_start
                """,
                uid=self.env.uid,
                ids=self.ids,
            )
        )
        Line.invalidate_model(["settlement_id", "write_uid", "write_date"])
        self.invalidate_recordset(["line_ids"])
        for fname in ("amount_total", "base_total", "line_count"):
            self.env.add_to_compute(self._fields[fname], self)

    def _cc_create_accrual(self):
        self.ensure_one()
        company = self.company_id
        journal = company.cc_commission_journal_id
        expense = company.cc_commission_expense_account_id
        accrued = company.cc_commission_accrued_account_id
        if not (journal and expense and accrued):
            raise UserError(
                self.env._(
                    "Set the accrued commissions journal, expense account and accrued account of %(company)s "
                    "in the settings first.",
                    company=company.name,
                )
            )
        amount = self.amount_total
        label = self._cc_label()
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": self.period_end,
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": expense.id,
                                "partner_id": self.beneficiary_partner_id.id,
                                "debit": max(amount, 0.0),
                                "credit": max(-amount, 0.0),
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": accrued.id,
                                "partner_id": self.beneficiary_partner_id.id,
                                "debit": max(-amount, 0.0),
                                "credit": max(amount, 0.0),
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        self.accrual_move_id = move
        self.message_post(body=self.env._("Accrual entry %(entry)s posted.", entry=move.display_name))
        return move

    @api.model
    def _cc_settle(self, company, date_to):
        """Draft settlements gathering the unsettled lines of ``company`` whose settlement period
        starts on or before the period of ``date_to``; one per beneficiary and period. Returns them."""
        period = commission_math.period_start(date_to, company.cc_commission_period or "month")
        Line = self.env["credit.control.commission.line"]
        groups = Line._read_group(
            [("company_id", "=", company.id), ("settlement_id", "=", False), ("period_start", "<=", period)],
            ["beneficiary_partner_id", "beneficiary_user_id", "period_start:day"],
            ["__count"],
        )
        if not groups:
            return self.browse()
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("beneficiary_partner_id", "in", [g[0].id for g in groups]),
                ("period_start", "<=", period),
            ]
        )
        by_key = {(s.beneficiary_partner_id.id, s.period_start): s for s in existing}
        settlements = self.browse()
        to_create = []
        for partner, user, start, _count in groups:
            settlement = by_key.get((partner.id, start))
            if settlement and settlement.state != "draft":
                raise UserError(
                    self.env._(
                        "Unsettled lines of %(partner)s belong to the validated period %(period)s: "
                        "check and rebuild the period.",
                        partner=partner.display_name,
                        period=start,
                    )
                )
            if settlement:
                settlements |= settlement
            else:
                to_create.append(
                    {
                        "company_id": company.id,
                        "beneficiary_partner_id": partner.id,
                        "beneficiary_user_id": user.id,
                        "period_start": start,
                    }
                )
        settlements |= self.create(to_create)
        settlements._cc_gather_lines()
        return settlements
