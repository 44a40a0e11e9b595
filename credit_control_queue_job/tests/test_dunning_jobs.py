"""With queue_job, the chunks of a dunning run are jobs: enqueued by the run, performed by the
job runner's workers, the last one closing the run."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.credit_control.tests.common_dunning import DunningCommon
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestDunningJobs(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("credit_control.dunning_chunk_size", 2)
        # as in the scheduled actions, which commit between chunks (a test cannot commit)
        cls.env = cls.env(context=dict(cls.env.context, cc_dunning_jobs=True))
        cls.customers = cls.customer | cls.other_customer | cls.make_customer("Troisième SA")
        for customer in cls.customers:
            cls.make_invoice(customer, 100.0)

    def test_chunks_become_jobs_of_the_dunning_channel(self):
        with freeze_time("2025-09-06"), trap_jobs() as trap:
            run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
            run.action_run()
            comms = run.communication_ids.sorted("id")
            self.assertEqual(len(comms), 3)
            # generated, nothing sent yet: two jobs (chunks of 2 and 1) wait in the channel
            self.assertEqual(set(comms.mapped("state")), {"to_send"})
            self.assertEqual(run.state, "running")
            trap.assert_jobs_count(2, only=run._cc_send_chunk_job)
            trap.assert_enqueued_job(run._cc_send_chunk_job, args=(comms[:2].ids,))
            trap.assert_enqueued_job(run._cc_send_chunk_job, args=(comms[2:].ids,))
            trap.perform_enqueued_jobs()
        self.assertEqual(set(comms.mapped("state")), {"sent"})
        self.assertEqual(run.state, "done", "the job sending the last chunk closes the run")

    def test_jobs_stored_in_their_channel_once(self):
        """Stored as queue_job stores them: in the channel root.credit_control_dunning, and a chunk
        still waiting is not enqueued again when the scheduled action passes again."""
        with freeze_time("2025-09-06"), trap_jobs():
            run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
            run.action_run()
        Job = self.env["queue.job"].sudo()
        before = Job.search([])
        run._send_pending()
        run._send_pending()
        jobs = Job.search([]) - before
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("channel")), {"root.credit_control_dunning"})
        self.assertEqual(set(jobs.mapped("method_name")), {"_cc_send_chunk_job"})

    def test_a_job_sends_only_what_is_still_to_send(self):
        with freeze_time("2025-09-06"), trap_jobs():
            run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
            run.action_run()
            first, second, third = run.communication_ids.sorted("id")
            # the first chunk's job ran: the second job, performed twice, sends its chunk once
            run._cc_send_chunk_job((first | second).ids)
            self.assertEqual(run.state, "running")
            run._cc_send_chunk_job(third.ids)
            run._cc_send_chunk_job(third.ids)
        self.assertEqual(len(self.env["mail.mail"].search([("model", "=", third._name), ("res_id", "=", third.id)])), 1)
        self.assertEqual(run.state, "done")

    def test_run_by_hand_sends_at_once(self):
        with freeze_time("2025-09-06"), trap_jobs() as trap:
            run = (
                self.env["credit.control.dunning.run"]
                .with_context(cc_dunning_jobs=False)
                .create({"date": "2025-09-06"})
            )
            run.action_run()
            trap.assert_jobs_count(0)
        self.assertEqual(set(run.communication_ids.mapped("state")), {"sent"})
        self.assertEqual(run.state, "done")

    def test_jobs_switched_off_send_inline(self):
        self.env["ir.config_parameter"].set_param("credit_control.dunning_use_jobs", "0")
        with freeze_time("2025-09-06"), trap_jobs() as trap:
            run = self.env["credit.control.dunning.run"].create({"date": "2025-09-06"})
            run.action_run()
            trap.assert_jobs_count(0)
        self.assertEqual(set(run.communication_ids.mapped("state")), {"sent"})
        self.assertEqual(run.state, "done")
