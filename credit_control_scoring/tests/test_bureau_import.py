"""Bureau scores imported from CSV: preview of matched and unmatched rows, all rows or none."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.credit_control.tests.common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestBureauImport(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        france = cls.env.ref("base.fr")
        Partner = cls.env["res.partner"]
        cls.by_siren = Partner.create(
            {"name": "Par SIREN SA", "is_company": True, "country_id": france.id, "company_registry": "402213490"}
        )
        cls.by_siret = Partner.create(
            {"name": "Par SIRET SAS", "is_company": True, "country_id": france.id, "company_registry": "73282932000017"}
        )
        cls.by_siret_other = Partner.create(
            {
                "name": "Par SIRET Agence",
                "is_company": True,
                "country_id": france.id,
                "company_registry": "73282932000025",
            }
        )
        cls.by_vat = Partner.create(
            {"name": "Par TVA SARL", "is_company": True, "country_id": france.id, "vat": "FR03552081317"}
        )
        cls.by_ref = Partner.create({"name": "Par Référence", "is_company": True, "ref": "CLI-0042"})

    def wizard(self, text):
        return self.env["credit.control.bureau.import"].create(
            {"file": base64.b64encode(text.encode()), "filename": "scores.csv", "provider": "Bureau Test"}
        )

    GOOD_ROWS = (
        "siren;siret;tva;ref;score;date\n"
        "402213490;;;;72;2026-05-01\n"
        ";73282932000017;;;55,5;15/06/2026\n"
        ";;FR 03 552 081 317;;31;\n"
        ";;;CLI-0042;88;2026-06-01\n"
    )

    def test_good_rows_are_matched_and_imported(self):
        wizard = self.wizard(self.GOOD_ROWS)
        wizard.action_preview()
        self.assertRecordValues(
            wizard.line_ids.sorted("row"),
            [
                {"row": 2, "status": "matched", "partner_id": self.by_siren.id, "score": 72.0},
                {"row": 3, "status": "matched", "partner_id": self.by_siret.id, "score": 55.5},
                {"row": 4, "status": "matched", "partner_id": self.by_vat.id, "score": 31.0},
                {"row": 5, "status": "matched", "partner_id": self.by_ref.id, "score": 88.0},
            ],
        )
        self.assertEqual((wizard.matched_count, wizard.problem_count), (4, 0))
        wizard.action_import()
        self.assertRecordValues(
            self.by_siren | self.by_siret | self.by_vat | self.by_ref,
            [
                {"cc_bureau_score": 72.0, "cc_bureau_date": date(2026, 5, 1), "cc_bureau_provider": "Bureau Test"},
                {"cc_bureau_score": 55.5, "cc_bureau_date": date(2026, 6, 15), "cc_bureau_provider": "Bureau Test"},
                # no date in the file: the wizard's date (today)
                {"cc_bureau_score": 31.0, "cc_bureau_date": date(2026, 6, 30), "cc_bureau_provider": "Bureau Test"},
                {"cc_bureau_score": 88.0, "cc_bureau_date": date(2026, 6, 1), "cc_bureau_provider": "Bureau Test"},
            ],
        )
        self.assertTrue(self.by_siren.cc_score_data_date, "the import marks the customer for rescoring")

    def test_ambiguous_unknown_and_bad_rows_import_nothing(self):
        wizard = self.wizard(
            self.GOOD_ROWS + "732829320;;;;40;2026-05-01\n"  # SIREN of two establishments
            "111222337;;;;40;2026-05-01\n"  # valid SIREN, no such customer
            "402213491;;;;40;2026-05-01\n"  # bad check digit
            ";;;CLI-0042;12;2026-05-01\n"  # second row for the same customer
            "402213490;;FR03552081317;;40;2026-05-01\n"  # identifiers of two customers
            ";;;CLI-9999;abc;2026-05-01\n"  # bad score
        )
        wizard.action_preview()
        self.assertRecordValues(
            wizard.line_ids.sorted("row"),
            [
                {"row": 2, "status": "matched"},
                {"row": 3, "status": "matched"},
                {"row": 4, "status": "matched"},
                {"row": 5, "status": "ambiguous"},  # same customer as row 9
                {"row": 6, "status": "ambiguous"},
                {"row": 7, "status": "unmatched"},
                {"row": 8, "status": "invalid"},
                {"row": 9, "status": "ambiguous"},
                {"row": 10, "status": "ambiguous"},
                {"row": 11, "status": "invalid"},
            ],
        )
        rows = {line.row: line for line in wizard.line_ids}
        self.assertIn("Par SIRET SAS", rows[6].message)
        self.assertIn("Par SIRET Agence", rows[6].message)
        self.assertEqual(rows[7].message, "no customer has these identifiers")
        self.assertIn("invalid SIREN", rows[8].message)
        self.assertIn("appears on rows 5, 9", rows[9].message)
        self.assertIn("several customers match: Par SIREN SA, Par TVA SARL", rows[10].message)
        self.assertIn("the score is not a positive number", rows[11].message)
        with self.assertRaisesRegex(UserError, "Nothing was imported: 7 of 10 rows"):
            wizard.action_import()
        self.assertFalse((self.by_siren | self.by_siret | self.by_vat | self.by_ref).filtered("cc_bureau_date"))

    def test_siret_match_is_exact_before_falling_back_to_siren(self):
        wizard = self.wizard("siret,score\n73282932000025,61\n")
        wizard.action_preview()
        self.assertRecordValues(wizard.line_ids, [{"status": "matched", "partner_id": self.by_siret_other.id}])

    def test_file_without_score_column_is_refused(self):
        with self.assertRaisesRegex(UserError, "no score column"):
            self.wizard("siren;date\n402213490;2026-05-01\n").action_preview()

    def test_contact_identifiers_match_their_company(self):
        self.env["res.partner"].create({"name": "Compta", "parent_id": self.by_ref.id, "ref": "CLI-0099"})
        wizard = self.wizard("ref,score\nCLI-0099,50\n")
        wizard.action_preview()
        self.assertRecordValues(wizard.line_ids, [{"status": "matched", "partner_id": self.by_ref.id}])
