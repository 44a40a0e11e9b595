"""Commission arithmetic, without a database."""

import datetime
import unittest

from odoo.addons.credit_control_sales_commission.models import commission_math as cm

TIERS = [(0.0, 2.0), (1000.0, 5.0), (5000.0, 8.0)]


class TestCommissionMath(unittest.TestCase):
    def test_periods(self):
        day = datetime.date(2026, 5, 17)
        self.assertEqual(cm.period_start(day, "month"), datetime.date(2026, 5, 1))
        self.assertEqual(cm.period_start(day, "quarter"), datetime.date(2026, 4, 1))
        self.assertEqual(cm.period_start(day, "semester"), datetime.date(2026, 1, 1))
        self.assertEqual(cm.period_start(datetime.date(2026, 12, 31), "semester"), datetime.date(2026, 7, 1))
        self.assertEqual(cm.period_start(day, "year"), datetime.date(2026, 1, 1))
        self.assertEqual(cm.period_end(datetime.date(2026, 2, 1), "month"), datetime.date(2026, 2, 28))
        self.assertEqual(cm.period_end(datetime.date(2026, 10, 1), "quarter"), datetime.date(2026, 12, 31))
        self.assertEqual(cm.next_period_start(datetime.date(2026, 12, 1), "month"), datetime.date(2027, 1, 1))

    def test_progressive_tiers(self):
        self.assertEqual(cm.tiered_commission(0.0, TIERS), 0.0)
        self.assertAlmostEqual(cm.tiered_commission(800.0, TIERS), 16.0)  # 800 x 2 %
        self.assertAlmostEqual(cm.tiered_commission(1600.0, TIERS), 50.0)  # 1,000 x 2 % + 600 x 5 %
        self.assertAlmostEqual(cm.tiered_commission(6000.0, TIERS), 20.0 + 200.0 + 80.0)
        self.assertAlmostEqual(cm.tiered_commission(-1600.0, TIERS), -50.0)
        # nothing below a first threshold above zero
        self.assertAlmostEqual(cm.tiered_commission(1500.0, [(1000.0, 10.0)]), 50.0)
        self.assertEqual(cm.marginal_rate(999.0, TIERS), 2.0)
        self.assertEqual(cm.marginal_rate(1000.0, TIERS), 5.0)

    def test_increments_add_up_whatever_the_order(self):
        steps = [800.0, 800.0, -800.0, 3000.0, 1200.0]
        for order in (steps, list(reversed(steps))):
            total, running = 0.0, 0.0
            for step in order:
                before = cm.seller_commission(running, 0.0, TIERS, 200.0)
                running += step
                total += cm.seller_commission(running, 0.0, TIERS, 200.0) - before
            self.assertAlmostEqual(total, cm.seller_commission(sum(steps), 0.0, TIERS, 200.0))

    def test_cap_and_flat(self):
        self.assertEqual(cm.seller_commission(0.0, 120.0, [], 100.0), 100.0)
        self.assertEqual(cm.seller_commission(0.0, 80.0, [], 100.0), 80.0)
        self.assertEqual(cm.seller_commission(0.0, 120.0, [], 0.0), 120.0)
        self.assertAlmostEqual(cm.seller_commission(1600.0, 10.0, TIERS), 60.0)

    def test_allocate_and_checks(self):
        self.assertEqual(cm.allocate(100.0, [1.0, 3.0]), [25.0, 75.0])
        self.assertEqual(cm.allocate(100.0, [0.0, 0.0]), [0.0, 0.0])
        self.assertIsNone(cm.check_tiers(TIERS))
        self.assertEqual(cm.check_tiers([(0.0, 1.0), (0.0, 2.0)]), "duplicate")
        self.assertEqual(cm.check_tiers([(-1.0, 1.0)]), "negative")
