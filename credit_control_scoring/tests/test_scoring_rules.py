"""The score arithmetic and the CSV reading, without a database."""

import unittest
from datetime import date

from odoo.addons.credit_control_scoring.models.scoring_rules import GEARING_NEGATIVE_EQUITY
from odoo.addons.credit_control_scoring.models.scoring_rules import SOLVENCY_NO_DEBT
from odoo.addons.credit_control_scoring.models.scoring_rules import band_for
from odoo.addons.credit_control_scoring.models.scoring_rules import class_for_score
from odoo.addons.credit_control_scoring.models.scoring_rules import combine
from odoo.addons.credit_control_scoring.models.scoring_rules import financial_ratios
from odoo.addons.credit_control_scoring.models.scoring_rules import recommended_limit
from odoo.addons.credit_control_scoring.models.scoring_rules import registry_kind
from odoo.addons.credit_control_scoring.models.scoring_rules import siren_of
from odoo.addons.credit_control_scoring.wizards.bureau_csv import BureauCsvError
from odoo.addons.credit_control_scoring.wizards.bureau_csv import parse_bureau_csv

LATE_SHARE_BANDS = [(0, 100), (10, 80), (25, 55), (40, 30, 50), (60, 0)]


class TestBands(unittest.TestCase):
    def test_value_takes_band_with_greatest_lower_bound_at_or_below(self):
        self.assertEqual(band_for(LATE_SHARE_BANDS, 0)[1], 100)
        self.assertEqual(band_for(LATE_SHARE_BANDS, 9.99)[1], 100)
        self.assertEqual(band_for(LATE_SHARE_BANDS, 10)[1], 80)
        self.assertEqual(band_for(LATE_SHARE_BANDS, 35)[1], 55)
        self.assertEqual(band_for(LATE_SHARE_BANDS, 40), (40, 30, 50))
        self.assertEqual(band_for(LATE_SHARE_BANDS, 1000)[1], 0)

    def test_value_below_every_band_takes_the_lowest(self):
        self.assertEqual(band_for(LATE_SHARE_BANDS, -5)[1], 100)
        self.assertEqual(band_for(list(reversed(LATE_SHARE_BANDS)), -5)[1], 100)
        self.assertIsNone(band_for([], 3))


class TestCombine(unittest.TestCase):
    def test_each_factor_takes_its_weight_share_of_the_missing_points(self):
        result = combine(
            [
                {"weight": 30, "points": 40, "cap": None},
                {"weight": 50, "points": 50, "cap": None},
                {"weight": 20, "points": 75, "cap": None},
            ]
        )
        # 100 - 0.3 x 60 - 0.5 x 50 - 0.2 x 25 = 100 - 18 - 25 - 5
        self.assertAlmostEqual(result["score"], 52.0)
        self.assertEqual([round(c, 6) for c in result["contributions"]], [-18.0, -25.0, -5.0])
        self.assertEqual(result["confidence"], 100.0)
        self.assertIsNone(result["cap"])

    def test_missing_factor_lowers_confidence_not_score(self):
        result = combine(
            [
                {"weight": 30, "points": 40, "cap": None},
                {"weight": 50, "points": None, "cap": None},
                {"weight": 20, "points": 90, "cap": None},
            ]
        )
        # weights renormalised over the 50 measured: 100 - 30/50 x 60 - 20/50 x 10 = 100 - 36 - 4
        self.assertAlmostEqual(result["score"], 60.0)
        self.assertAlmostEqual(result["confidence"], 50.0)
        self.assertIsNone(result["contributions"][1])

    def test_nothing_known_gives_no_score(self):
        result = combine([{"weight": 10, "points": None, "cap": None}])
        self.assertIsNone(result["score"])
        self.assertEqual(result["confidence"], 0.0)

    def test_cap_limits_the_score(self):
        result = combine([{"weight": 90, "points": 100, "cap": None}, {"weight": 10, "points": 0, "cap": 0}])
        self.assertEqual(result["score"], 0.0)
        self.assertEqual(result["cap"], 0)
        not_reached = combine([{"weight": 50, "points": 20, "cap": None}, {"weight": 50, "points": 40, "cap": 50}])
        self.assertAlmostEqual(not_reached["score"], 30.0)
        self.assertIsNone(not_reached["cap"])


class TestClassForScore(unittest.TestCase):
    THRESHOLDS = [(75, "A"), (55, "B"), (35, "C"), (0, "D")]

    def test_thresholds_without_current_class(self):
        self.assertEqual(class_for_score(self.THRESHOLDS, 75), ("A", False))
        self.assertEqual(class_for_score(self.THRESHOLDS, 74.9), ("B", False))
        self.assertEqual(class_for_score(self.THRESHOLDS, 0), ("D", False))

    def test_margin_keeps_the_current_class_near_its_band(self):
        # B is [55, 75): kept from 50 (55 - 5) up to 80 (75 + 5) excluded
        self.assertEqual(class_for_score(self.THRESHOLDS, 50, "B", 5), ("B", True))
        self.assertEqual(class_for_score(self.THRESHOLDS, 49.9, "B", 5), ("C", False))
        self.assertEqual(class_for_score(self.THRESHOLDS, 79.9, "B", 5), ("B", True))
        self.assertEqual(class_for_score(self.THRESHOLDS, 80, "B", 5), ("A", False))
        self.assertEqual(class_for_score(self.THRESHOLDS, 60, "B", 5), ("B", False))

    def test_margin_for_top_class_and_unknown_class(self):
        self.assertEqual(class_for_score(self.THRESHOLDS, 71, "A", 5), ("A", True))
        self.assertEqual(class_for_score(self.THRESHOLDS, 69, "A", 5), ("B", False))
        self.assertEqual(class_for_score(self.THRESHOLDS, 71, "X", 5), ("B", False))
        self.assertEqual(class_for_score(self.THRESHOLDS, 71, "A", 0), ("B", False))


class TestRecommendedLimit(unittest.TestCase):
    def test_share_of_revenue_capped_by_purchases_x_term(self):
        # 10 % of 2,000,000 = 200,000; 833.33 x 30/30 x 1.5 = 1,250 -> 1,200 rounded down to 100
        limit = recommended_limit(
            revenue=2000000, revenue_percent=10, monthly_purchases=10000 / 12, term_days=30, purchase_factor=1.5,
            rounding=100,
        )  # fmt: skip
        self.assertEqual(limit, 1200.0)

    def test_either_part_alone_and_none(self):
        self.assertEqual(recommended_limit(revenue=50000, revenue_percent=10), 5000.0)
        self.assertEqual(recommended_limit(monthly_purchases=3000, term_days=60, purchase_factor=1.0), 6000.0)
        self.assertIsNone(recommended_limit(revenue=0, revenue_percent=10, monthly_purchases=0, term_days=30))

    def test_class_cap_and_rounding(self):
        limit = recommended_limit(revenue=1000000, revenue_percent=10, class_limit=20000, cap_by_class=True)
        self.assertEqual(limit, 20000.0)
        self.assertEqual(recommended_limit(revenue=1000000, revenue_percent=10, class_limit=20000), 100000.0)
        self.assertEqual(recommended_limit(revenue=12345, revenue_percent=10, rounding=500), 1000.0)
        self.assertEqual(recommended_limit(revenue=12345, revenue_percent=10, class_limit=0, cap_by_class=True), 0.0)


class TestRegistryAndRatios(unittest.TestCase):
    def test_siren_siret(self):
        self.assertEqual(registry_kind("732 829 320"), "siren")
        self.assertEqual(registry_kind("732 829 320 00074"), "siret")
        self.assertIsNone(registry_kind("732829321"))
        self.assertIsNone(registry_kind("73282932000075"))
        self.assertIsNone(registry_kind("12345"))
        self.assertEqual(siren_of("73282932000074"), "732829320")
        self.assertEqual(siren_of(None, "FR 44 732829320"), "732829320")
        self.assertIsNone(siren_of("123", "BE0477472701"))

    def test_financial_ratios(self):
        ratios = financial_ratios(
            revenue=2000000, equity=300000, total_assets=1500000, total_debts=1200000, net_debt=450000,
            net_result=50000,
        )  # fmt: skip
        self.assertEqual(ratios, {"gearing": 1.5, "solvency": 1.25, "net_margin": 2.5})
        worst = financial_ratios(revenue=0, equity=-10000, total_assets=50000, total_debts=0, net_debt=20000)
        self.assertEqual(worst, {"gearing": GEARING_NEGATIVE_EQUITY, "solvency": SOLVENCY_NO_DEBT, "net_margin": None})
        self.assertEqual(financial_ratios(), {"gearing": None, "solvency": None, "net_margin": None})


class TestBureauCsv(unittest.TestCase):
    TODAY = date(2026, 6, 30)

    def parse(self, text, encoding="utf-8"):
        return parse_bureau_csv(text.encode(encoding), date(2026, 6, 1), self.TODAY)

    def test_columns_by_header_and_row_checks(self):
        rows = self.parse(
            "Numéro TVA;SIREN;Note;Date\n"
            "FR 44 732 829 320;;7,5;15/05/2026\n"
            ";732829321;8;2026-05-01\n"
            ";;9;\n"
            ";402213490;abc;2026-13-01\n"
            "\n"
            ";402213490;4;2026-07-01\n",
            encoding="cp1252",
        )
        self.assertEqual([row["row"] for row in rows], [2, 3, 4, 5, 7])
        self.assertEqual(rows[0]["vat"], "FR44732829320")
        self.assertEqual(rows[0]["score"], 7.5)
        self.assertEqual(rows[0]["date"], date(2026, 5, 15))
        self.assertEqual(rows[0]["errors"], [])
        self.assertEqual(rows[1]["errors"], ["bad_siren"])
        self.assertEqual(rows[2]["errors"], ["no_identifier"])
        self.assertEqual(rows[2]["date"], date(2026, 6, 1))
        self.assertEqual(rows[3]["errors"], ["bad_score", "bad_date"])
        self.assertEqual(rows[4]["errors"], ["future_date"])

    def test_registry_column_is_siren_or_siret_by_length(self):
        rows = self.parse("company_registry,score\n73282932000074,50\n732829320,60\n")
        self.assertEqual((rows[0]["siret"], rows[0]["siren"]), ("73282932000074", False))
        self.assertEqual((rows[1]["siret"], rows[1]["siren"]), (False, "732829320"))

    def test_file_errors(self):
        with self.assertRaises(BureauCsvError) as error:
            self.parse("siren,date\n732829320,2026-01-01\n")
        self.assertEqual(error.exception.args[0], "no_score_column")
        with self.assertRaises(BureauCsvError) as error:
            self.parse("name,score\nACME,3\n")
        self.assertEqual(error.exception.args[0], "no_identifier_column")
        with self.assertRaises(BureauCsvError) as error:
            self.parse("  \n")
        self.assertEqual(error.exception.args[0], "empty")
