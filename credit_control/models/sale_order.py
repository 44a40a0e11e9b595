from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import formatLang
from odoo.tools.sql import create_index

MANAGER_GROUP = "credit_control.group_credit_control_manager"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cc_check_state = fields.Selection(
        [("ok", "OK"), ("warning", "Warning"), ("blocked", "Blocked")],
        string="Credit Check",
        compute="_compute_cc_check",
        help="What the credit check would say if the order were confirmed now.",
    )
    cc_check_message = fields.Text(string="Credit Check Details", compute="_compute_cc_check")
    cc_deposit_percent = fields.Float(
        string="Required Deposit (%)",
        compute="_compute_cc_deposit",
        help="Deposit required by the customer's risk class before confirmation.",
    )
    cc_deposit_required = fields.Monetary(string="Required Deposit", compute="_compute_cc_deposit")
    cc_deposit_received = fields.Monetary(
        string="Deposit Received",
        compute="_compute_cc_deposit",
        help="Paid down-payment invoices of this order, or its online payments.",
    )
    cc_deposit_missing = fields.Monetary(string="Deposit Missing", compute="_compute_cc_deposit")
    cc_override_ids = fields.One2many("credit.control.override", "order_id", string="Credit Overrides")

    def init(self):
        # EXTENDS 'sale': the confirmed orders not fully invoiced of a customer count in its
        # exposure; found through the partner index they would cost every order of its history
        res = super().init()
        create_index(
            self.env.cr,
            indexname="sale_order_cc_uninvoiced_partner_idx",
            tablename="sale_order",
            expressions=["partner_id"],
            where="state = 'sale' AND invoice_status != 'invoiced'",
        )
        return res

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("partner_id", "amount_total", "company_id", "state")
    @api.depends_context("company")
    def _compute_cc_deposit(self):
        received = self._cc_deposit_received()
        for order in self:
            rclass = order.partner_id.commercial_partner_id.with_company(order.company_id).cc_risk_class_id
            percent = rclass.deposit_percent if rclass else 0.0
            required = order.currency_id.round(order.amount_total * percent / 100.0)
            got = received.get(order.id, 0.0)
            order.cc_deposit_percent = percent
            order.cc_deposit_required = required
            order.cc_deposit_received = got
            order.cc_deposit_missing = max(order.currency_id.round(required - got), 0.0)

    @api.depends("partner_id", "amount_total", "company_id", "state")
    @api.depends_context("company")
    def _compute_cc_check(self):
        todo = self.filtered(lambda o: o.state in ("draft", "sent") and o.partner_id and o.company_id.cc_enabled)
        (self - todo).update({"cc_check_state": False, "cc_check_message": False})
        results = todo._cc_evaluate()
        for order in todo:
            res = results[order.id]
            order.cc_check_state = res["state"]
            order.cc_check_message = "\n".join(res["failures"] or res["warnings"]) or False

    @api.depends("partner_id")
    def _compute_payment_term_id(self):
        # EXTENDS 'sale': without terms of its own, a customer gets the terms of its risk class
        res = super()._compute_payment_term_id()
        for order in self.filtered(lambda o: not o.payment_term_id and o.partner_id):
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            order.payment_term_id = partner.cc_risk_class_id.payment_term_id
        return res

    @api.depends("company_id", "partner_id")
    def _compute_require_payment(self):
        # EXTENDS 'sale': a class with a deposit asks the portal customer to pay it
        res = super()._compute_require_payment()
        for order in self:
            if order._cc_class_deposit_percent():
                order.require_payment = True
        return res

    @api.depends("require_payment", "partner_id")
    def _compute_prepayment_percent(self):
        # EXTENDS 'sale': the portal prepayment is the class deposit
        res = super()._compute_prepayment_percent()
        for order in self:
            percent = order._cc_class_deposit_percent()
            if percent:
                order.prepayment_percent = percent / 100.0
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        # EXTENDS 'sale': refuse orders that break a credit rule (backend, RPC and portal)
        self._cc_check_credit()
        return super().action_confirm()

    def _validate_order(self):
        # EXTENDS 'sale': a customer who accepts online never sees our credit reasons; a blocked
        # order stays a quotation and the salesperson is told why
        allowed = self._cc_keep_blocked_for_review()
        return super(SaleOrder, allowed)._validate_order()

    def action_cc_override(self):
        """Open the wizard where a credit manager confirms a blocked order with a reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Credit Block"),
            "res_model": "credit.control.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_cc_create_deposit_invoice(self):
        """Create and post the down-payment invoice of the missing deposit, and open it."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("A deposit invoice is only created for a quotation."))
        if not self.cc_deposit_missing:
            raise UserError(self.env._("No deposit is missing on %(order)s.", order=self.name))
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.ids, active_id=self.id)
            .create({"advance_payment_method": "fixed", "fixed_amount": self.cc_deposit_missing})
        )
        invoice = wizard._create_invoices(self)
        invoice.action_post()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_class_deposit_percent(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner or not self.company_id.cc_enabled:
            return 0.0
        return partner.with_company(self.company_id).cc_risk_class_id.deposit_percent

    def _cc_deposit_received(self):
        """Deposit received per order, in order currency: paid down-payment invoices, or online
        payment transactions (authorized or done, as sale's amount_paid) when they pay more. One
        query for all orders."""
        orders = self.filtered("id")
        if not orders:
            return {}
        for model in ("account.move", "account.move.line", "sale.order.line", "payment.transaction"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT order_id, GREATEST(COALESCE(SUM(amount) FILTER (WHERE kind = 'down payment'), 0),
                                          COALESCE(SUM(amount) FILTER (WHERE kind = 'transaction'), 0))
                  FROM (
                      SELECT dp.order_id, 'down payment' AS kind, dp.amount_total - dp.amount_residual AS amount
                        FROM (
                            SELECT DISTINCT sol.order_id, am.id, am.amount_total, am.amount_residual
                              FROM sale_order_line sol
                              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                              JOIN account_move am ON am.id = aml.move_id
                             WHERE sol.order_id = ANY(%(orders)s) AND sol.is_downpayment
                               AND am.state = 'posted' AND am.move_type = 'out_invoice'
                        ) dp
                      UNION ALL
                      SELECT rel.sale_order_id, 'transaction', tx.amount
                        FROM sale_order_transaction_rel rel
                        JOIN payment_transaction tx ON tx.id = rel.transaction_id
                       WHERE rel.sale_order_id = ANY(%(orders)s) AND tx.state IN ('authorized', 'done')
                  ) paid
                 GROUP BY order_id
                """,
                orders=orders.ids,
            )
        )
        return {order_id: float(amount) for order_id, amount in self.env.cr.fetchall()}

    def _cc_evaluate(self, lock=False):
        """Evaluate the credit rules of orders as if each were confirmed now.

        Returns {order_id: {"state", "failures", "warnings", "figures", "order_amount"}}; a few
        queries whatever the number of orders and of invoices behind them. ``lock``: serialize
        the checks of the same customers (see ``res.partner._cc_read_figures``)."""
        results = {}
        received = self._cc_deposit_received()
        # only the commercial partner is needed of the customers: not their ~200 other fields
        self.partner_id.fetch(["commercial_partner_id"])
        for company in self.company_id:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            Partner = self.env["res.partner"].with_company(company)
            figures = Partner._cc_read_figures(orders.partner_id.commercial_partner_id.ids, company, lock=lock)
            for order in orders:
                partner = order.partner_id.commercial_partner_id.with_company(company)
                fig = figures.get(partner.id) or Partner._cc_empty_figures()
                results[order.id] = order._cc_evaluate_one(partner, fig, received.get(order.id, 0.0))
        return results

    def _cc_evaluate_one(self, partner, fig, deposit_received):
        self.ensure_one()
        company = self.company_id
        date = self.date_order or fields.Date.context_today(self)
        # what the order adds to the exposure, in company currency: its total less the deposit paid
        uncovered = max(self.amount_total - deposit_received, 0.0)
        order_amount = self.currency_id._convert(uncovered, company.currency_id, company, date)
        reasons = partner._cc_reasons(fig, company, order_amount=order_amount)
        failures = [message for rule, message in reasons if rule != "warning"]
        warnings = [message for rule, message in reasons if rule == "warning"]
        percent = float(fig["deposit_percent"])
        if percent:
            required = self.currency_id.round(self.amount_total * percent / 100.0)
            missing = self.currency_id.round(required - deposit_received)
            if self.currency_id.compare_amounts(missing, 0.0) > 0:
                failures.append(
                    self.env._(
                        "Deposit: %(percent)s %% of the order is required before confirmation, "
                        "%(received)s received. Unblock: receive a deposit of %(missing)s (%(percent)s %%).",
                        percent=formatLang(self.env, percent, digits=0),
                        received=formatLang(self.env, deposit_received, currency_obj=self.currency_id),
                        missing=formatLang(self.env, missing, currency_obj=self.currency_id),
                    )
                )
        return {
            "state": "blocked" if failures else ("warning" if warnings else "ok"),
            "failures": failures,
            "warnings": warnings,
            "figures": fig,
            "order_amount": order_amount,
        }

    def _cc_check_credit(self):
        orders = self.filtered(lambda o: o.state in ("draft", "sent") and o.company_id.cc_enabled)
        if not orders:
            return
        results = orders._cc_evaluate(lock=True)
        override_reason = self.env.context.get("cc_override_reason")
        errors = []
        for order in orders:
            res = results[order.id]
            if not res["failures"]:
                continue
            if override_reason and self.env.user.has_group(MANAGER_GROUP):
                order._cc_log_override(res, override_reason)
                continue
            errors.append(
                self.env._(
                    "The order %(order)s of %(partner)s cannot be confirmed:\n%(rules)s",
                    order=order.name,
                    partner=order.partner_id.commercial_partner_id.display_name,
                    rules="\n".join(f"- {failure}" for failure in res["failures"]),
                )
            )
        if errors:
            errors.append(self.env._("A credit manager can confirm it anyway with a reason (Override)."))
            raise UserError("\n\n".join(errors))

    def _cc_keep_blocked_for_review(self):
        """Leave the orders that fail a credit rule as quotations, with a note and an activity for
        their salesperson; return the others. For confirmations that come from the customer
        (portal signature, online payment), where a refusal must not reach the customer."""
        orders = self.filtered(lambda o: o.state in ("draft", "sent") and o.company_id.cc_enabled)
        if not orders:
            return self
        results = orders.sudo()._cc_evaluate()
        blocked = orders.filtered(lambda o: results[o.id]["failures"])
        for order in blocked.sudo():
            rules = "\n".join(f"- {failure}" for failure in results[order.id]["failures"])
            note = self.env._(
                "Accepted by the customer online, but not confirmed: the credit check failed.\n%(rules)s",
                rules=rules,
            )
            order.message_post(body=note, subtype_xmlid="mail.mt_note")
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Credit check failed on an order accepted online"),
                note=note,
                user_id=(order.user_id or self.env.ref("base.user_admin")).id,
            )
        return self - blocked

    def _cc_log_override(self, result, reason):
        self.ensure_one()
        fig = result["figures"]
        rules = "\n".join(result["failures"])
        self.env["credit.control.override"].sudo().create(
            {
                "order_id": self.id,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "user_id": self.env.uid,
                "salesperson_id": self.user_id.id,
                "reason": reason,
                "rules": rules,
                "order_amount": result["order_amount"],
                "exposure": fig["exposure"],
                "credit_limit": fig["usable_limit"] or 0.0,
                "overdue_amount": fig["overdue_amount"],
            }
        )
        self.message_post(
            body=self.env._(
                "Credit block overridden by %(user)s. Reason: %(reason)s\nRules overridden:\n%(rules)s",
                user=self.env.user.name,
                reason=reason,
                rules=rules,
            )
        )
