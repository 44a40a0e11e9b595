"""Penalty arithmetic, without a database: hand-computed figures."""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase
from odoo.tests import tagged

from ..models import penalties

H2_2025 = [(date(2025, 1, 1), 13.15), (date(2025, 7, 1), 12.15)]


@tagged("post_install", "-at_install")
class TestPenaltyArithmetic(BaseCase):
    def test_issue_example_10000_eur_30_days_at_12_15(self):
        """10,000.00 EUR, 30 days late at 12.15 %: 10000 x 0.1215 x 30 / 365 = 99.863... -> 99.86."""
        interest = penalties.late_interest(10000.00, date(2025, 9, 1), date(2025, 10, 1), H2_2025)
        self.assertEqual(interest, Decimal("99.86"))

    def test_due_date_itself_is_not_late(self):
        due = date(2025, 9, 1)
        self.assertEqual(penalties.days_late(due, due), 0)
        self.assertEqual(penalties.late_interest(10000, due, due, H2_2025), Decimal("0.00"))
        # the day after is the first day late: 10000 x 0.1215 / 365 = 3.3287 -> 3.33
        self.assertEqual(penalties.late_interest(10000, due, date(2025, 9, 2), H2_2025), Decimal("3.33"))
        self.assertEqual(penalties.days_late(due, date(2025, 8, 27)), -5)

    def test_rate_changes_at_the_half_year(self):
        """Due 20 June: 10 days at 13.15 % (21-30 June) then 10 days at 12.15 % (1-10 July).
        10000 x (0.1315 x 10 + 0.1215 x 10) / 365 = 25300 / 365 = 69.315 -> 69.32."""
        interest = penalties.late_interest(10000, date(2025, 6, 20), date(2025, 7, 10), H2_2025)
        self.assertEqual(interest, Decimal("69.32"))
        segments = penalties.interest_segments(10000, date(2025, 6, 20), date(2025, 7, 10), H2_2025)
        self.assertEqual(
            [(first, last, rate) for first, last, _amount, rate in segments],
            [
                (date(2025, 6, 21), date(2025, 6, 30), Decimal("13.15")),
                (date(2025, 7, 1), date(2025, 7, 10), Decimal("12.15")),
            ],
        )

    def test_partial_payment_stops_interest_on_the_part_paid(self):
        """10,000 due 1 Sept, 4,000 paid on 11 Sept, 6,000 still due on 1 Oct:
        10000 x 10 days + 6000 x 20 days = 220000 x 0.1215 / 365 = 73.232... -> 73.23."""
        interest = penalties.late_interest(
            6000, date(2025, 9, 1), date(2025, 10, 1), H2_2025, payments=[(date(2025, 9, 11), 4000)]
        )
        self.assertEqual(interest, Decimal("73.23"))

    def test_payment_before_due_date_is_ignored(self):
        interest = penalties.late_interest(
            6000, date(2025, 9, 1), date(2025, 10, 1), H2_2025, payments=[(date(2025, 8, 20), 4000)]
        )
        # 6000 x 0.1215 x 30 / 365 = 59.917... -> 59.92
        self.assertEqual(interest, Decimal("59.92"))

    def test_paid_late_in_full(self):
        """Nothing due any more, but paid 15 days late: 5000 x 0.1215 x 15 / 365 = 24.97."""
        interest = penalties.late_interest(
            0, date(2025, 9, 1), date(2025, 10, 1), H2_2025, payments=[(date(2025, 9, 16), 5000)]
        )
        self.assertEqual(interest, Decimal("24.97"))

    def test_days_in_year(self):
        # 10000 x 0.1215 x 30 / 360 = 101.25
        interest = penalties.late_interest(10000, date(2025, 9, 1), date(2025, 10, 1), H2_2025, days_in_year=360)
        self.assertEqual(interest, Decimal("101.25"))

    def test_missing_rate(self):
        with self.assertRaises(penalties.MissingRateError) as caught:
            penalties.late_interest(1000, date(2024, 12, 1), date(2025, 1, 10), [(date(2025, 1, 1), 13.15)])
        self.assertEqual(caught.exception.day, date(2024, 12, 2))

    def test_rounding_half_up(self):
        self.assertEqual(penalties.quantize(0.125), Decimal("0.13"))
        self.assertEqual(penalties.quantize(Decimal("2.675")), Decimal("2.68"))
        self.assertEqual(penalties.quantize(1.5, digits=0), Decimal("2"))

    def test_recovery_indemnity_business_only(self):
        self.assertEqual(penalties.recovery_indemnity(True, True), Decimal("40"))
        self.assertEqual(penalties.recovery_indemnity(False, True), Decimal("0"))
        self.assertEqual(penalties.recovery_indemnity(True, False), Decimal("0"))
        self.assertEqual(penalties.recovery_indemnity(True, True, amount=45.5), Decimal("45.5"))

    def test_half_year_start(self):
        self.assertEqual(penalties.half_year_start(date(2026, 3, 15)), date(2026, 1, 1))
        self.assertEqual(penalties.half_year_start(date(2026, 11, 22)), date(2026, 7, 1))
