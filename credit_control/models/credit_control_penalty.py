from collections import defaultdict

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import format_date
from odoo.tools import formatLang

from . import penalties as penalty_math

PENALTY_FIELDS = ("kind", "invoice_id", "move_line_id", "date_from", "date_to", "days", "rate", "base_amount", "amount")
PENALTY_KINDS = [("interest", "Late-payment interest"), ("indemnity", "Flat recovery indemnity")]


class CreditControlPenalty(models.Model):
    """A late-payment penalty claimed from a customer: one line of a penalty invoice."""

    _name = "credit.control.penalty"
    _description = "Late-Payment Penalty"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    kind = fields.Selection(PENALTY_KINDS, required=True)
    invoice_id = fields.Many2one(
        "account.move", string="Late Invoice", required=True, index=True, ondelete="cascade", check_company=True
    )
    move_line_id = fields.Many2one("account.move.line", string="Installment", index=True, ondelete="cascade")
    date_from = fields.Date(string="Late Since", help="Interest is counted from the day after this date.")
    date_to = fields.Date(string="Counted Until")
    days = fields.Integer(string="Days Late")
    rate = fields.Float(string="Rate (%)", digits=(16, 3))
    base_amount = fields.Monetary(string="Amount Due")
    amount = fields.Monetary(required=True)
    penalty_move_id = fields.Many2one(
        "account.move", string="Penalty Invoice", required=True, index=True, ondelete="cascade", check_company=True
    )
    penalty_move_state = fields.Selection(related="penalty_move_id.state", string="Invoice Status")

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _compute_penalties(self, move_lines, on_date, company):
        """Penalties of receivable installments on ``on_date`` (company currency), set-based.

        Interest runs from the due date, or from the end of the interest already claimed, with the
        payments made late taken into account; the indemnity is due once per invoice of a business
        customer, on its oldest installment, unless already claimed.

        :returns: ``{"lines": {move_line_id: {"interest", "rate", "days", "date_from", "indemnity",
            "error"}}}``"""
        result = {"lines": {}}
        move_lines = move_lines.sudo().filtered("date_maturity")
        if not move_lines or not (company.cc_penalty_interest or company.cc_penalty_indemnity):
            return result
        for model in ("account.move.line", "account.partial.reconcile", "credit.control.penalty", "account.move"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT pr.debit_move_id, pr.max_date, pr.amount
                     FROM account_partial_reconcile pr
                     JOIN account_move_line l ON l.id = pr.debit_move_id
                    WHERE pr.debit_move_id = ANY(%s) AND pr.max_date > l.date_maturity""",
                move_lines.ids,
            )
        )
        payments = defaultdict(list)
        for line_id, day, amount in self.env.cr.fetchall():
            payments[line_id].append((day, amount))
        claimed_until = dict(
            self.sudo()._read_group(
                [
                    ("move_line_id", "in", move_lines.ids),
                    ("kind", "=", "interest"),
                    ("penalty_move_state", "!=", "cancel"),
                ],
                ["move_line_id"],
                ["date_to:max"],
            )
        )
        claimed_until = {line.id: day for line, day in claimed_until.items()}
        indemnity_claimed = {
            move.id
            for [move] in self.sudo()._read_group(
                [
                    ("invoice_id", "in", move_lines.move_id.ids),
                    ("kind", "=", "indemnity"),
                    ("penalty_move_state", "!=", "cancel"),
                ],
                ["invoice_id"],
            )
        }
        rates = self.env["credit.control.penalty.rate"]._get_rates(company) if company.cc_penalty_interest else []
        digits = company.currency_id.decimal_places
        days_in_year = company.cc_penalty_days_in_year or 365
        indemnity_given = set()
        for line in move_lines.sorted(lambda aml: (aml.date_maturity, aml.id)):
            move = line.move_id
            values = {"interest": 0.0, "rate": 0.0, "days": 0, "date_from": line.date_maturity, "indemnity": 0.0}
            result["lines"][line.id] = values
            if move.cc_penalty_invoice or on_date <= line.date_maturity:
                continue
            start = max(line.date_maturity, claimed_until.get(line.id) or line.date_maturity)
            values.update(date_from=start, days=penalty_math.days_late(start, on_date))
            if company.cc_penalty_interest and on_date > start:
                try:
                    values["rate"] = float(penalty_math.rate_on(rates, on_date))
                    values["interest"] = float(
                        penalty_math.late_interest(
                            line.amount_residual,
                            start,
                            on_date,
                            rates,
                            payments=payments[line.id],
                            days_in_year=days_in_year,
                            digits=digits,
                        )
                    )
                except penalty_math.MissingRateError as error:
                    values["error"] = self.env._(
                        "No late-payment interest rate applies on %(date)s: complete the table of rates.",
                        date=format_date(self.env, error.day),
                    )
            if company.cc_penalty_indemnity and move.id not in indemnity_claimed and move.id not in indemnity_given:
                indemnity_given.add(move.id)
                values["indemnity"] = float(
                    penalty_math.recovery_indemnity(
                        move.commercial_partner_id.is_company, True, company.cc_penalty_indemnity_amount
                    )
                )
        return result

    @api.model
    def _get_products(self, company):
        """Product of each kind of penalty: the company's choice, else the shipped one."""
        return {
            "interest": company.cc_penalty_interest_product_id
            or self.env.ref("credit_control.product_penalty_interest"),
            "indemnity": company.cc_penalty_indemnity_product_id
            or self.env.ref("credit_control.product_penalty_indemnity"),
        }

    @api.model
    def _create_penalty_invoice(self, partner, company, penalty_vals_list, invoice_date):
        """The customer invoice claiming the penalties, one line per penalty with the product of its
        kind, and the penalties recorded (so they are never claimed twice).

        :param penalty_vals_list: dicts with kind, invoice_id, move_line_id, date_from, date_to,
            days, rate, base_amount, amount"""
        penalty_vals_list = [
            vals for vals in penalty_vals_list if company.currency_id.compare_amounts(vals["amount"], 0) > 0
        ]
        if not penalty_vals_list:
            raise UserError(self.env._("There is no penalty to claim."))
        products = self._get_products(company)
        invoices = self.env["account.move"].browse({vals["invoice_id"] for vals in penalty_vals_list})
        lines = []
        for vals in penalty_vals_list:
            invoice = invoices.browse(vals["invoice_id"])
            if vals["kind"] == "interest":
                name = self.env._(
                    "Late-payment interest on %(invoice)s: %(amount)s due, %(days)s days from %(start)s to %(end)s "
                    "at %(rate)s %%",
                    invoice=invoice.name,
                    amount=formatLang(self.env, vals["base_amount"], currency_obj=company.currency_id),
                    days=vals["days"],
                    start=format_date(self.env, vals["date_from"], lang_code=partner.lang),
                    end=format_date(self.env, vals["date_to"], lang_code=partner.lang),
                    rate=vals["rate"],
                )
            else:
                name = self.env._(
                    "Flat recovery indemnity (Code de commerce, D441-5) for %(invoice)s", invoice=invoice.name
                )
            lines.append(
                Command.create(
                    {
                        "product_id": products[vals["kind"]].id,
                        "name": name,
                        "quantity": 1.0,
                        "price_unit": vals["amount"],
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        penalty_invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "invoice_date": invoice_date,
                    "cc_penalty_invoice": True,
                    "invoice_origin": ", ".join(invoices.mapped("name")),
                    "invoice_line_ids": lines,
                }
            )
        )
        self.create(
            [
                {
                    **{key: vals[key] for key in PENALTY_FIELDS if key in vals},
                    "company_id": company.id,
                    "partner_id": partner.commercial_partner_id.id,
                    "penalty_move_id": penalty_invoice.id,
                }
                for vals in penalty_vals_list
            ]
        )
        return penalty_invoice
