"""The documents as the customer receives them: real PDFs rendered by wkhtmltopdf, read back as text.

Each letter of the default French policy (rendered as the sending renders the PDF it keeps and
attaches, in the customer's language) and the litigation dossier go through wkhtmltopdf (not the
HTML fallback Odoo uses in tests); the first page is turned into text with pdftotext, and the
essentials are checked: company, customer, invoices, amounts as printed in French, legal mentions.
The commission statement of a settlement is checked the same way."""

import re
import subprocess
import tempfile
import unittest

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.credit_control.tests.common_dunning import DunningCommon
from odoo.addons.credit_control_sales_commission.tests.common import CommissionCommon

from .common import require_pdftotext

RUN_DATE = "2026-03-16"


def pdf_first_page_text(pdf):
    """Text of the first page of ``pdf`` (bytes), line by line as laid out (a row of a table stays on
    its line), whitespace (including the French non-breaking spaces of amounts) collapsed to single spaces."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", "1", "-l", "1", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout.decode()
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def prepare_french_pdf(env):
    """Skip without wkhtmltopdf; French active, for documents printed as the customer reads them."""
    if env["ir.actions.report"].get_wkhtmltopdf_state() not in ("ok", "upgrade"):
        raise unittest.SkipTest("The PDF documents need wkhtmltopdf (apt-get install wkhtmltopdf)")
    env["res.lang"]._activate_lang("fr_FR")


@tagged("post_install", "-at_install")
class TestDocuments(DunningCommon):
    @classmethod
    def setUpClass(cls):
        require_pdftotext()
        super().setUpClass()
        prepare_french_pdf(cls.env)
        france = cls.env.ref("base.fr")
        cls.company.write({"name": "Vendeur Lyonnais SAS", "company_registry": "123 456 782 00010"})
        cls.company.country_id = france
        # review: the communications stay drafts, each is rendered here and nothing is sent; the letters
        # only (the emails are not documents: their templates are left out of these tests)
        cls.policy.write({"review_mode": "review", "escalation": "reached"})
        cls.policy.level_ids.write({"channel_email": False, "mail_template_id": False})
        run_date = fields.Date.to_date(RUN_DATE)
        cls.invoices = {}
        # one customer per default level: days late on the run's date -> level reached
        for key, name, amount, days_late in (
            ("call", "Alpha Conseil SARL", 1500.0, -3),
            ("reminder", "Bravo Industrie SA", 2345.67, 7),
            ("firm", "Charlie Bâtiment SAS", 1000.0, 20),
            ("notice", "Delta Négoce SARL", 12500.0, 35),
            ("litigation", "Echo Services SA", 3650.0, 50),
        ):
            partner = cls.make_customer(name, lang="fr_FR", country_id=france.id)
            due = fields.Date.subtract(run_date, days=days_late)
            cls.invoices[key] = cls.make_invoice(
                partner, amount, invoice_date=fields.Date.subtract(due, days=30), due_date=due
            )
        with freeze_time(RUN_DATE):
            cls.dunning_run = cls.env["credit.control.dunning.run"].create(
                {"company_id": cls.company.id, "date": run_date}
            )
            cls.dunning_run.action_run()
        cls.comms = {
            key: cls.dunning_run.communication_ids.filtered(lambda c, inv=invoice: c.partner_id == inv.partner_id)
            for key, invoice in cls.invoices.items()
        }

    def render(self, report_xmlid, records, lang):
        """A real PDF through wkhtmltopdf in ``lang``, and the text of its first page."""
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, report_pdf_no_attachment=True, lang=lang)
            ._render_qweb_pdf(report_xmlid, records.ids)
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF-"), "wkhtmltopdf rendered a PDF")
        return pdf_first_page_text(content)

    def assert_letter(self, key, level, expected):
        comm = self.comms[key]
        self.assertRecordValues(comm, [{"level_id": level.id, "state": "draft", "error_message": False}])
        # the PDF kept and sent: rendered as the sending renders it, in the customer's language
        attachment = comm.with_context(force_report_rendering=True)._render_letter_pdf()
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF-"), "wkhtmltopdf rendered a PDF")
        text = pdf_first_page_text(attachment.raw)
        invoice = self.invoices[key]
        for snippet in [
            "Vendeur Lyonnais SAS",
            "12 rue des Lilas",
            "SIRET / RCS : 123 456 782 00010",
            invoice.partner_id.name,
            "3 avenue Foch",
            "Lyon, le 16/03/2026",
            invoice.name,
            *expected,
        ]:
            self.assertIn(snippet, text)
        return text

    # ------------------------------------------------------------
    # one letter per default level
    # ------------------------------------------------------------

    def test_letter_pre_due_call(self):
        text = self.assert_letter(
            "call",
            self.level_call,
            [
                "Objet : Rappel d'échéance",
                "arrivent prochainement à échéance",
                # invoice date, due date, 0 days late, amount and amount due
                "17/02/2026 19/03/2026 0 1 500,00 € 1 500,00 €",
                "Total restant dû 1 500,00 €",
                "Total à régler 1 500,00 €",
                # the flat indemnity is a mention of every letter to a business customer
                "indemnité forfaitaire pour frais de recouvrement de 40,00 €",
                "article D441-5 du Code de commerce",
            ],
        )
        self.assertNotIn("L441-10", text, "no penalty at this level")
        self.assertNotIn("Intérêts de retard", text)

    def test_letter_reminder(self):
        text = self.assert_letter(
            "reminder",
            self.level_reminder,
            [
                "Objet : Relance",
                "restent impayées à ce jour",
                "07/02/2026 09/03/2026 7 2 345,67 € 2 345,67 €",
                "Total restant dû 2 345,67 €",
                "Total à régler 2 345,67 €",
                "article D441-5 du Code de commerce",
            ],
        )
        self.assertNotIn("L441-10", text)

    def test_letter_firm_with_penalties(self):
        # interest: 1,000.00 x 12.15 % (ECB 2.15 + 10 points) x 20 / 365 = 6.657... -> 6.66
        self.assert_letter(
            "firm",
            self.level_firm,
            [
                "Objet : Second rappel : factures impayées",
                "Intérêts de retard",
                "Indemnité forfaitaire",
                "25/01/2026 24/02/2026 20 1 000,00 € 1 000,00 € 6,66 € 40,00 €",
                "Total restant dû 1 000,00 €",
                "Intérêts de retard au 16/03/2026 6,66 €",
                "Indemnités forfaitaires pour frais de recouvrement 40,00 €",
                "Total à régler 1 046,66 €",
                "article L441-10 du Code de commerce",
                "taux annuel de 12,15 %",
                "taux de refinancement de la Banque centrale européenne majoré de 10 points",
                "indemnité forfaitaire pour frais de recouvrement de 40,00 €",
                "article D441-5 du Code de commerce",
            ],
        )

    def test_letter_formal_notice(self):
        # interest: 12,500.00 x 12.15 % x 35 / 365 = 145.63...; total 12,500.00 + 145.63 + 40.00
        self.assert_letter(
            "notice",
            self.level_notice,
            [
                "Lettre recommandée avec accusé de réception",
                "Objet : Mise en demeure de payer",
                "nous vous mettons en demeure de nous régler la somme de 12 685,63 €",
                "10/01/2026 09/02/2026 35 12 500,00 € 12 500,00 € 145,63 € 40,00 €",
                "Total à régler 12 685,63 €",
                "article L441-10 du Code de commerce",
                "article D441-5 du Code de commerce",
            ],
        )

    def test_letter_litigation(self):
        # interest: 3,650.00 x 12.15 % x 50 / 365 = 60.75 exactly
        self.assert_letter(
            "litigation",
            self.level_litigation,
            [
                "Objet : Transmission au service contentieux",
                "transmis ce jour à notre service contentieux",
                "26/12/2025 25/01/2026 50 3 650,00 € 3 650,00 € 60,75 € 40,00 €",
                "Total à régler 3 750,75 €",
                "article L441-10 du Code de commerce",
            ],
        )

    # ------------------------------------------------------------
    # litigation dossier
    # ------------------------------------------------------------

    def test_litigation_dossier(self):
        comm = self.comms["litigation"]
        invoice = self.invoices["litigation"]
        # printed by a French-speaking credit manager
        text = self.render("credit_control.action_report_litigation_dossier", comm, "fr_FR")
        for snippet in [
            "Vendeur Lyonnais SAS",
            "Dossier de recouvrement contentieux",
            f"Établi le 16/03/2026 - réf. {comm.name}",
            "Débiteur",
            "Echo Services SA",
            "3 avenue Foch",
            f"{invoice.name} 26/12/2025 25/01/2026 50 3 650,00 € 3 650,00 € 60,75 € 40,00 €",
            "Total 3 650,00 € 60,75 € 40,00 €",
            "Montant total réclamé : 3 750,75 €",
            "Relances effectuées",
            "articles L441-10 et D441-5 du Code de commerce",
            "SIRET / RCS : 123 456 782 00010",
        ]:
            self.assertIn(snippet, text)


@tagged("post_install", "-at_install")
class TestCommissionStatement(CommissionCommon):
    """The commission statement of a settlement, as the salesperson receives it, in French."""

    @classmethod
    def setUpClass(cls):
        require_pdftotext()
        super().setUpClass()
        prepare_french_pdf(cls.env)
        # the report's words come from the addon's fr.po (loaded when French is installed)
        cls.env["ir.module.module"]._load_module_terms(["credit_control_sales_commission"], ["fr_FR"])
        cls.company.name = "Vendeur Lyonnais SAS"
        cls.anne.partner_id.lang = "fr_FR"

    def test_commission_statement(self):
        with freeze_time("2026-02-15"):
            invoice = self.invoice(1000.0)  # 1,200.00 taxes included, 5 % plan of Anne
            self.pay(invoice, 1200.0, date="2026-01-20")
            wizard = self.env["credit.control.commission.settle"].create({"date_to": "2026-01-31"})
            settlements = self.env["credit.control.commission.settlement"].browse(
                wizard.action_settle()["domain"][0][2]
            )
        settlement = settlements.filtered(lambda s: s.beneficiary_user_id == self.anne)
        self.assertRecordValues(settlement, [{"amount_total": 50.0, "base_total": 1000.0}])
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="fr_FR")
            ._render_qweb_pdf("credit_control_sales_commission.action_report_commission_settlement", settlement.ids)
        )
        self.assertEqual(content_type, "pdf")
        # amounts as printed in French, the currency's symbol (the test company's) left aside
        text = re.sub(r" +", " ", pdf_first_page_text(content).replace(settlement.currency_id.symbol, ""))
        for snippet in [
            "Vendeur Lyonnais SAS",
            f"Relevé de commissions {settlement.name}",
            "Bénéficiaire : Anne Vendeuse",
            "Période : 01/01/2026 - 31/01/2026",
            "Statut : Brouillon",
            f"20/01/2026 {invoice.name} Client Encaissement SA 1 000,00 5,00 50,00",
            "Base encaissée 1 000,00",
            "Commission 50,00",
            "Les commissions sont acquises sur les encaissements de la période",
        ]:
            self.assertIn(snippet, text)
