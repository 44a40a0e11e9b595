import io

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from .common_dunning import DunningCommon


def pdf_text(data):
    """Text of a PDF, words separated by single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfFileReader(io.BytesIO(data)).pages).split())


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCommon):
    """The run: idempotent, robust, locked, resumable, traced; emails with the PDF letter."""

    def mails_of(self, comms):
        return self.env["mail.mail"].search([("model", "=", comms._name), ("res_id", "in", comms.ids)])

    # ------------------------------------------------------------
    # idempotency
    # ------------------------------------------------------------

    def test_same_day_rerun_sends_nothing(self):
        self.make_invoice(self.customer, 1000.0)
        first = self.run_on("2025-09-06")
        self.assertEqual(first.state, "done")
        self.assertEqual(len(first.communication_ids), 1)
        second = self.run_on("2025-09-06")
        self.assertRecordValues(second, [{"state": "done", "communication_count": 0}])
        self.assertEqual(len(self.communications()), 1)
        self.assertEqual(len(self.mails_of(self.communications())), 1)

    def test_communications_numbered_in_one_draw(self):
        """A run's communications take consecutive numbers of the sequence, drawn in one query
        (two queries a number with ir.sequence.next_by_code); a no-gap sequence still works."""
        customers = self.customer | self.make_customer("Client Deux") | self.make_customer("Client Trois")
        for customer in customers:
            self.make_invoice(customer, 500.0)
        run = self.run_on("2025-09-06")
        names = sorted(run.communication_ids.mapped("name"))
        self.assertEqual(len(set(names)), 3)
        numbers = [int(name.rsplit("/", 1)[1]) for name in names]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)), names)
        self.assertTrue(all(name.startswith("REL/") for name in names), names)
        sequence = self.env.ref("credit_control.seq_dunning_communication")
        sequence.implementation = "no_gap"
        number_next = sequence.number_next
        vals = {
            "date": "2025-09-06",
            "company_id": self.env.company.id,
            "partner_id": self.customer.id,
            "recipient_id": self.customer.id,
            "policy_id": run.communication_ids[0].policy_id.id,
            "level_id": run.communication_ids[0].level_id.id,
        }
        comms = self.env["credit.control.dunning.communication"].create([vals, dict(vals)])
        self.assertEqual(sequence.number_next, number_next + 2)
        self.assertEqual(len(set(comms.mapped("name"))), 2)

    def test_generation_in_chunks(self):
        """Generated chunk by chunk (installments read by batches of customers from a server-side
        cursor, the cache emptied between chunks, for the memory of a large run), a run gives the
        same communications as in one go: a customer's installments are never split between two
        batches, the reasons to leave an installment aside are counted over all batches."""
        third = self.make_customer("Client Trois")
        customers = self.customer | self.other_customer | third
        invoices = {customer: self.make_invoice(customer, 500.0) for customer in customers}
        invoices[third] |= self.make_invoice(third, 250.0)
        disputed = self.make_invoice(self.other_customer, 80.0)
        self.env["credit.control.dispute"].create({"move_id": disputed.id, "reason": "quality"})
        self.env["ir.config_parameter"].set_param("credit_control.dunning_generation_chunk", 1)
        with freeze_time("2025-09-06"):
            batches = list(
                self.env["credit.control.dunning.run"]
                .create({"date": "2025-09-06"})
                ._select_installments_by_customers(1)
            )
        self.assertEqual([len({row["partner_id"] for row in rows}) for rows in batches], [1, 1, 1])
        self.assertEqual(sorted(len(rows) for rows in batches), [1, 2, 2])
        run = self.run_on("2025-09-06")
        self.assertEqual(len(run.communication_ids), 3)
        for comm in run.communication_ids:
            self.assertEqual(comm.line_ids.move_id, invoices[comm.partner_id])
            self.assertRecordValues(comm, [{"state": "sent", "level_id": self.level_reminder.id}])
        self.assertEqual(run.communication_ids.filtered(lambda c: c.partner_id == third).amount_residual, 750.0)
        self.assertIn("invoice in dispute: 1", run.skip_summary)
        self.assertEqual(run.state, "done")

    def test_future_run_refused(self):
        with freeze_time("2025-09-06"), self.assertRaises(ValidationError):
            self.env["credit.control.dunning.run"].create({"date": "2025-09-07"})

    # ------------------------------------------------------------
    # robustness
    # ------------------------------------------------------------

    def test_failing_customer_does_not_stop_the_run(self):
        self.customer.email = False
        self.make_invoice(self.customer, 100.0)
        self.make_invoice(self.other_customer, 200.0)
        run = self.run_on("2025-09-06")
        self.assertEqual(run.state, "done")
        failed = run.communication_ids.filtered(lambda c: c.partner_id == self.customer)
        sent = run.communication_ids - failed
        self.assertRecordValues(failed, [{"state": "error"}])
        self.assertIn("Client Retard SARL has no email address", failed.error_message)
        self.assertRecordValues(sent, [{"state": "sent"}])
        self.assertEqual(failed.line_ids.mapped("state"), ["error"])
        # fixed and sent again: once, and the next runs do not send the level again
        self.customer.email = "retard@client.example.com"
        with freeze_time("2025-09-07"):
            failed.action_retry()
        self.assertEqual(failed.state, "sent")
        self.assertFalse(self.run_on("2025-09-08").communication_ids)
        self.assertEqual(len(self.mails_of(run.communication_ids)), 2)

    def test_error_not_fixed_is_prepared_again_the_next_day(self):
        self.customer.email = False
        self.make_invoice(self.customer, 100.0)
        first = self.run_on("2025-09-06").communication_ids
        self.assertEqual(first.state, "error")
        self.customer.email = "retard@client.example.com"
        second = self.run_on("2025-09-07").communication_ids
        self.assertRecordValues(second, [{"state": "sent", "level_id": self.level_reminder.id}])
        # the old error cannot be sent any more: the slot is taken by the new one
        first.action_retry()
        self.assertRecordValues(first, [{"state": "cancel"}])

    def test_template_error_only_fails_its_customer(self):
        broken = self.env["mail.template"].create(
            {
                "name": "Broken",
                "model_id": self.env["ir.model"]._get_id("credit.control.dunning.communication"),
                "subject": "{{ object.partner_id.no_such_field }}",
                "body_html": "<p>Hello</p>",
            }
        )
        odd_policy = self.env["credit.control.dunning.policy"].create(
            {
                "name": "Odd",
                "review_mode": "auto",
                "level_ids": [
                    Command.create({"name": "Odd", "days": 5, "channel_email": True, "mail_template_id": broken.id})
                ],
            }
        )
        self.customer.with_company(self.company).cc_dunning_policy_id = odd_policy
        self.make_invoice(self.customer, 100.0)
        self.make_invoice(self.other_customer, 200.0)
        run = self.run_on("2025-09-06")
        self.assertEqual(
            {c.partner_id: c.state for c in run.communication_ids},
            {self.customer: "error", self.other_customer: "sent"},
        )
        self.assertIn("no_such_field", run.communication_ids.filtered(lambda c: c.state == "error").error_message)

    def test_two_runs_of_a_company_cannot_overlap(self):
        """Another transaction holds the company's run lock: a clear error, nothing done."""
        main_company = self.env.ref("base.main_company")
        run = self.env["credit.control.dunning.run"].sudo().create({"company_id": main_company.id})
        with self.registry.cursor() as other_cr:
            other_cr.execute("SET LOCAL lock_timeout = '2s'")
            other_cr.execute("SELECT id FROM res_company WHERE id = %s FOR NO KEY UPDATE", [main_company.id])
            with self.assertRaisesRegex(UserError, "A dunning run of .* is already running"):
                run.action_run()
            other_cr.rollback()
        self.assertEqual(run.state, "draft")
        # once the lock is released, the run goes
        run.action_run()
        self.assertEqual(run.state, "done")

    def test_interrupted_run_finishes_without_duplicates(self):
        customers = self.customer | self.other_customer | self.make_customer("Troisième SA")
        for customer in customers:
            self.make_invoice(customer, 100.0)
        self.env["ir.config_parameter"].set_param("credit_control.dunning_chunk_size", 1)
        with freeze_time("2025-09-06"):
            run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
            # the run is killed after its generation and its first chunk were committed
            run.write({"state": "running"})
            comms = run._generate()
            comms[:1]._send()
            self.assertEqual(comms.mapped("state"), ["sent", "to_send", "to_send"])
            # another run of the company cannot start while this one is unfinished
            other = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
            with self.assertRaisesRegex(UserError, run.name):
                other.action_run()
            run.action_run()
        self.assertEqual(run.state, "done")
        self.assertEqual(comms.mapped("state"), ["sent", "sent", "sent"])
        self.assertEqual(len(self.mails_of(comms)), 3)
        self.assertEqual(sorted(self.mails_of(comms).mapped("recipient_ids.name")), sorted(customers.mapped("name")))

    def test_cron_entry_point(self):
        cron = self.env.ref("credit_control.ir_cron_dunning_run")
        self.assertEqual((cron.code, cron.interval_type, cron.active), ("model._cron_run_dunning()", "days", True))
        invoice = self.make_invoice(self.customer, 1000.0)
        Run = self.env["credit.control.dunning.run"]
        with freeze_time("2025-09-06"):
            Run._cron_run_dunning()
            run = Run.search([("company_id", "=", self.company.id)])
            self.assertRecordValues(run, [{"date": run.date, "state": "done", "communication_count": 1}])
            self.assertEqual(str(run.date), "2025-09-06")
            # scheduled twice the same day: the same run, nothing sent again
            Run._cron_run_dunning()
            self.assertEqual(Run.search([("company_id", "=", self.company.id)]), run)
        self.assertEqual(self.sent_levels(invoice), self.level_reminder)
        with freeze_time("2025-09-16"):
            Run._cron_run_dunning()
        self.assertEqual(self.sent_levels(invoice), self.level_reminder | self.level_firm)

    def test_cron_sends_the_runs_in_progress(self):
        """The second scheduled action finishes a run generated and interrupted; it never creates one."""
        cron = self.env.ref("credit_control.ir_cron_dunning_send_running")
        self.assertEqual((cron.code, cron.interval_type), ("model._cron_send_running_runs()", "minutes"))
        self.make_invoice(self.customer, 1000.0)
        self.make_invoice(self.other_customer, 500.0)
        Run = self.env["credit.control.dunning.run"]
        with freeze_time("2025-09-06"):
            run = Run.create({"date": "2025-09-06"})
            run.write({"state": "running"})
            run._generate()
            self.assertEqual(set(run.communication_ids.mapped("state")), {"to_send"})
            Run._cron_send_running_runs()
            self.assertEqual(set(run.communication_ids.mapped("state")), {"sent"})
            self.assertEqual(run.state, "done")
            Run._cron_send_running_runs()
        self.assertEqual(Run.search([("company_id", "=", self.company.id)]), run)

    # ------------------------------------------------------------
    # traces, emails and letters
    # ------------------------------------------------------------

    def test_email_queued_with_pdf_letter_attached(self):
        self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
        first = self.make_invoice(self.customer, 1000.0)
        second = self.make_invoice(self.customer, 250.0, due_date="2025-08-30")
        comm = self.run_on("2025-09-06").communication_ids
        self.assertRecordValues(
            comm,
            [
                {
                    "state": "sent",
                    "level_id": self.level_reminder.id,
                    "amount_residual": 1250.0,
                    "recipient_id": self.customer.id,
                }
            ],
        )
        mail = self.mails_of(comm)
        self.assertRecordValues(mail, [{"state": "outgoing", "recipient_ids": self.customer.ids}])
        self.assertIn("relance pour factures impayées", mail.subject)
        self.assertIn(first.name, mail.body_html)
        self.assertEqual(mail.attachment_ids, comm.attachment_id)
        pdf = comm.attachment_id.raw
        self.assertEqual(comm.attachment_id.mimetype, "application/pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        for expected in (first.name, second.name, "Relance", "Client Retard SARL"):
            self.assertIn(expected, text)
        # traced on the customer, on each invoice, and the invoices show their last level
        for record in (self.customer, first, second):
            self.assertTrue(
                record.message_ids.filtered(lambda m, name=comm.name: name in (m.body or "")),
                f"no trace of {comm.name} on {record.display_name}",
            )
        self.assertRecordValues(
            first | second,
            [{"cc_dunning_level_id": self.level_reminder.id, "cc_dunning_date": comm.date}] * 2,
        )
        self.assertEqual(comm.channels, "Email")
        self.assertTrue(comm.date_sent)

    def test_printed_letter_with_penalties_renders(self):
        self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
        self.policy.escalation = "reached"
        first = self.make_invoice(self.customer, 10000.0)
        second = self.make_invoice(self.customer, 500.0)
        comm = self.run_on("2025-09-16").communication_ids
        self.assertEqual(comm.level_id, self.level_firm)
        self.assertTrue(comm.has_letter)
        text = pdf_text(comm.attachment_id.raw)
        for expected in (first.name, second.name, "Second rappel", "L441-10", "D441-5", "12.15", "123 456 789 00012"):
            self.assertIn(expected, text)
        action = comm.action_print_letter()
        self.assertEqual(action["report_name"], "credit_control.report_dunning_letter")
        self.assertTrue(comm.date_printed)

    def test_review_mode(self):
        self.policy.review_mode = "review"
        kept = self.make_invoice(self.customer, 100.0)
        left_out = self.make_invoice(self.customer, 200.0)
        other = self.make_invoice(self.other_customer, 300.0)
        run = self.run_on("2025-09-06")
        self.assertEqual(run.state, "review")
        comm = run.communication_ids.filtered(lambda c: c.partner_id == self.customer)
        other_comm = run.communication_ids - comm
        self.assertEqual(run.communication_ids.mapped("state"), ["draft", "draft"])
        self.assertFalse(self.mails_of(run.communication_ids))
        self.assertIn("Sauf erreur ou omission", comm.letter_html)
        self.assertIn(kept.name, comm.email_body)
        # the credit manager leaves an invoice out, edits the text, excludes the other customer
        comm.line_ids.filtered(lambda line: line.move_id == left_out).action_exclude()
        self.assertEqual(comm.amount_residual, 100.0)
        comm.letter_html = "<p>Texte revu par le responsable crédit.</p>"
        other_comm.action_exclude()
        with freeze_time("2025-09-06"):
            comm.action_validate()
        self.assertEqual(comm.state, "sent")
        self.assertEqual(run.state, "done")
        self.assertIn("revu par le responsable", comm.letter_html)
        self.assertEqual(self.sent_levels(kept), self.level_reminder)
        # the next day, the excluded installments do not get the reminder again
        self.assertFalse(self.run_on("2025-09-07").communication_ids)
        self.assertFalse(self.sent_levels(left_out) | self.sent_levels(other))

    def test_hold_call_and_salesperson_activities(self):
        salesperson = new_test_user(self.env, login="vendeur", groups="sales_team.group_sale_salesman")
        collector = new_test_user(self.env, login="recouvreur", groups="credit_control.group_credit_control_user")
        self.customer.with_company(self.company).cc_collector_user_id = collector
        self.policy.escalation = "reached"
        invoice = self.make_invoice(self.customer, 1000.0, invoice_user_id=salesperson.id)
        call = self.run_on("2025-08-27").communication_ids
        self.assertEqual(call.level_id, self.level_call)
        self.assertRecordValues(
            call.activity_ids,
            [{"user_id": collector.id, "activity_type_id": self.env.ref("mail.mail_activity_data_call").id}],
        )
        self.assertIn(invoice.name, str(call.activity_ids.note))
        notice = self.run_on("2025-10-01").communication_ids
        self.assertEqual(notice.level_id, self.level_notice)
        self.assertTrue(notice.channel_lrar)
        customer = self.customer.with_company(self.company)
        self.assertTrue(customer.cc_hold)
        self.assertIn("Mise en demeure", customer.cc_hold_reason)
        alert = customer.activity_ids.filtered(lambda a: a.user_id == salesperson)
        self.assertEqual(len(alert), 1)
        self.assertIn(invoice.name, alert.summary)

    def test_sms_channel_uses_the_sms_module_when_installed(self):
        level = self.level_reminder
        if "sms.sms" not in self.env:
            with self.assertRaises(ValidationError):
                level.channel_sms = True
            return
        level.write({"channel_sms": True, "channel_email": False})
        self.customer.mobile = "+33 6 12 34 56 78"
        self.make_invoice(self.customer, 100.0)
        comm = self.run_on("2025-09-06").communication_ids
        self.assertEqual(comm.state, "sent")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn("100,00", sms.body.replace("\xa0", " ").replace(".", ","))

    def test_multi_company_isolation(self):
        other_company = self.setup_other_company(name="Filiale Belge")["company"]
        self.env["credit.control.dunning.policy"]._copy_default_policy(other_company)
        mine = self.make_invoice(self.customer, 100.0)
        theirs = (
            self.env["account.move"]
            .with_company(other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2025-08-01",
                    "invoice_date_due": "2025-09-01",
                    "invoice_line_ids": [
                        Command.create({"name": "x", "quantity": 1, "price_unit": 700.0, "tax_ids": []})
                    ],
                }
            )
        )
        theirs.action_post()
        run = self.run_on("2025-09-06")
        self.assertEqual(run.communication_ids.line_ids.move_id, mine)
        other_run = self.run_on("2025-09-06", company=other_company)
        self.assertEqual(other_run.communication_ids.line_ids.move_id, theirs)
        self.assertEqual(other_run.communication_ids.policy_id.company_id, other_company)
        # a credit controller of the first company does not see the second one's letters
        controller = new_test_user(
            self.env,
            login="controleur",
            groups="credit_control.group_credit_control_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        visible = self.env["credit.control.dunning.communication"].with_user(controller).search([])
        self.assertIn(run.communication_ids, visible)
        self.assertNotIn(other_run.communication_ids, visible)
