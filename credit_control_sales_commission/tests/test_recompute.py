from freezegun import freeze_time

from odoo import Command
from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.credit_control_sales_commission.models import commission_math

from .common import CommissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-02-10")
class TestRecompute(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_a = cls.invoice(1000.0, date="2026-01-03")  # 1,200 with tax
        cls.inv_b = cls.invoice(500.0, date="2026-01-04", tax=False)
        cls.inv_c = cls.invoice(2000.0, date="2026-01-05")  # 2,400 with tax
        cls.refund = cls.invoice(200.0, date="2026-01-06", move_type="out_refund")  # 240 with tax
        cls.pay(cls.inv_a, 360.0, date="2026-01-10")
        cls.pay(cls.inv_a, 840.0, date="2026-01-20")
        cls.pay(cls.inv_b, 500.0, date="2026-01-15").action_draft()  # paid, then cancelled
        cls.pay(cls.inv_b, 200.0, date="2026-01-16")
        receivable = (cls.inv_c + cls.refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        receivable.reconcile()  # the credit note settles 240 of C on 2026-01-06
        cls.pay(cls.inv_c, 1000.0, date="2026-01-25")
        cls.pay(cls.inv_c, 500.0, date="2026-02-02")  # next period

    def collected_base_from_reconciliations(self, start, stop):
        """Independently of the engine: each reconciliation in the period collects, on each invoice
        or credit note it touches, its amount / the document total x the document's untaxed amount."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(p.amount / ABS(m.amount_total_signed) * m.amount_untaxed_signed), 0)
                  FROM account_partial_reconcile p
                  JOIN account_move_line l ON l.id IN (p.debit_move_id, p.credit_move_id)
                  JOIN account_move m ON m.id = l.move_id
                 WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.company_id = %s
                   AND p.max_date BETWEEN %s AND %s
                """,
                self.company.id,
                start,
                stop,
            )
        )
        return float(self.env.cr.fetchone()[0])

    def period_commission(self, start, stop):
        lines = self.Line.search([("company_id", "=", self.company.id), ("date", ">=", start), ("date", "<=", stop)])
        return sum(lines.mapped("amount"))

    def check(self, date="2026-01-15"):
        wizard = self.env["credit.control.commission.recompute"].create({"date": date})
        wizard.action_check()
        return wizard

    def test_period_lines_equal_rate_times_collected_base(self):
        base = self.collected_base_from_reconciliations("2026-01-01", "2026-01-31")
        # A 1,000; B 200; C (240 + 1,000) / 2,400 x 2,000 = 1,033.33; credit note -200
        self.assertAlmostEqual(base, 1000.0 + 200.0 + 1240.0 / 2400.0 * 2000.0 - 200.0, places=6)
        self.assertAlmostEqual(self.period_commission("2026-01-01", "2026-01-31"), self.currency.round(0.05 * base))
        base = self.collected_base_from_reconciliations("2026-02-01", "2026-02-28")
        self.assertAlmostEqual(self.period_commission("2026-02-01", "2026-02-28"), self.currency.round(0.05 * base))

    def test_period_with_tiers_equals_the_scale_on_collected_base(self):
        self.Line.search([]).sudo().unlink()
        self.plan.write(
            {
                "tier_ids": [
                    Command.create({"threshold": 0.0, "rate": 2.0}),
                    Command.create({"threshold": 1500.0, "rate": 6.0}),
                ]
            }
        )
        wizard = self.check()
        self.assertEqual(wizard.state, "mismatch")
        wizard.action_rebuild()
        self.assertEqual(wizard.state, "match")
        base = self.collected_base_from_reconciliations("2026-01-01", "2026-01-31")
        expected = commission_math.tiered_commission(base, [(0.0, 2.0), (1500.0, 6.0)])
        self.assertAlmostEqual(self.period_commission("2026-01-01", "2026-01-31"), self.currency.round(expected))

    def test_check_matches_then_rebuild_repairs(self):
        wizard = self.check()
        self.assertRecordValues(
            wizard,
            [
                {
                    "state": "match",
                    "period_start": fields.Date.to_date("2026-01-01"),
                    "slice_mismatch_count": 0,
                    "total_mismatch_count": 0,
                }
            ],
        )
        self.assertAlmostEqual(wizard.expected_amount, self.period_commission("2026-01-01", "2026-01-31"))
        # a lost line (e.g. booked before the plan existed): the check finds it, the rebuild restores it
        lost = self.lines_of(self.inv_a)[0]
        amount, date = lost.amount, lost.date
        self.env.cr.execute(SQL("DELETE FROM credit_control_commission_line WHERE id = %s", lost.id))
        self.Line.invalidate_model()
        wizard = self.check()
        self.assertRecordValues(wizard, [{"state": "mismatch", "slice_mismatch_count": 1}])
        wizard.action_rebuild()
        self.assertEqual(wizard.state, "match")
        adjustment = self.Line.search([("kind", "=", "adjustment")])
        self.assertRecordValues(adjustment, [{"invoice_id": self.inv_a.id, "amount": amount, "date": date}])

    def test_rebuild_after_rate_change_spares_validated_settlements(self):
        settlement = self.env["credit.control.commission.settlement"]._cc_settle(
            self.company, fields.Date.to_date("2026-01-31")
        )
        settlement.action_validate()
        before = settlement.amount_total
        self.plan.default_rate = 6.0
        wizard = self.check()
        self.assertEqual(wizard.state, "mismatch")
        wizard.action_rebuild()
        self.assertEqual(wizard.state, "match")
        base = self.collected_base_from_reconciliations("2026-01-01", "2026-01-31")
        self.assertAlmostEqual(self.period_commission("2026-01-01", "2026-01-31"), self.currency.round(0.06 * base))
        self.assertEqual(settlement.amount_total, before)
        adjustments = self.Line.search([("kind", "=", "adjustment")])
        self.assertTrue(adjustments)
        self.assertEqual(set(adjustments.mapped("period_start")), {fields.Date.to_date("2026-02-01")})
