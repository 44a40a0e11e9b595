from odoo import Command
from odoo.tests import tagged

from .common_dunning import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningLevels(DunningCommon):
    """Which level an installment reaches, day by day (the default French policy: J-5 call, J+5
    reminder, J+15 firm reminder, J+30 formal notice, J+45 litigation)."""

    def assertLevels(self, run, expected):
        """``expected``: [(partner, level, [invoices])] of the communications of the run."""
        comms = run.communication_ids.sorted(lambda c: (c.partner_id.id, c.level_id.days))
        self.assertEqual(
            [(c.partner_id, c.level_id, c.line_ids.move_id) for c in comms],
            [(partner, level, self.env["account.move"].union(*invoices)) for partner, level, invoices in expected],
        )

    def test_each_boundary_of_the_default_policy(self):
        invoice = self.make_invoice(self.customer, 1000.0, due_date="2025-09-01")
        schedule = [
            ("2025-08-26", None),  # J-6: too early for the call
            ("2025-08-27", self.level_call),  # J-5
            ("2025-09-05", None),  # J+4
            ("2025-09-06", self.level_reminder),  # J+5
            ("2025-09-15", None),  # J+14
            ("2025-09-16", self.level_firm),  # J+15, 10 days after the reminder (7 required)
            ("2025-09-30", None),
            ("2025-10-01", self.level_notice),  # J+30
            ("2025-10-15", None),
            ("2025-10-16", self.level_litigation),  # J+45
            ("2025-12-31", None),  # nothing after the last level
        ]
        for day, level in schedule:
            with self.subTest(day=day):
                run = self.run_on(day)
                self.assertLevels(run, [(self.customer, level, [invoice])] if level else [])
        self.assertEqual(
            self.sent_levels(invoice),
            self.level_call | self.level_reminder | self.level_firm | self.level_notice | self.level_litigation,
        )

    def test_minimum_days_since_previous_level(self):
        """A reminder sent late (J+12) delays the firm reminder to 7 days after it (J+19)."""
        invoice = self.make_invoice(self.customer, 1000.0, due_date="2025-09-01")
        self.customer.with_company(self.company).cc_dunning_excluded = True
        self.run_on("2025-09-06")
        self.customer.with_company(self.company).cc_dunning_excluded = False
        self.assertLevels(self.run_on("2025-09-13"), [(self.customer, self.level_reminder, [invoice])])
        self.assertLevels(self.run_on("2025-09-19"), [])  # J+18: 6 days since the reminder
        self.assertLevels(self.run_on("2025-09-20"), [(self.customer, self.level_firm, [invoice])])

    def test_pre_due_level_skipped_once_due(self):
        """An invoice already due when first seen does not get the pre-due call."""
        invoice = self.make_invoice(self.customer, 1000.0, invoice_date="2025-08-20", due_date="2025-08-30")
        self.assertLevels(self.run_on("2025-09-02"), [])
        self.assertLevels(self.run_on("2025-09-04"), [(self.customer, self.level_reminder, [invoice])])

    def test_one_level_at_a_time_or_level_reached(self):
        """40 days late and never dunned: one level at a time sends the reminder; the other mode
        jumps to the formal notice, the highest level reached."""
        invoice = self.make_invoice(self.customer, 1000.0, due_date="2025-09-01")
        self.assertLevels(self.run_on("2025-10-11"), [(self.customer, self.level_reminder, [invoice])])
        other = self.make_invoice(self.other_customer, 1000.0, due_date="2025-09-01")
        self.policy.escalation = "reached"
        self.assertLevels(self.run_on("2025-10-12"), [(self.other_customer, self.level_notice, [other])])

    def test_installments_of_one_invoice_are_dunned_separately(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "50 % at 30 days, 50 % at 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        invoice = self.make_invoice(self.customer, 2000.0, invoice_date="2025-08-01", payment_term=term)
        first, second = invoice.line_ids.filtered(lambda line: line.account_id == self.receivable).sorted(
            "date_maturity"
        )
        self.assertEqual((str(first.date_maturity), str(second.date_maturity)), ("2025-08-31", "2025-09-30"))
        run = self.run_on("2025-09-05")
        self.assertLevels(run, [(self.customer, self.level_reminder, [invoice])])
        self.assertRecordValues(
            run.communication_ids.line_ids,
            [{"move_line_id": first.id, "days_late": 5, "amount_residual": 1000.0, "date_due": first.date_maturity}],
        )
        # a month later: the first installment reaches its firm reminder, the second its reminder
        run = self.run_on("2025-10-05")
        self.assertLevels(
            run, [(self.customer, self.level_reminder, [invoice]), (self.customer, self.level_firm, [invoice])]
        )
        by_level = {comm.level_id: comm.line_ids.move_line_id for comm in run.communication_ids}
        self.assertEqual(by_level, {self.level_reminder: second, self.level_firm: first})

    def test_partial_payment_is_deducted_and_paid_invoice_left(self):
        partly = self.make_invoice(self.customer, 1000.0, due_date="2025-09-01")
        paid = self.make_invoice(self.customer, 500.0, due_date="2025-09-01")
        self.pay(partly, 400.0, "2025-08-15")
        self.pay(paid, 500.0, "2025-08-15")
        run = self.run_on("2025-09-06")
        self.assertLevels(run, [(self.customer, self.level_reminder, [partly])])
        self.assertRecordValues(run.communication_ids, [{"amount_residual": 600.0}])
        self.assertRecordValues(run.communication_ids.line_ids, [{"amount_original": 1000.0, "amount_residual": 600.0}])

    def test_grouped_per_customer_and_level_with_contacts(self):
        """Invoices of a contact go to its company; one communication per customer and level,
        addressed to the invoicing contact."""
        accounting = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "parent_id": self.customer.id,
                "type": "invoice",
                "email": "compta@client.example.com",
            }
        )
        buyer = self.env["res.partner"].create({"name": "Acheteur", "parent_id": self.customer.id})
        first = self.make_invoice(self.customer, 100.0, due_date="2025-09-01")
        second = self.make_invoice(buyer, 200.0, due_date="2025-08-31")
        third = self.make_invoice(self.other_customer, 300.0, due_date="2025-09-01")
        run = self.run_on("2025-09-06")
        self.assertLevels(
            run,
            [
                (self.customer, self.level_reminder, [first, second]),
                (self.other_customer, self.level_reminder, [third]),
            ],
        )
        comm = run.communication_ids.filtered(lambda c: c.partner_id == self.customer)
        self.assertRecordValues(comm, [{"recipient_id": accounting.id, "amount_residual": 300.0, "max_days_late": 6}])

    def test_policy_by_risk_class_and_per_customer(self):
        """The risk class gives the policy; the customer's own policy overrides it."""
        soft = self.env["credit.control.dunning.policy"].create(
            {
                "name": "Soft",
                "review_mode": "auto",
                "level_ids": [Command.create({"name": "Nudge", "days": 10, "channel_letter": True})],
            }
        )
        strict = self.env["credit.control.dunning.policy"].create(
            {
                "name": "Strict",
                "review_mode": "auto",
                "level_ids": [Command.create({"name": "Now", "days": 1, "channel_letter": True})],
            }
        )
        risk_class = self.env["credit.control.risk.class"].create(
            {"code": "S", "name": "Soft", "dunning_policy_id": soft.id}
        )
        self.customer.with_company(self.company).cc_risk_class_id = risk_class
        self.other_customer.with_company(self.company).write(
            {"cc_risk_class_id": risk_class.id, "cc_dunning_policy_id": strict.id}
        )
        self.make_invoice(self.customer, 100.0, due_date="2025-09-01")
        self.make_invoice(self.other_customer, 100.0, due_date="2025-09-01")
        self.assertEqual(self.customer.with_company(self.company).cc_effective_dunning_policy_id, soft)
        run = self.run_on("2025-09-02")
        self.assertEqual(run.communication_ids.level_id, strict.level_ids)
        run = self.run_on("2025-09-11")
        self.assertEqual(run.communication_ids.level_id, soft.level_ids)

    def test_selection_is_one_query_whatever_the_history(self):
        """The level selection is one SQL query over the company's receivables (plus one for the
        horizon of pre-due levels): the same count for 2 or 20 invoices."""
        for _index in range(2):
            self.make_invoice(self.customer, 100.0, due_date="2025-09-01")
        run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
        self.env.flush_all()
        with self.assertQueryCount(2):
            self.assertEqual(len(run._select_installments()), 2)
        for _index in range(18):
            self.make_invoice(self.other_customer, 100.0, due_date="2025-09-01")
        self.env.flush_all()
        with self.assertQueryCount(2):
            self.assertEqual(len(run._select_installments()), 20)
