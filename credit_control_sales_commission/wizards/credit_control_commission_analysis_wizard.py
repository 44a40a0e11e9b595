from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from ..models import commission_math

MANAGER_GROUPS = ("credit_control.group_credit_control_user", "sales_team.group_sale_manager")


class CreditControlCommissionAnalysisWizard(models.TransientModel):
    """Per beneficiary, customer and period: the commission on invoiced revenue, on cash collected,
    and the commission still pending on the open invoices."""

    _name = "credit.control.commission.analysis.wizard"
    _description = "Commission Analysis"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1)
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    row_ids = fields.One2many("credit.control.commission.analysis", "wizard_id")

    def action_show(self):
        self.ensure_one()
        self.row_ids.unlink()
        rows = self._cc_compute_rows()
        if not self.env.user.has_group(MANAGER_GROUPS[0]) and not self.env.user.has_group(MANAGER_GROUPS[1]):
            rows = {key: row for key, row in rows.items() if key[2] == self.env.uid}
        self.env["credit.control.commission.analysis"].create(
            [
                {
                    "wizard_id": self.id,
                    "company_id": self.company_id.id,
                    "period_start": period,
                    "beneficiary_partner_id": partner_id,
                    "beneficiary_user_id": user_id or False,
                    "partner_id": customer_id or False,
                    **values,
                }
                for (period, partner_id, user_id, customer_id), values in rows.items()
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control_sales_commission.credit_control_commission_analysis_action"
        )
        action["domain"] = [("wizard_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cc_split(self, plan, start_tier, start_flat, parts):
        """Commission that ``parts`` ({key: [tier base, flat commission]}) add to a seller's running
        totals, split between the keys in proportion to what each brings."""
        tier = sum(part[0] for part in parts.values())
        flat = sum(part[1] for part in parts.values())
        total = commission_math.seller_commission(
            start_tier + tier, start_flat + flat, plan["tiers"], plan["cap"]
        ) - commission_math.seller_commission(start_tier, start_flat, plan["tiers"], plan["cap"])
        tier_part = commission_math.tiered_commission(start_tier + tier, plan["tiers"]) - (
            commission_math.tiered_commission(start_tier, plan["tiers"])
        )
        weights = [tier_part * (part[0] / tier if tier else 0.0) + part[1] for part in parts.values()]
        return dict(zip(parts, commission_math.allocate(total, weights), strict=True))

    def _cc_compute_rows(self):
        """{(period, beneficiary partner, beneficiary user, customer): values}, computed as superuser
        in a few queries (the caller filters what a salesperson may see)."""
        self.env.flush_all()  # the pending commission reads the residual amounts
        Line = self.env["credit.control.commission.line"].sudo()
        company = self.company_id
        period_kind = company.cc_commission_period or "month"
        config = self.env["credit.control.commission.plan"]._cc_load_config([company.id])
        first = commission_math.period_start(self.date_from, period_kind)
        last_end = commission_math.period_end(commission_math.period_start(self.date_to, period_kind), period_kind)
        rows = defaultdict(
            lambda: dict.fromkeys(
                (
                    "invoiced_base",
                    "invoiced_commission",
                    "collected_base",
                    "collected_commission",
                    "pending_base",
                    "pending_commission",
                ),
                0.0,
            )
        )

        def sold_amounts(fact, ratio):
            sign = -1.0 if fact["move_type"] == "out_refund" else 1.0
            return -fact["balance"] * ratio, sign * fact["cost"] * ratio

        # invoiced: the plan applied to the invoices of each period as if invoicing paid
        facts = Line._cc_invoice_line_facts(
            SQL(
                "m.company_id = %s AND m.state = 'posted' AND m.invoice_date >= %s AND m.invoice_date <= %s",
                company.id,
                first,
                last_end,
            )
        )
        dates = {fact["line_id"]: fact["invoice_date"] for fact in facts}
        slices = Line._cc_slices_of_facts(facts, config, lambda fact: 1.0, sold_amounts)
        Line._cc_set_beneficiaries(slices)
        groups = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
        for item in slices:
            period = commission_math.period_start(dates[item["invoice_line_id"]], period_kind)
            for partner_id, user_id, share, _reversed in item["beneficiaries"]:
                weight = share / 100.0
                key = (period, partner_id, user_id, item["partner_id"])
                groups[(item["plan"]["id"], item["seller_partner_id"], period)][key][0] += weight * item["tier_base"]
                groups[(item["plan"]["id"], item["seller_partner_id"], period)][key][1] += weight * item["flat_amount"]
                rows[key]["invoiced_base"] += weight * item["base"]
        for (plan_id, _seller, _period), parts in groups.items():
            for key, amount in self._cc_split(config["plans"][plan_id], 0.0, 0.0, parts).items():
                rows[key]["invoiced_commission"] += amount

        # collected: the commission lines of the period
        Line.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT date, beneficiary_partner_id, beneficiary_user_id, partner_id,
                       SUM(base_amount * share / 100.0), SUM(amount)
                  FROM credit_control_commission_line
                 WHERE company_id = %s AND date >= %s AND date <= %s
                 GROUP BY date, beneficiary_partner_id, beneficiary_user_id, partner_id
                """,
                company.id,
                first,
                last_end,
            )
        )
        for date, partner_id, user_id, customer_id, base, amount in self.env.cr.fetchall():
            key = (commission_math.period_start(date, period_kind), partner_id, user_id, customer_id)
            rows[key]["collected_base"] += float(base or 0.0)
            rows[key]["collected_commission"] += float(amount or 0.0)

        # pending: what the open invoices will earn, on top of the current period's collections
        today = fields.Date.context_today(self)
        current = commission_math.period_start(today, period_kind)
        facts = Line._cc_invoice_line_facts(
            SQL("m.company_id = %s AND m.state = 'posted' AND m.amount_residual > 0", company.id)
        )
        slices = Line._cc_slices_of_facts(
            facts,
            config,
            lambda fact: fact["amount_residual"] / fact["amount_total"] if fact["amount_total"] else 0.0,
            sold_amounts,
        )
        Line._cc_set_beneficiaries(slices)
        groups = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
        for item in slices:
            for partner_id, user_id, share, _reversed in item["beneficiaries"]:
                weight = share / 100.0
                key = (current, partner_id, user_id, item["partner_id"])
                groups[(item["plan"]["id"], item["seller_partner_id"])][key][0] += weight * item["tier_base"]
                groups[(item["plan"]["id"], item["seller_partner_id"])][key][1] += weight * item["flat_amount"]
                rows[key]["pending_base"] += weight * item["base"]
        if groups:
            running = Line._cc_running_totals(
                {(plan_id, seller_id, current, company.id) for plan_id, seller_id in groups},
                config["companies"],
            )
            for (plan_id, seller_id), parts in groups.items():
                start_tier, start_flat = running.get((plan_id, seller_id, current), (0.0, 0.0))
                split = self._cc_split(config["plans"][plan_id], float(start_tier), float(start_flat), parts)
                for key, amount in split.items():
                    rows[key]["pending_commission"] += amount
        rounding = company.currency_id.round
        return {key: {field: rounding(value) for field, value in values.items()} for key, values in rows.items()}


class CreditControlCommissionAnalysis(models.TransientModel):
    _name = "credit.control.commission.analysis"
    _description = "Commission Analysis Row"
    _order = "period_start desc, beneficiary_partner_id, partner_id"

    wizard_id = fields.Many2one("credit.control.commission.analysis.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_start = fields.Date(string="Period", readonly=True)
    beneficiary_partner_id = fields.Many2one("res.partner", string="Beneficiary", readonly=True)
    beneficiary_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoiced_base = fields.Monetary(string="Invoiced Base", readonly=True)
    invoiced_commission = fields.Monetary(
        string="Commission if Paid on Invoicing",
        readonly=True,
        help="What the plan would pay on the revenue invoiced in the period.",
    )
    collected_base = fields.Monetary(string="Collected Base", readonly=True)
    collected_commission = fields.Monetary(
        string="Commission on Cash Collected", readonly=True, help="What the cash collected in the period earned."
    )
    pending_base = fields.Monetary(string="Base Still to Collect", readonly=True)
    pending_commission = fields.Monetary(
        string="Pending Commission",
        readonly=True,
        help="What the open invoices will earn when they are paid (shown on the current period).",
    )
