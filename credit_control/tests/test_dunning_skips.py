from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_dunning import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningSkips(DunningCommon):
    """Disputes, promises to pay, payment plans, excluded customers and factored invoices."""

    def test_dispute_takes_the_invoice_out_of_dunning(self):
        disputed = self.make_invoice(self.customer, 1000.0)
        other = self.make_invoice(self.customer, 300.0)
        with freeze_time("2025-09-03"):
            dispute = self.env["credit.control.dispute"].create(
                {"move_id": disputed.id, "reason": "quality", "description": "Pièces défectueuses"}
            )
        self.assertTrue(disputed.cc_disputed)
        self.assertEqual(self.env["account.move"].search([("cc_disputed", "=", True)]), disputed)
        run = self.run_on("2025-09-06")
        self.assertEqual(run.communication_ids.line_ids.move_id, other)
        self.assertIn("invoice in dispute: 1", run.skip_summary)
        # the counts are stored, the summary is written in the reader's language (the run of the
        # scheduled action is read by French credit managers)
        self.assertEqual(run.skip_counts, {"dispute": 1})
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(run.with_context(lang="fr_FR").skip_summary, "facture en litige : 1")
        # a second open dispute on the same invoice is refused; closing needs a resolution
        with self.assertRaises(ValidationError):
            self.env["credit.control.dispute"].create({"move_id": disputed.id, "reason": "price"})
        with self.assertRaises(UserError):
            dispute.action_close()
        with freeze_time("2025-09-13"):
            dispute.resolution = "Avoir partiel refusé, pièces conformes"
            dispute.action_close()
        self.assertRecordValues(
            dispute,
            [{"state": "closed", "date_open": date(2025, 9, 3), "date_closed": date(2025, 9, 13), "duration_days": 10}],
        )
        self.assertFalse(disputed.cc_disputed)
        run = self.run_on("2025-09-14")
        self.assertEqual(run.communication_ids.line_ids.move_id, disputed)
        self.assertEqual(run.communication_ids.level_id, self.level_reminder)

    def _promise(self, invoices, amount, date_promised, date="2025-09-06"):
        with freeze_time(date):
            return self.env["credit.control.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "amount": amount,
                    "date": date,
                    "date_promised": date_promised,
                }
            )

    def test_promise_kept(self):
        invoice = self.make_invoice(self.customer, 1000.0)
        self.run_on("2025-09-06")  # reminder
        promise = self._promise(invoice, 1000.0, "2025-09-20")
        self.assertRecordValues(promise, [{"state": "open", "amount_due_at_promise": 1000.0}])
        run = self.run_on("2025-09-16")  # firm reminder day: paused by the promise
        self.assertFalse(run.communication_ids)
        self.assertIn("promise to pay pending: 1", run.skip_summary)
        self.pay(invoice, 1000.0, "2025-09-18")
        self.run_on("2025-09-19")
        self.assertRecordValues(promise, [{"state": "kept", "amount_paid": 1000.0}])
        self.assertEqual(self.customer.with_company(self.company).cc_broken_promise_count, 0)

    def test_partial_promise_kept_then_dunning_resumes_after_its_date(self):
        invoice = self.make_invoice(self.customer, 1000.0)
        self.run_on("2025-09-06")
        promise = self._promise(invoice, 600.0, "2025-09-20")
        self.pay(invoice, 600.0, "2025-09-19")
        self.assertFalse(self.run_on("2025-09-20").communication_ids)  # still paused on its date
        self.assertEqual(promise.state, "kept")
        run = self.run_on("2025-09-21")
        self.assertRecordValues(run.communication_ids, [{"level_id": self.level_firm.id, "amount_residual": 400.0}])
        self.assertFalse(run.communication_ids.line_ids.escalated)

    def test_broken_promise_escalates_once_and_is_counted(self):
        invoice = self.make_invoice(self.customer, 1000.0)
        self.run_on("2025-09-16")  # J+15, one level at a time: the reminder
        promise = self._promise(invoice, 1000.0, "2025-09-25", date="2025-09-17")
        self.pay(invoice, 200.0, "2025-09-24")
        self.assertFalse(self.run_on("2025-09-25").communication_ids)
        # the day after the date, not paid: broken, and the next level goes at once (the firm
        # reminder was due anyway, the formal notice would wait until 1 October)
        run = self.run_on("2025-09-26")
        self.assertRecordValues(promise, [{"state": "broken", "date_broken": run.date, "escalation_done": True}])
        self.assertRecordValues(run.communication_ids, [{"level_id": self.level_firm.id, "amount_residual": 800.0}])
        self.assertTrue(run.communication_ids.line_ids.escalated)
        self.assertEqual(self.customer.with_company(self.company).cc_broken_promise_count, 1)
        # escalated once: the next day nothing more (the formal notice waits for its days)
        self.assertFalse(self.run_on("2025-09-27").communication_ids)
        self.assertEqual(self.run_on("2025-10-06").communication_ids.level_id, self.level_notice)

    def test_broken_promise_jumps_ahead_of_the_days(self):
        invoice = self.make_invoice(self.customer, 1000.0)
        self.run_on("2025-09-06")  # reminder
        self._promise(invoice, 1000.0, "2025-09-08", date="2025-09-06")
        run = self.run_on("2025-09-09")  # J+8: the firm reminder is due on J+15 only
        self.assertEqual(run.communication_ids.level_id, self.level_firm)

    def test_payment_plan_followed_then_missed(self):
        invoice = self.make_invoice(self.customer, 900.0)
        self.run_on("2025-09-06")
        with freeze_time("2025-09-08"):
            plan = self.env["credit.control.payment.plan"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "date_start": "2025-09-08",
                    "installment_count": 3,
                    "interval_months": 1,
                    "first_date": "2025-09-30",
                }
            )
            self.assertEqual(plan.amount_total, 900.0)
            plan.action_compute_installments()
            self.assertEqual(plan.installment_ids.mapped("amount"), [300.0, 300.0, 300.0])
            self.assertEqual(
                [str(d) for d in plan.installment_ids.mapped("date")], ["2025-09-30", "2025-10-30", "2025-11-30"]
            )
            plan.action_activate()
        self.assertEqual(plan.state, "active")
        # the first installment paid on time: the plan goes on, no reminder
        self.pay(invoice, 300.0, "2025-09-29")
        run = self.run_on("2025-10-05")
        self.assertFalse(run.communication_ids)
        self.assertIn("payment plan in progress: 1", run.skip_summary)
        self.assertEqual(plan.installment_ids.mapped("status")[:1], ["paid"])
        # the second installment missed: the rest is due, the dunning resumes, escalated
        run = self.run_on("2025-10-31")
        self.assertRecordValues(plan, [{"state": "broken", "amount_paid": 300.0, "escalation_done": True}])
        self.assertRecordValues(run.communication_ids, [{"level_id": self.level_firm.id, "amount_residual": 600.0}])

    def test_payment_plan_must_add_up(self):
        invoice = self.make_invoice(self.customer, 900.0)
        plan = self.env["credit.control.payment.plan"].create(
            {"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)], "installment_count": 2}
        )
        plan.action_compute_installments()
        plan.installment_ids[:1].amount = 100.0
        with self.assertRaises(UserError):
            plan.action_activate()
        self.assertEqual(plan.state, "draft")

    def test_excluded_customer_factored_invoice_and_insolvency_are_left(self):
        excluded = self.make_invoice(self.customer, 100.0)
        factored = self.make_invoice(self.other_customer, 200.0, cc_factored=True)
        insolvent_customer = self.make_customer("Liquidation SAS", cc_insolvency=True)
        self.make_invoice(insolvent_customer, 300.0)
        kept = self.make_invoice(self.other_customer, 400.0)
        self.customer.with_company(self.company).write(
            {"cc_dunning_excluded": True, "cc_dunning_exclusion_reason": "Collectivité payée via Chorus Pro"}
        )
        run = self.run_on("2025-09-06")
        self.assertEqual(run.communication_ids.line_ids.move_id, kept)
        self.assertEqual(
            run.skip_summary.splitlines(),
            ["customer excluded from dunning: 1", "invoice assigned to a factor: 1", "insolvency proceedings: 1"],
        )
        self.assertFalse(excluded.cc_dunning_level_id)
        self.assertFalse(factored.cc_dunning_level_id)
