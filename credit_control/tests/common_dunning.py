from freezegun import freeze_time

from odoo import Command
from odoo import fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DunningCommon(AccountTestInvoicingCommon):
    """A French company (EUR) with a copy of the default French dunning policy sent automatically,
    business customers with an email and a postal address, and helpers to invoice, pay and run."""

    @classmethod
    def default_env_context(cls):
        # EXTENDS 'base': the dunning traces live in the chatter, keep it as in production
        return {}

    @classmethod
    def setup_independent_company(cls, **kwargs):
        # EXTENDS 'account': a company in euros, as the French law the penalties follow
        euro = cls.env.ref("base.EUR")
        euro.active = True
        return super().setup_independent_company(currency_id=euro.id, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "street": "12 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "email": "compta@vendeur.example.com",
                "company_registry": "123 456 789 00012",
            }
        )
        cls.euro = cls.company.currency_id
        cls.policy = cls.env["credit.control.dunning.policy"]._copy_default_policy(cls.company)
        cls.policy.review_mode = "auto"
        (
            cls.level_call,
            cls.level_reminder,
            cls.level_firm,
            cls.level_notice,
            cls.level_litigation,
        ) = cls.policy.level_ids.sorted("days")
        cls.customer = cls.make_customer("Client Retard SARL")
        cls.other_customer = cls.make_customer("Autre Client SA")
        cls.receivable = cls.company_data["default_account_receivable"]

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def make_customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[0].lower()}@client.example.com",
                "street": "3 avenue Foch",
                "zip": "75016",
                "city": "Paris",
                "phone": "+33 1 23 45 67 89",
                **values,
            }
        )

    @classmethod
    def make_invoice(
        cls, partner, amount, invoice_date="2025-08-01", due_date="2025-09-01", payment_term=None, **values
    ):
        vals = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Prestation", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                )
            ],
            **values,
        }
        if payment_term:
            vals["invoice_payment_term_id"] = payment_term.id
        else:
            vals["invoice_date_due"] = due_date
        invoice = cls.env["account.move"].create(vals)
        invoice.action_post()
        return invoice

    @classmethod
    def pay(cls, invoice, amount, date):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": date, "payment_difference_handling": "open"})
            ._create_payments()
        )

    def run_on(self, date, company=None):
        """A dunning run of the company on ``date`` (the clock frozen on it)."""
        with freeze_time(date):
            run = self.env["credit.control.dunning.run"].create(
                {"company_id": (company or self.company).id, "date": fields.Date.to_date(date)}
            )
            run.action_run()
        return run

    def communications(self, partner=None):
        domain = [("company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["credit.control.dunning.communication"].search(domain, order="id")

    def sent_levels(self, invoice):
        """Levels sent for the installments of an invoice, in order."""
        lines = self.env["credit.control.dunning.line"].search(
            [("move_id", "=", invoice.id), ("state", "=", "sent")], order="id"
        )
        return lines.level_id
