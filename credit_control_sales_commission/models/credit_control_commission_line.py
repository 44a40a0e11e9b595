from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import commission_math

LINE_KINDS = [("collection", "Collection"), ("reversal", "Reversal"), ("adjustment", "Adjustment")]
SETTLEMENT_STATES = [("draft", "Draft"), ("validated", "Validated"), ("paid", "Paid")]
PNL_TYPES = ("income", "income_other", "expense", "expense_direct_cost", "expense_depreciation")


class CreditControlCommissionLine(models.Model):
    """Commission earned by one beneficiary on the part of one invoice line that one reconciliation
    collected (or gave back). Created by the reconciliation itself, never by hand."""

    _name = "credit.control.commission.line"
    _description = "Commission Line"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(LINE_KINDS, required=True, readonly=True, default="collection")
    date = fields.Date(
        string="Payment Date",
        required=True,
        index=True,
        readonly=True,
        help="The later date of the two reconciled items: when the cash came in (or went back).",
    )
    period_start = fields.Date(
        string="Settlement Period",
        required=True,
        index=True,
        readonly=True,
        help="First day of the period whose settlement pays this line: the period of the payment date, "
        "or the next open one when that period is already settled.",
    )
    plan_id = fields.Many2one(
        "credit.control.commission.plan", string="Plan", required=True, index=True, readonly=True, ondelete="restrict"
    )
    seller_partner_id = fields.Many2one(
        "res.partner", string="Seller", required=True, index=True, readonly=True, ondelete="restrict"
    )
    seller_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, ondelete="set null")
    beneficiary_partner_id = fields.Many2one(
        "res.partner", string="Beneficiary", required=True, index=True, readonly=True, ondelete="restrict"
    )
    beneficiary_user_id = fields.Many2one(
        "res.users", string="Beneficiary User", index=True, readonly=True, ondelete="set null"
    )
    share = fields.Float(string="Share (%)", digits=(16, 4), readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True, ondelete="set null")
    invoice_id = fields.Many2one("account.move", string="Invoice", index=True, readonly=True, ondelete="set null")
    invoice_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", index="btree_not_null", readonly=True, ondelete="set null"
    )
    product_id = fields.Many2one("product.product", string="Product", readonly=True, ondelete="set null")
    partial_ref = fields.Integer(
        string="Reconciliation",
        index="btree_not_null",
        readonly=True,
        help="Identifier of the partial reconciliation that collected the amount (kept after unreconciliation).",
    )
    counterpart_move_id = fields.Many2one(
        "account.move", string="Paid With", readonly=True, ondelete="set null", help="The payment or credit note."
    )
    reversed_line_id = fields.Many2one(
        "credit.control.commission.line", string="Reverses", index="btree_not_null", readonly=True, ondelete="set null"
    )
    reversal_line_ids = fields.One2many("credit.control.commission.line", "reversed_line_id", string="Reversed By")
    fraction = fields.Float(
        string="Collected (%)",
        digits=(16, 4),
        readonly=True,
        help="Share of the invoice total this reconciliation collected, cash only (write-offs excluded).",
    )
    revenue_amount = fields.Monetary(string="Collected Untaxed", readonly=True)
    cost_amount = fields.Monetary(string="Collected Cost", readonly=True)
    base_amount = fields.Monetary(
        string="Commission Base", readonly=True, help="Collected untaxed amount, or collected gross margin."
    )
    tiered = fields.Boolean(string="Priced by Tiers", readonly=True)
    rate = fields.Float(
        string="Rate (%)", digits=(16, 4), readonly=True, help="Flat rate, or the effective rate of the tiers."
    )
    amount = fields.Monetary(string="Commission", readonly=True)
    tier_base = fields.Float(
        readonly=True, help="Technical: this beneficiary's share of the base priced by the tiers (unrounded)."
    )
    flat_amount = fields.Float(
        readonly=True, help="Technical: this beneficiary's share of the flat-rate commission (unrounded)."
    )
    settlement_id = fields.Many2one(
        "credit.control.commission.settlement", string="Settlement", index=True, readonly=True, ondelete="set null"
    )
    settlement_state = fields.Selection(related="settlement_id.state", string="Settlement Status")

    # ------------------------------------------------------------
    # INIT / COMPUTE
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        tools.create_index(
            self.env.cr,
            "credit_control_commission_line_seller_period_idx",
            self._table,
            ["plan_id", "seller_partner_id", "date"],
        )
        tools.create_index(
            self.env.cr,
            "credit_control_commission_line_unsettled_idx",
            self._table,
            ["beneficiary_partner_id", "period_start"],
            where="settlement_id IS NULL",
        )
        return res

    @api.depends("invoice_id", "date", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            line.display_name = "%s %s %s" % (kinds.get(line.kind), line.invoice_id.name or "", line.date or "")

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        # OVERRIDE: the lines of a validated or paid settlement never change
        if self.filtered(lambda line: line.settlement_id.state in ("validated", "paid")):
            raise UserError(
                self.env._(
                    "These commission lines belong to a validated settlement: they are locked. A later "
                    "correction goes to the next period."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ENGINE: reconciliations -> commission lines
    # ------------------------------------------------------------

    @api.model
    def _cc_flush_accounting(self):
        """Flush what the engine's queries read, and only that: the reconciliation in progress
        still has residual amounts to recompute, which the engine does not need."""
        self.env["account.partial.reconcile"].flush_model(
            [
                "debit_move_id",
                "credit_move_id",
                "debit_amount_currency",
                "credit_amount_currency",
                "max_date",
                "company_id",
            ]
        )
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "account_id",
                "balance",
                "amount_currency",
                "display_type",
                "tax_line_id",
                "product_id",
                "sequence",
                "is_downpayment",
                "cc_commission_user_id",
                "cc_commission_cost",
            ]
        )
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "company_id",
                "currency_id",
                "amount_total",
                "invoice_date",
                "commercial_partner_id",
                "invoice_user_id",
                "cc_commission_agent_id",
                "cc_commission_excluded",
                "origin_payment_id",
                "statement_line_id",
            ]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id", "cc_commission_free"])
        self.env["res.partner"].flush_model(["cc_risk_class_id"])

    @api.model
    def _cc_collected_sides(self, condition):
        """The invoice sides of the partial reconciliations matching ``condition`` (an SQL condition
        on ``account_partial_reconcile p``) that earn commission, in one query.

        A customer invoice or credit note earns the reconciled fraction of its total when the other
        side is a payment (cash share of the payment entry: write-off lines earn nothing) or another
        invoice or credit note; against anything else (write-off entry, reclassification to
        doubtful, exchange difference) it earns nothing."""
        self._cc_flush_accounting()
        self.env.cr.execute(
            SQL(
                """
                WITH sides AS (
                    SELECT p.id AS partial_id, p.max_date, p.debit_move_id AS doc_line_id,
                           p.credit_move_id AS other_line_id, p.debit_amount_currency AS doc_amount
                      FROM account_partial_reconcile p WHERE %(condition)s
                     UNION ALL
                    SELECT p.id, p.max_date, p.credit_move_id, p.debit_move_id, p.credit_amount_currency
                      FROM account_partial_reconcile p WHERE %(condition)s
                )
                SELECT s.partial_id, s.max_date, dm.id, dm.company_id, s.doc_amount, dm.amount_total,
                       om.id, om.move_type IN ('out_invoice', 'out_refund') AS other_is_invoice,
                       cash.counterpart, cash.cash
                  FROM sides s
                  JOIN account_move_line dl ON dl.id = s.doc_line_id
                  JOIN account_account da ON da.id = dl.account_id
                  JOIN account_move dm ON dm.id = dl.move_id
                  JOIN account_move_line ol ON ol.id = s.other_line_id
                  JOIN account_move om ON om.id = ol.move_id
                  LEFT JOIN LATERAL (
                      SELECT SUM(x.balance) FILTER (
                                 WHERE xa.account_type IN ('asset_receivable', 'liability_payable')) AS counterpart,
                             SUM(x.balance) FILTER (
                                 WHERE xa.account_type NOT IN ('asset_receivable', 'liability_payable')
                                   AND xa.account_type NOT IN %(pnl)s AND x.tax_line_id IS NULL) AS cash
                        FROM account_move_line x
                        JOIN account_account xa ON xa.id = x.account_id
                       WHERE x.move_id = om.id
                  ) cash ON om.origin_payment_id IS NOT NULL OR om.statement_line_id IS NOT NULL
                 WHERE dm.move_type IN ('out_invoice', 'out_refund')
                   AND da.account_type = 'asset_receivable'
                   AND NOT COALESCE(dm.cc_commission_excluded, FALSE)
                   AND (om.move_type IN ('out_invoice', 'out_refund')
                        OR om.origin_payment_id IS NOT NULL OR om.statement_line_id IS NOT NULL)
                   AND s.doc_amount > 0 AND dm.amount_total > 0
                 ORDER BY s.max_date, s.partial_id
                """,
                condition=condition,
                pnl=PNL_TYPES,
            )
        )
        sides = []
        for (
            partial_id,
            date,
            move_id,
            company_id,
            doc_amount,
            total,
            other_id,
            other_is_invoice,
            cp,
            cash,
        ) in self.env.cr.fetchall():
            if other_is_invoice:
                cash_ratio = 1.0
            else:
                cp, cash = float(cp or 0.0), float(cash or 0.0)
                cash_ratio = min(max(-cash / cp, 0.0), 1.0) if cp else 0.0
            fraction = min(float(doc_amount) / float(total), 1.0)
            if not cash_ratio or not fraction:
                continue
            sides.append(
                {
                    "partial_id": partial_id,
                    "date": date,
                    "move_id": move_id,
                    "company_id": company_id,
                    "fraction": fraction * cash_ratio,
                    "counterpart_move_id": other_id,
                }
            )
        return sides

    @api.model
    def _cc_invoice_line_facts(self, condition):
        """What the engine needs of the sold lines of customer invoices and credit notes matching
        ``condition`` (SQL on ``account_move_line l`` and ``account_move m``), in one query. Down
        payment lines, commission-free products and excluded invoices earn nothing: not returned."""
        self._cc_flush_accounting()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, l.move_id, m.company_id, m.move_type, m.currency_id, c.currency_id,
                       m.amount_total, m.amount_residual, m.invoice_date, m.commercial_partner_id,
                       COALESCE(l.cc_commission_user_id, m.invoice_user_id), su.partner_id,
                       m.cc_commission_agent_id, l.amount_currency, l.balance,
                       COALESCE(l.cc_commission_cost, 0), l.product_id, pc.parent_path,
                       (cp.cc_risk_class_id ->> m.company_id::text)::int
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_company c ON c.id = m.company_id
                  LEFT JOIN res_users su ON su.id = COALESCE(l.cc_commission_user_id, m.invoice_user_id)
                  LEFT JOIN product_product pp ON pp.id = l.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN product_category pc ON pc.id = pt.categ_id
                  LEFT JOIN res_partner cp ON cp.id = m.commercial_partner_id
                 WHERE l.display_type = 'product'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND NOT COALESCE(l.is_downpayment, FALSE)
                   AND NOT COALESCE(pt.cc_commission_free, FALSE)
                   AND NOT COALESCE(m.cc_commission_excluded, FALSE)
                   AND %s
                 ORDER BY l.move_id, l.sequence, l.id
                """,
                condition,
            )
        )
        keys = (
            "line_id",
            "move_id",
            "company_id",
            "move_type",
            "currency_id",
            "company_currency_id",
            "amount_total",
            "amount_residual",
            "invoice_date",
            "partner_id",
            "user_id",
            "user_partner_id",
            "agent_id",
            "amount_currency",
            "balance",
            "cost",
            "product_id",
            "categ_path",
            "risk_class_id",
        )
        facts = []
        for row in self.env.cr.fetchall():
            fact = dict(zip(keys, row, strict=True))
            for key in ("amount_total", "amount_residual", "amount_currency", "balance", "cost"):
                fact[key] = float(fact[key] or 0.0)
            facts.append(fact)
        return facts

    @api.model
    def _cc_sellers(self, fact, config):
        """[(plan, seller_partner_id, seller_user_id)] paid on a sold line: its salesperson's plan and
        the plan of the customer's agent."""
        sellers = []
        company_id = fact["company_id"]
        plan = fact["user_id"] and config["user"].get((company_id, fact["user_id"]))
        if plan:
            sellers.append((plan, fact["user_partner_id"], fact["user_id"]))
        plan = fact["agent_id"] and config["agent"].get((company_id, fact["agent_id"]))
        if plan:
            sellers.append((plan, fact["agent_id"], False))
        return sellers

    @api.model
    def _cc_slices_of_facts(self, facts, config, ratio_of, amounts_of):
        """One slice per (sold line, seller): the base it brings and how it is priced.

        ``ratio_of(fact)`` is the share of the line counted; ``amounts_of(fact, ratio)`` returns
        (revenue, cost) in company currency."""
        slices = []
        for fact in facts:
            sellers = self._cc_sellers(fact, config)
            if not sellers:
                continue
            ratio = ratio_of(fact)
            if not ratio:
                continue
            revenue, cost = amounts_of(fact, ratio)
            for plan, seller_partner_id, seller_user_id in sellers:
                base = revenue - cost if plan["base"] == "margin" else revenue
                tiered, rate = self.env["credit.control.commission.plan"]._cc_price(
                    plan, fact["product_id"], fact["categ_path"], fact["risk_class_id"]
                )
                slices.append(
                    {
                        "company_id": fact["company_id"],
                        "plan": plan,
                        "seller_partner_id": seller_partner_id,
                        "seller_user_id": seller_user_id,
                        "partner_id": fact["partner_id"],
                        "invoice_id": fact["move_id"],
                        "invoice_line_id": fact["line_id"],
                        "product_id": fact["product_id"],
                        "revenue": revenue,
                        "cost": cost,
                        "base": base,
                        "tiered": tiered,
                        "rate": rate,
                        "tier_base": base if tiered else 0.0,
                        "flat_amount": 0.0 if tiered else base * rate / 100.0,
                        "ratio": ratio,
                    }
                )
        return slices

    @api.model
    def _cc_collection_slices(self, sides, config):
        """Slices of what the reconciled sides collected: fraction x each line's base, in company
        currency at the payment date."""
        if not sides:
            return []
        facts = self._cc_invoice_line_facts(SQL("l.move_id = ANY(%s)", list({side["move_id"] for side in sides})))
        facts_by_move = defaultdict(list)
        for fact in facts:
            facts_by_move[fact["move_id"]].append(fact)
        rates = {}

        def convert(fact, amount, date):
            if fact["currency_id"] == fact["company_currency_id"]:
                return None
            key = (fact["currency_id"], fact["company_id"], date)
            if key not in rates:
                Currency = self.env["res.currency"]
                rates[key] = Currency._get_conversion_rate(
                    Currency.browse(fact["currency_id"]),
                    Currency.browse(fact["company_currency_id"]),
                    self.env["res.company"].browse(fact["company_id"]),
                    date,
                )
            return amount * rates[key]

        slices = []
        for side in sides:
            date = side["date"]

            def amounts_of(fact, ratio, date=date):
                sign = -1.0 if fact["move_type"] == "out_refund" else 1.0
                converted = convert(fact, -fact["amount_currency"] * ratio, date)
                revenue = -fact["balance"] * ratio if converted is None else converted
                return revenue, sign * fact["cost"] * ratio

            for item in self._cc_slices_of_facts(
                facts_by_move[side["move_id"]], config, lambda fact, side=side: side["fraction"], amounts_of
            ):
                item.update(
                    {
                        "kind": "collection",
                        "date": date,
                        "partial_ref": side["partial_id"],
                        "counterpart_move_id": side["counterpart_move_id"],
                        "fraction": side["fraction"],
                    }
                )
                slices.append(item)
        self._cc_set_beneficiaries(slices)
        return slices

    @api.model
    def _cc_set_beneficiaries(self, slices):
        """Fill ``beneficiaries`` of each slice from its plan's shares: [(partner_id, user_id, share)].
        A share whose beneficiary is missing (no team leader) goes to the seller."""
        leader_of = {}
        need_leaders = {
            item["seller_user_id"]
            for item in slices
            if item["seller_user_id"] and any(share["role"] == "team_leader" for share in item["plan"]["shares"])
        }
        if need_leaders:
            for user in self.env["res.users"].sudo().browse(need_leaders):
                leader = user.sale_team_id.user_id
                leader_of[user.id] = (leader.partner_id.id, leader.id) if leader else None
        users_partner = {}
        specific = {share["user_id"] for item in slices for share in item["plan"]["shares"] if share["role"] == "user"}
        if specific:
            users_partner = {user.id: user.partner_id.id for user in self.env["res.users"].sudo().browse(specific)}
        for item in slices:
            seller = (item["seller_partner_id"], item["seller_user_id"] or False)
            merged = {}
            for share in item["plan"]["shares"]:
                who = seller
                if share["role"] == "team_leader" and item["seller_user_id"]:
                    who = leader_of.get(item["seller_user_id"]) or seller
                elif share["role"] == "user":
                    who = (users_partner[share["user_id"]], share["user_id"])
                merged[who] = merged.get(who, 0.0) + float(share["share"])
            item["beneficiaries"] = [(partner, user, share, False) for (partner, user), share in merged.items()]

    @api.model
    def _cc_book(self, slices, config):
        """Create the lines of ``slices``, each beneficiary's commission being its share of
        ``C(after) - C(before)`` on the seller's running totals of the payment date's period
        (rounded so that the lines of a period add up to the rounded commission of its totals)."""
        if not slices:
            return self.browse()
        companies = config["companies"]
        for item in slices:
            item["date_period"] = commission_math.period_start(item["date"], companies[item["company_id"]]["period"])
        lock = sorted({item["seller_partner_id"] for item in slices if item["plan"]["tiers"] or item["plan"]["cap"]})
        if lock:
            # two transactions booking the same seller would both read the same running totals
            self.env.cr.execute(SQL("UPDATE res_partner SET write_date = write_date WHERE id = ANY(%s)", lock))
        totals = self._cc_running_totals(
            {
                (item["plan"]["id"], item["seller_partner_id"], item["date_period"], item["company_id"])
                for item in slices
            },
            companies,
        )
        targets = self._cc_target_periods(
            {
                (item["company_id"], beneficiary[0], item["date_period"])
                for item in slices
                for beneficiary in item["beneficiaries"]
            },
            companies,
        )
        vals_list = []
        ordered = sorted(
            slices, key=lambda s: (s["date"], s.get("partial_ref") or 0, s.get("invoice_line_id") or 0, s["kind"])
        )
        for item in ordered:
            plan = item["plan"]
            company = companies[item["company_id"]]
            rounding = company["rounding"]
            running = totals[(plan["id"], item["seller_partner_id"], item["date_period"])]
            before = commission_math.seller_commission(running[0], running[1], plan["tiers"], plan["cap"])
            tier_before = commission_math.tiered_commission(running[0], plan["tiers"])
            running[0] += item["tier_base"]
            running[1] += item["flat_amount"]
            after = commission_math.seller_commission(running[0], running[1], plan["tiers"], plan["cap"])
            rate = item["rate"]
            if item["tiered"]:
                tier_delta = commission_math.tiered_commission(running[0], plan["tiers"]) - tier_before
                rate = 100.0 * tier_delta / item["tier_base"] if item["tier_base"] else 0.0
            for partner_id, user_id, share, reversed_line_id in item["beneficiaries"]:
                weight = share / 100.0
                amount = tools.float_round(weight * after, precision_rounding=rounding) - tools.float_round(
                    weight * before, precision_rounding=rounding
                )
                period, settlement_id = targets[(item["company_id"], partner_id, item["date_period"])]
                vals_list.append(
                    {
                        "company_id": item["company_id"],
                        "kind": item["kind"],
                        "date": item["date"],
                        "period_start": period,
                        "plan_id": plan["id"],
                        "seller_partner_id": item["seller_partner_id"],
                        "seller_user_id": item["seller_user_id"] or False,
                        "beneficiary_partner_id": partner_id,
                        "beneficiary_user_id": user_id or False,
                        "share": share,
                        "partner_id": item.get("partner_id") or False,
                        "invoice_id": item.get("invoice_id") or False,
                        "invoice_line_id": item.get("invoice_line_id") or False,
                        "product_id": item.get("product_id") or False,
                        "partial_ref": item.get("partial_ref") or False,
                        "counterpart_move_id": item.get("counterpart_move_id") or False,
                        "reversed_line_id": reversed_line_id,
                        "fraction": 100.0 * item.get("fraction", 0.0),
                        "revenue_amount": item.get("revenue", 0.0),
                        "cost_amount": item.get("cost", 0.0),
                        "base_amount": item.get("base", 0.0),
                        "tiered": item["tiered"],
                        "rate": rate,
                        "amount": amount + item.get("extra_amount", {}).get(partner_id, 0.0),
                        "tier_base": weight * item["tier_base"],
                        "flat_amount": weight * item["flat_amount"],
                        "settlement_id": settlement_id,
                    }
                )
        return self.sudo().create(vals_list)

    @api.model
    def _cc_running_totals(self, keys, companies):
        """{(plan_id, seller_partner_id, period_start): [tier base, flat commission]} of the lines
        already booked, for each period of ``keys`` (plan, seller, period start, company), in one query."""
        self.flush_model(["plan_id", "seller_partner_id", "date", "tier_base", "flat_amount"])
        values = [
            SQL(
                "(%s, %s, %s::date, %s::date)",
                plan_id,
                seller_id,
                start,
                commission_math.period_end(start, companies[company_id]["period"]),
            )
            for plan_id, seller_id, start, company_id in keys
        ]
        self.env.cr.execute(
            SQL(
                """
                SELECT k.plan_id, k.seller_id, k.start, COALESCE(SUM(l.tier_base), 0), COALESCE(SUM(l.flat_amount), 0)
                  FROM (VALUES %s) AS k(plan_id, seller_id, start, stop)
                  LEFT JOIN credit_control_commission_line l
                         ON l.plan_id = k.plan_id AND l.seller_partner_id = k.seller_id
                        AND l.date >= k.start AND l.date <= k.stop
                 GROUP BY k.plan_id, k.seller_id, k.start
                """,
                SQL(", ").join(values),
            )
        )
        return {
            (plan_id, seller_id, start): [tier, flat]
            for plan_id, seller_id, start, tier, flat in self.env.cr.fetchall()
        }

    @api.model
    def _cc_target_periods(self, keys, companies):
        """{(company_id, beneficiary_partner_id, period_start): (settlement period, draft settlement
        id or False)}: a line whose period is already validated or paid goes to the next open period."""
        if not keys:
            return {}
        Settlement = self.env["credit.control.commission.settlement"]
        Settlement.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, beneficiary_partner_id, period_start, state, id
                  FROM credit_control_commission_settlement
                 WHERE company_id = ANY(%s) AND beneficiary_partner_id = ANY(%s) AND period_start >= %s
                """,
                list({key[0] for key in keys}),
                list({key[1] for key in keys}),
                min(key[2] for key in keys),
            )
        )
        settlements = {(c, b, p): (state, sid) for c, b, p, state, sid in self.env.cr.fetchall()}
        targets = {}
        for company_id, partner_id, start in keys:
            period = start
            while settlements.get((company_id, partner_id, period), ("draft",))[0] != "draft":
                period = commission_math.next_period_start(period, companies[company_id]["period"])
            draft = settlements.get((company_id, partner_id, period))
            targets[(company_id, partner_id, start)] = (period, draft[1] if draft else False)
        return targets

    @api.model
    def _cc_collect(self, partials):
        """Book the commission that new partial reconciliations collected. A bounded number of
        queries whatever the number of partials, invoices and lines."""
        company_ids = partials.company_id.ids
        config = self.env["credit.control.commission.plan"]._cc_load_config(company_ids)
        if not config["user"] and not config["agent"]:
            return self.browse()
        sides = self._cc_collected_sides(SQL("p.id = ANY(%s)", partials.ids))
        return self._cc_book(self._cc_collection_slices(sides, config), config)

    @api.model
    def _cc_reverse(self, partial_ids):
        """Book negative lines for the collections of reconciliations being removed: same payment
        date, same beneficiaries and shares; a validated period sends them to the next one."""
        lines = self.sudo().search(
            [("partial_ref", "in", partial_ids), ("kind", "=", "collection"), ("reversal_line_ids", "=", False)],
            order="id",
        )
        if not lines:
            return self.browse()
        config = self.env["credit.control.commission.plan"]._cc_load_config(lines.company_id.ids)
        return self._cc_book(self._cc_reversal_slices(lines, config), config)

    @api.model
    def _cc_reversal_slices(self, lines, config, kind="reversal"):
        groups = defaultdict(lambda: self.browse())
        for line in lines:
            key = (line.partial_ref, line.invoice_line_id.id, line.plan_id.id, line.seller_partner_id.id, line.date)
            groups[key] |= line
        slices = []
        for group in groups.values():
            first = group[0]
            slices.append(
                {
                    "company_id": first.company_id.id,
                    "plan": config["plans"][first.plan_id.id],
                    "seller_partner_id": first.seller_partner_id.id,
                    "seller_user_id": first.seller_user_id.id,
                    "partner_id": first.partner_id.id,
                    "invoice_id": first.invoice_id.id,
                    "invoice_line_id": first.invoice_line_id.id,
                    "product_id": first.product_id.id,
                    "kind": kind,
                    "date": first.date,
                    "partial_ref": first.partial_ref,
                    "counterpart_move_id": first.counterpart_move_id.id,
                    "fraction": -first.fraction / 100.0,
                    "revenue": -first.revenue_amount,
                    "cost": -first.cost_amount,
                    "base": -first.base_amount,
                    "tiered": first.tiered,
                    "rate": first.rate,
                    "tier_base": -sum(group.mapped("tier_base")),
                    "flat_amount": -sum(group.mapped("flat_amount")),
                    "beneficiaries": [
                        (
                            line.beneficiary_partner_id.id,
                            line.beneficiary_user_id.id,
                            line.share,
                            line.id if kind == "reversal" else False,
                        )
                        for line in group
                    ],
                }
            )
        return slices
