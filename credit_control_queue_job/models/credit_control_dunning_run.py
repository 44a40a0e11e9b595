from odoo import models
from odoo.tools import SQL
from odoo.tools.misc import split_every

from odoo.addons.credit_control.models.credit_control_dunning_run import _auto_commit
from odoo.addons.queue_job.job import identity_exact

USE_JOBS_PARAM = "credit_control.dunning_use_jobs"


class CreditControlDunningRun(models.Model):
    _inherit = "credit.control.dunning.run"

    def _cc_use_jobs(self):
        return self.env["ir.config_parameter"].sudo().get_param(USE_JOBS_PARAM, "1") not in ("0", "False", "")

    def _send_pending(self, commit=False):
        # OVERRIDE: in the scheduled actions (they commit chunk by chunk), each chunk of
        # communications to send becomes a job of the channel root.credit_control_dunning, which
        # queue_job's runner spreads over the workers of every server; the run stays "Running"
        # until the job sending the last chunk closes it. A run started by hand ("Run", in the
        # user's transaction) still sends at once. Context key ``cc_dunning_jobs``: jobs without
        # committing (tests).
        self.ensure_one()
        if not (commit or self.env.context.get("cc_dunning_jobs")) or not self._cc_use_jobs():
            return super()._send_pending(commit=commit)
        Communication = self.env["credit.control.dunning.communication"]
        Communication.flush_model(["run_id", "state"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM credit_control_dunning_communication
                    WHERE run_id = %s AND state = 'to_send' ORDER BY id""",
                self.id,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        chunk_size = int(self.env["ir.config_parameter"].sudo().get_param("credit_control.dunning_chunk_size", 50))
        for chunk in split_every(chunk_size, ids):
            # the same chunk is enqueued once while it waits (the scheduled action may pass again)
            self.with_delay(
                description=self.env._(
                    "Dunning run %(run)s: send %(count)s communications", run=self.name, count=len(chunk)
                ),
                identity_key=identity_exact,
            )._cc_send_chunk_job(list(chunk))
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit  # the jobs are visible to the runner

    def _cc_send_chunk_job(self, communication_ids):
        """Job: send the communications of ``communication_ids`` still to send and nobody else holds,
        then close the run if nothing is left to send."""
        self.ensure_one()
        Communication = self.env["credit.control.dunning.communication"]
        Communication.flush_model(["state"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM credit_control_dunning_communication
                    WHERE id = ANY(%s) AND run_id = %s AND state = 'to_send'
                    ORDER BY id FOR UPDATE SKIP LOCKED""",
                list(communication_ids),
                self.id,
            )
        )
        comms = Communication.browse([row[0] for row in self.env.cr.fetchall()])
        comms._send()
        if _auto_commit():
            # the closing looks at the run in a new snapshot, taken after this chunk is committed:
            # of two jobs ending together, each saw the other's chunk still to send in its own
            # snapshot and neither closed the run; the last one to commit now sees every chunk
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self._finish()
        return self.env._("%(count)s communications handled", count=len(comms))
