"""KPI and aging arithmetic, without a database."""

import unittest

from odoo.addons.credit_control.models import aging
from odoo.addons.credit_control.models import kpi


class TestAgingPure(unittest.TestCase):
    def test_bucket_edges(self):
        expected = {-5: 0, 0: 0, 1: 1, 30: 1, 31: 2, 60: 2, 61: 3, 90: 3, 91: 4, 400: 4}
        for days, bucket in expected.items():
            self.assertEqual(aging.bucket_of(days), bucket, days)
        self.assertEqual(aging.bucket_of(15, (15, 45, 75)), 1)
        self.assertEqual(aging.bucket_of(16, (15, 45, 75)), 2)

    def test_labels_and_checks(self):
        self.assertEqual(
            aging.bucket_labels((30, 60, 90), "Not Due", "Over 90"), ["Not Due", "1-30", "31-60", "61-90", "Over 90"]
        )
        self.assertIsNone(aging.check_periods((30, 60, 90)))
        self.assertEqual(aging.check_periods((30, 30, 90)), "increasing")
        self.assertEqual(aging.check_periods((0, 30, 90)), "positive")


class TestKpiPure(unittest.TestCase):
    def test_dso_simple(self):
        # 30,000 receivables, 90,000 of sales over 90 days: 30 days
        self.assertEqual(kpi.dso_simple(30000, 90000, 90), 30)
        self.assertIsNone(kpi.dso_simple(100, 0, 90))

    def test_dso_countback(self):
        # receivables 25,000; last month (30 days) sold 10,000, the one before (31 days) 10,000,
        # the one before (30 days) 10,000: 30 + 31 + 5,000/10,000 x 30 = 76 days
        self.assertAlmostEqual(kpi.dso_countback(25000, [(30, 10000), (31, 10000), (30, 10000)]), 76.0)
        self.assertAlmostEqual(kpi.dso_countback(5000, [(30, 10000)]), 15.0)
        self.assertEqual(kpi.dso_countback(0, [(30, 10000)]), 0.0)
        # receivables older than the history: every day counts
        self.assertEqual(kpi.dso_countback(50000, [(30, 10000), (31, 0)]), 61)

    def test_sales_to_make_up(self):
        # the seed's example: 4,000 unpaid at 5 % margin takes 80,000 of sales
        self.assertAlmostEqual(kpi.sales_to_make_up(4000, 5), 80000)
        self.assertIsNone(kpi.sales_to_make_up(4000, 0))
