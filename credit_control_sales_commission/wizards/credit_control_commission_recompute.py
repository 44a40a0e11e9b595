from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..models import commission_math


class CreditControlCommissionRecompute(models.TransientModel):
    """Rebuild a period's commission from the reconciliations and prove the lines match them."""

    _name = "credit.control.commission.recompute"
    _description = "Check and Rebuild Commissions"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Period of",
        required=True,
        default=fields.Date.context_today,
        help="Any day of the period to check: its payments are compared with its commission lines.",
    )
    period_start = fields.Date(compute="_compute_period")
    period_end = fields.Date(compute="_compute_period")
    state = fields.Selection(
        [("new", "Not Checked"), ("match", "Matches"), ("mismatch", "Differs")], default="new", readonly=True
    )
    slice_mismatch_count = fields.Integer(string="Lines Differing", readonly=True)
    total_mismatch_count = fields.Integer(string="Totals Differing", readonly=True)
    expected_amount = fields.Monetary(string="Expected Commission", readonly=True)
    booked_amount = fields.Monetary(string="Booked Commission", readonly=True)
    expected_base = fields.Monetary(string="Expected Collected Base", readonly=True)
    booked_base = fields.Monetary(string="Booked Collected Base", readonly=True)
    report = fields.Text(readonly=True)

    @api.depends("date", "company_id.cc_commission_period")
    def _compute_period(self):
        for wizard in self:
            period = wizard.company_id.cc_commission_period or "month"
            start = commission_math.period_start(wizard.date or fields.Date.context_today(self), period)
            wizard.period_start = start
            wizard.period_end = commission_math.period_end(start, period)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_check(self):
        self.ensure_one()
        self._cc_write_result(self._cc_compare())
        return self._cc_reopen()

    def action_rebuild(self):
        self.ensure_one()
        self._cc_rebuild()
        self._cc_write_result(self._cc_compare())
        return self._cc_reopen()

    def _cc_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_expected(self):
        """The period's slices computed from account_partial_reconcile with today's plans, and the
        engine's config."""
        Line = self.env["credit.control.commission.line"].sudo()
        config = self.env["credit.control.commission.plan"]._cc_load_config([self.company_id.id])
        sides = Line._cc_collected_sides(
            SQL(
                "p.company_id = %s AND p.max_date >= %s AND p.max_date <= %s",
                self.company_id.id,
                self.period_start,
                self.period_end,
            )
        )
        return Line._cc_collection_slices(sides, config), config

    def _cc_booked(self):
        """{slice key: sums} and {(plan, seller, beneficiary): amount} of the lines dated in the
        period; the sums of a slice (tier base, flat commission, base, revenue, cost) add up its
        beneficiaries' shares."""
        lines = (
            self.env["credit.control.commission.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("date", ">=", self.period_start),
                    ("date", "<=", self.period_end),
                ]
            )
        )
        slices = {}
        amounts = defaultdict(float)
        for line in lines:
            if line.partial_ref:
                key = (line.partial_ref, line.invoice_line_id.id, line.plan_id.id, line.seller_partner_id.id)
                sums = slices.setdefault(
                    key,
                    {
                        "tier_base": 0.0,
                        "flat_amount": 0.0,
                        "base": 0.0,
                        "revenue": 0.0,
                        "cost": 0.0,
                        "lines": line.browse(),
                    },
                )
                weight = line.share / 100.0
                sums["tier_base"] += line.tier_base
                sums["flat_amount"] += line.flat_amount
                sums["base"] += line.base_amount * weight
                sums["revenue"] += line.revenue_amount * weight
                sums["cost"] += line.cost_amount * weight
                sums["lines"] |= line
            amounts[(line.plan_id.id, line.seller_partner_id.id, line.beneficiary_partner_id.id)] += line.amount
        return slices, amounts

    def _cc_compare(self):
        expected, config = self._cc_expected()
        booked, booked_amounts = self._cc_booked()
        rounding = self.currency_id.rounding
        expected_slices = {}
        for item in expected:
            key = (item["partial_ref"], item["invoice_line_id"], item["plan"]["id"], item["seller_partner_id"])
            expected_slices[key] = item
        slice_diffs = []
        for key in set(expected_slices) | set(booked):
            item = expected_slices.get(key)
            tier, flat = (item["tier_base"], item["flat_amount"]) if item else (0.0, 0.0)
            sums = booked.get(key) or {"tier_base": 0.0, "flat_amount": 0.0}
            got_tier, got_flat = sums["tier_base"], sums["flat_amount"]
            if abs(tier - got_tier) >= rounding / 2 or abs(flat - got_flat) >= rounding / 2:
                slice_diffs.append((key, tier - got_tier, flat - got_flat))
        expected_amounts = self._cc_expected_amounts(expected, config)
        total_diffs = []
        for key in set(expected_amounts) | set(booked_amounts):
            diff = expected_amounts.get(key, 0.0) - booked_amounts.get(key, 0.0)
            if self.currency_id.compare_amounts(diff, 0.0):
                total_diffs.append((key, diff))
        return {
            "expected": expected,
            "expected_slices": expected_slices,
            "booked": booked,
            "config": config,
            "slice_diffs": slice_diffs,
            "total_diffs": total_diffs,
            "expected_amount": sum(expected_amounts.values()),
            "booked_amount": sum(booked_amounts.values()),
            "expected_base": sum(item["base"] for item in expected),
            "booked_base": sum(sums["base"] for sums in booked.values()),
        }

    def _cc_expected_amounts(self, expected, config):
        """{(plan, seller, beneficiary): commission} of the period, from the expected slices."""
        totals = defaultdict(lambda: [0.0, 0.0])
        weights = {}
        for item in expected:
            key = (item["plan"]["id"], item["seller_partner_id"])
            totals[key][0] += item["tier_base"]
            totals[key][1] += item["flat_amount"]
            for partner_id, _user_id, share, _reversed in item["beneficiaries"]:
                weights[(key, partner_id)] = share / 100.0
        amounts = {}
        for (key, partner_id), weight in weights.items():
            plan = config["plans"][key[0]]
            commission = commission_math.seller_commission(totals[key][0], totals[key][1], plan["tiers"], plan["cap"])
            amounts[(key[0], key[1], partner_id)] = tools.float_round(
                weight * commission, precision_rounding=self.currency_id.rounding
            )
        return amounts

    def _cc_write_result(self, result):
        money = lambda amount: formatLang(self.env, amount, currency_obj=self.currency_id)  # noqa: E731
        _ = self.env._
        report = [
            _(
                "Period %(start)s - %(end)s: %(count)s collected invoice lines from the reconciliations, "
                "base %(base)s, commission %(amount)s; lines booked: base %(booked_base)s, commission %(booked)s.",
                start=self.period_start,
                end=self.period_end,
                count=len(result["expected_slices"]),
                base=money(result["expected_base"]),
                amount=money(result["expected_amount"]),
                booked_base=money(result["booked_base"]),
                booked=money(result["booked_amount"]),
            )
        ]
        for (partial_ref, line_id, _plan, _seller), tier, flat in result["slice_diffs"][:50]:
            report.append(
                _(
                    "Reconciliation %(partial)s, invoice line %(line)s: base differs by %(tier)s, "
                    "flat commission by %(flat)s.",
                    partial=partial_ref,
                    line=line_id,
                    tier=money(tier),
                    flat=money(flat),
                )
            )
        partners = self.env["res.partner"].browse({key[2] for key, _diff in result["total_diffs"]})
        names = {partner.id: partner.display_name for partner in partners}
        for (_plan, _seller, partner_id), diff in result["total_diffs"][:50]:
            report.append(
                _("Commission of %(name)s differs by %(diff)s.", name=names.get(partner_id), diff=money(diff))
            )
        mismatch = bool(result["slice_diffs"] or result["total_diffs"])
        self.write(
            {
                "state": "mismatch" if mismatch else "match",
                "slice_mismatch_count": len(result["slice_diffs"]),
                "total_mismatch_count": len(result["total_diffs"]),
                "expected_amount": result["expected_amount"],
                "booked_amount": result["booked_amount"],
                "expected_base": result["expected_base"],
                "booked_base": result["booked_base"],
                "report": "\n".join(report),
            }
        )

    def _cc_rebuild(self):
        """Book adjustment lines so that the period matches its reconciliations: first per invoice
        line collected (base), then per beneficiary (commission). Validated settlements are not
        touched: their adjustments go to the next open period."""
        Line = self.env["credit.control.commission.line"].sudo()
        result = self._cc_compare()
        config = result["config"]
        today = fields.Date.context_today(self)
        slices = []
        for key, tier, flat in result["slice_diffs"]:
            item = result["expected_slices"].get(key)
            booked = result["booked"].get(key)
            if item:
                correction = dict(item, kind="adjustment", tier_base=tier, flat_amount=flat)
                if booked:
                    for field in ("revenue", "cost", "base"):
                        correction[field] = item[field] - booked[field]
                slices.append(correction)
            else:
                slices.extend(Line._cc_reversal_slices(booked["lines"], config, kind="adjustment"))
        Line._cc_book(slices, config)
        remaining = self._cc_compare()["total_diffs"]
        adjustments = []
        for (plan_id, seller_id, partner_id), diff in remaining:
            user = self.env["res.users"].sudo().search([("partner_id", "=", partner_id)], limit=1)
            seller_user = self.env["res.users"].sudo().search([("partner_id", "=", seller_id)], limit=1)
            adjustments.append(
                {
                    "company_id": self.company_id.id,
                    "plan": config["plans"][plan_id],
                    "seller_partner_id": seller_id,
                    "seller_user_id": seller_user.id,
                    "kind": "adjustment",
                    "date": min(self.period_end, max(today, self.period_start)),
                    "tiered": False,
                    "rate": 0.0,
                    "tier_base": 0.0,
                    "flat_amount": 0.0,
                    "beneficiaries": [(partner_id, user.id, 0.0, False)],
                    "extra_amount": {partner_id: diff},
                }
            )
        Line._cc_book(adjustments, config)
