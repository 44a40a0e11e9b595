import io

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common_dunning import DunningCommon


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfFileReader(io.BytesIO(data)).pages).split())


@tagged("post_install", "-at_install")
class TestDunningPenalties(DunningCommon):
    """Penalties on the communications, the penalty invoice, and the litigation hand-off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.escalation = "reached"

    def open_wizard(self, model, records, date=None):
        wizard = (
            self.env[model]
            .with_context(active_model=records._name, active_ids=records.ids)
            .create({"date": date} if date else {})
        )
        return wizard

    def test_penalties_of_the_issue_example(self):
        """10,000.00 EUR, 30 days late at 12.15 % (ECB 2.15 % + 10, second half of 2025): 99.86 EUR
        of interest and the 40 EUR indemnity."""
        invoice = self.make_invoice(self.customer, 10000.0, due_date="2025-09-01")
        comm = self.run_on("2025-10-01").communication_ids
        self.assertEqual(comm.level_id, self.level_notice)
        self.assertRecordValues(
            comm.line_ids,
            [
                {
                    "move_id": invoice.id,
                    "days_late": 30,
                    "interest_rate": 12.15,
                    "interest_amount": 99.86,
                    "indemnity_amount": 40.0,
                }
            ],
        )
        self.assertRecordValues(
            comm,
            [
                {
                    "amount_residual": 10000.0,
                    "interest_amount": 99.86,
                    "indemnity_amount": 40.0,
                    "amount_total": 10139.86,
                }
            ],
        )

    def test_penalties_after_a_partial_payment(self):
        """4,000 paid on 11 Sept: 10000 x 10 days + 6000 x 20 days at 12.15 % = 73.23."""
        invoice = self.make_invoice(self.customer, 10000.0, due_date="2025-09-01")
        self.pay(invoice, 4000.0, "2025-09-11")
        comm = self.run_on("2025-10-01").communication_ids
        self.assertRecordValues(comm.line_ids, [{"amount_residual": 6000.0, "interest_amount": 73.23}])

    def test_indemnity_once_per_invoice_and_business_customers_only(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "2 x 50 %",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 10}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 20}),
                ],
            }
        )
        self.make_invoice(self.customer, 2000.0, invoice_date="2025-08-01", payment_term=term)
        consumer = self.make_customer("Jean Particulier", is_company=False)
        self.make_invoice(consumer, 500.0, due_date="2025-08-01")
        run = self.run_on("2025-09-15")
        business = run.communication_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertEqual(sorted(business.line_ids.mapped("indemnity_amount")), [0.0, 40.0])
        self.assertEqual(run.communication_ids.filtered(lambda c: c.partner_id == consumer).indemnity_amount, 0.0)

    def test_fixed_contractual_rate(self):
        self.company.write({"cc_penalty_rate_mode": "fixed", "cc_penalty_fixed_rate": 15.0})
        self.make_invoice(self.customer, 10000.0, due_date="2025-09-01")
        comm = self.run_on("2025-10-01").communication_ids
        # 10000 x 0.15 x 30 / 365 = 123.287... -> 123.29
        self.assertRecordValues(comm.line_ids, [{"interest_rate": 15.0, "interest_amount": 123.29}])

    def test_penalties_disabled(self):
        self.company.write({"cc_penalty_interest": False, "cc_penalty_indemnity": False})
        self.make_invoice(self.customer, 10000.0, due_date="2025-09-01")
        comm = self.run_on("2025-10-01").communication_ids
        self.assertRecordValues(comm, [{"interest_amount": 0.0, "indemnity_amount": 0.0, "amount_total": 10000.0}])

    def test_missing_rate_puts_the_communication_in_error(self):
        self.make_invoice(self.customer, 1000.0, invoice_date="2021-10-01", due_date="2021-11-01")
        comm = self.run_on("2021-12-15").communication_ids
        self.assertEqual(comm.state, "error")
        self.assertIn("No late-payment interest rate applies on", comm.error_message)

    def test_claim_penalties_creates_the_invoice_once(self):
        invoice = self.make_invoice(self.customer, 10000.0, due_date="2025-09-01")
        comm = self.run_on("2025-10-01").communication_ids
        wizard = self.open_wizard("credit.control.penalty.wizard", comm, date="2025-10-01")
        self.assertRecordValues(
            wizard.line_ids,
            [
                {"kind": "interest", "invoice_id": invoice.id, "days": 30, "rate": 12.15, "amount": 99.86},
                {"kind": "indemnity", "invoice_id": invoice.id, "days": 0, "rate": 0.0, "amount": 40.0},
            ],
        )
        action = wizard.action_create_invoice()
        penalty_invoice = self.env["account.move"].browse(action["res_id"])
        products = self.env["credit.control.penalty"]._get_products(self.company)
        self.assertRecordValues(
            penalty_invoice,
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "cc_penalty_invoice": True,
                    "amount_total": 139.86,
                }
            ],
        )
        self.assertRecordValues(
            penalty_invoice.invoice_line_ids,
            [
                {"product_id": products["interest"].id, "price_unit": 99.86, "tax_ids": []},
                {"product_id": products["indemnity"].id, "price_unit": 40.0, "tax_ids": []},
            ],
        )
        self.assertIn(invoice.name, penalty_invoice.invoice_line_ids[0].name)
        claimed = self.env["credit.control.penalty"].search([("penalty_move_id", "=", penalty_invoice.id)])
        self.assertEqual(sorted(claimed.mapped("kind")), ["indemnity", "interest"])
        # claimed: not proposed again on the same day
        again = self.open_wizard("credit.control.penalty.wizard", comm, date="2025-10-01")
        self.assertFalse(again.line_ids)
        with self.assertRaises(UserError):
            again.action_create_invoice()
        # a month later, from the customer: only the interest since the claim, no second indemnity
        later = self.open_wizard("credit.control.penalty.wizard", self.customer, date="2025-10-31")
        self.assertRecordValues(later.line_ids, [{"kind": "interest", "days": 30, "amount": 99.86}])
        self.assertEqual(str(later.line_ids.date_from), "2025-10-01")
        # a cancelled penalty invoice gives the penalties back
        penalty_invoice.button_cancel()
        back = self.open_wizard("credit.control.penalty.wizard", comm, date="2025-10-01")
        self.assertEqual(back.line_ids.mapped("kind"), ["interest", "indemnity"])

    def test_penalty_invoice_bears_no_penalties(self):
        invoice = self.make_invoice(self.customer, 100.0, cc_penalty_invoice=True)
        line = invoice.line_ids.filtered(lambda aml: aml.account_id == self.receivable)
        values = self.env["credit.control.penalty"]._compute_penalties(
            line, invoice.invoice_date_due.replace(month=12), self.company
        )
        self.assertEqual((values["lines"][line.id]["interest"], values["lines"][line.id]["indemnity"]), (0.0, 0.0))

    def test_litigation_dossier_and_doubtful_receivable_entry(self):
        self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
        invoice = self.make_invoice(self.customer, 10000.0, due_date="2025-09-01")
        notice = self.run_on("2025-10-01").communication_ids
        self.assertEqual(notice.level_id, self.level_notice)
        notice.write({"lrar_tracking": "1A 123 456 7890 1", "lrar_date_received": "2025-10-04"})
        litigation = self.run_on("2025-10-16").communication_ids
        self.assertEqual(litigation.level_id, self.level_litigation)
        self.assertTrue(litigation.dossier_attachment_id.raw.startswith(b"%PDF"))
        text = pdf_text(litigation.dossier_attachment_id.raw)
        for expected in (
            "Dossier de recouvrement contentieux",
            invoice.name,
            "1A 123 456 7890 1",
            "Mise en demeure",
            "Contentieux",
        ):
            self.assertIn(expected, text)
        self.assertTrue(litigation.activity_ids.filtered(lambda a: "Litigation hand-off" in a.summary))
        # the doubtful receivable (416) and its provision, proposed in draft
        Account = self.env["account.account"]
        doubtful = Account.create(
            {"code": "416000", "name": "Clients douteux", "account_type": "asset_receivable", "reconcile": True}
        )
        expense = Account.create(
            {"code": "681740", "name": "Dotations dépréciations créances", "account_type": "expense"}
        )
        provision = Account.create(
            {"code": "491000", "name": "Dépréciation comptes clients", "account_type": "asset_current"}
        )
        wizard = self.open_wizard("credit.control.doubtful.wizard", litigation)
        self.assertRecordValues(
            wizard,
            [
                {
                    "doubtful_account_id": doubtful.id,
                    "provision_expense_account_id": expense.id,
                    "provision_account_id": provision.id,
                    "amount": 10000.0,
                    "amount_untaxed": 10000.0,
                }
            ],
        )
        wizard.write({"provision": True, "provision_percent": 50.0, "date": "2025-10-16"})
        self.assertEqual(wizard.provision_amount, 5000.0)
        moves = self.env["account.move"].search(wizard.action_create_entries()["domain"], order="id")
        reclass, provision_move = moves
        self.assertEqual(moves.mapped("state"), ["draft", "draft"])
        self.assertRecordValues(
            reclass.line_ids.sorted("debit"),
            [
                {"account_id": self.receivable.id, "partner_id": self.customer.id, "debit": 0.0, "credit": 10000.0},
                {"account_id": doubtful.id, "partner_id": self.customer.id, "debit": 10000.0, "credit": 0.0},
            ],
        )
        self.assertRecordValues(
            provision_move.line_ids.sorted("debit"),
            [
                {"account_id": provision.id, "debit": 0.0, "credit": 5000.0},
                {"account_id": expense.id, "debit": 5000.0, "credit": 0.0},
            ],
        )
        reclass.action_post()
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(reclass.line_ids.filtered(lambda aml: aml.account_id == doubtful).amount_residual, 10000.0)
        # the doubtful receivable is not an invoice: the dunning leaves it to the litigation
        self.assertFalse(self.run_on("2025-11-30").communication_ids)

    def test_copy_default_policy_from_the_settings(self):
        company = self.setup_other_company(name="Nouvelle Filiale")["company"]
        settings = self.env["res.config.settings"].with_company(company).create({})
        action = settings.action_cc_copy_default_policy()
        policy = self.env["credit.control.dunning.policy"].browse(action["res_id"])
        self.assertEqual(company.cc_dunning_policy_id, policy)
        self.assertEqual(policy.company_id, company)
        self.assertEqual(policy.level_ids.sorted("days").mapped("days"), [-5, 5, 15, 30, 45])
        self.assertEqual(policy.level_ids.filtered("channel_lrar").name, "Mise en demeure")

    def test_only_credit_managers_run_the_dunning(self):
        controller = new_test_user(self.env, login="collecteur", groups="credit_control.group_credit_control_user")
        with self.assertRaises(AccessError):
            self.env["credit.control.dunning.run"].with_user(controller).create({})
        with self.assertRaises(AccessError):
            self.customer.with_user(controller).with_company(self.company).cc_dunning_excluded = True
        # the run works as superuser: starting or validating it is checked explicitly
        self.policy.review_mode = "review"
        self.make_invoice(self.customer, 100.0)
        run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
        with self.assertRaises(AccessError):
            run.with_user(controller).action_run()
        run.action_run()
        comm = run.communication_ids.with_user(controller)
        with self.assertRaises(AccessError):
            comm.action_validate()
        # the collector records the tracking number of a registered letter
        comm.lrar_tracking = "1A 000 000 0000 0"
        self.assertEqual(comm.state, "draft")
