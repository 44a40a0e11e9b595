"""Two orders of one customer confirmed at the same moment in two transactions: only one fits
the credit limit, and only one may pass. Real PostgreSQL cursors, committed data, cleaned up."""

import threading
import time
import uuid

import psycopg2.errors

from odoo import SUPERUSER_ID
from odoo import Command
from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConfirmationRace(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {
                    "name": f"Race {self.tag}",
                    "is_company": True,
                    "cc_use_custom_limit": True,
                    "cc_credit_limit": 1000.0,
                }
            )
            product = env["product.product"].create(
                {"name": f"Race product {self.tag}", "type": "service", "taxes_id": [Command.clear()]}
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1, "price_unit": 600.0, "tax_id": False}
                            )
                        ],
                    }
                    for _ in range(2)
                ]
            )
            self.partner_id, self.product_id, self.order_ids = partner.id, product.id, orders.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids)
            orders.filtered(lambda o: o.state == "sale")._action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def test_two_cursors_one_passes(self):
        outcome = {}
        first_done = threading.Event()

        def confirm_second():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order = env["sale.order"].browse(self.order_ids[1])
                order.state  # noqa: B018  (the snapshot of this transaction starts here)
                first_done.wait(10)
                try:
                    order.action_confirm()
                    outcome["second"] = "confirmed"
                except psycopg2.errors.SerializationFailure:
                    outcome["second"] = "serialization_failure"
                    cr.rollback()
                except UserError as exc:
                    outcome["second"] = "refused"
                    outcome["message"] = str(exc)
                    cr.rollback()

        thread = threading.Thread(target=confirm_second)
        thread.start()
        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env1["sale.order"].browse(self.order_ids[0]).action_confirm()
            first_done.set()
            time.sleep(1.0)  # the second transaction is now waiting for the customer's lock
            cr1.commit()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        # the second confirmation either failed to serialize (Odoo retries the request) or saw the first
        self.assertIn(outcome.get("second"), ("serialization_failure", "refused"), outcome)
        # the retry, on fresh data, is refused with the limit rule
        with self.registry.cursor() as cr2:
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            with self.assertRaisesRegex(UserError, "Credit limit"):
                env2["sale.order"].browse(self.order_ids[1]).action_confirm()
            states = env2["sale.order"].browse(self.order_ids).mapped("state")
        self.assertEqual(sorted(states), ["draft", "sale"])


@tagged("post_install", "-at_install")
class TestDunningWorkersShareARun(TransactionCase):
    """Two workers send the same dunning run: each takes the chunks nobody holds, none is sent
    twice, and the run is closed by the worker that handles the last one. Committed data."""

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            partner = env["res.partner"].create({"name": f"Workers {tag}", "is_company": True})
            policy = env["credit.control.dunning.policy"].create(
                {
                    "name": f"Workers {tag}",
                    "company_id": company.id,
                    "review_mode": "auto",
                    "level_ids": [Command.create({"name": "First", "days": 5})],
                }
            )
            run = env["credit.control.dunning.run"].create({"company_id": company.id, "state": "running"})
            # communications whose installments were paid meanwhile: a worker cancels them when it
            # takes them, which is all this test needs of a sending
            comms = env["credit.control.dunning.communication"].create(
                [
                    {
                        "run_id": run.id,
                        "company_id": company.id,
                        "date": run.date,
                        "partner_id": partner.id,
                        "recipient_id": partner.id,
                        "policy_id": policy.id,
                        "level_id": policy.level_ids.id,
                        "state": "to_send",
                    }
                    for _index in range(3)
                ]
            )
            self.partner_id, self.policy_id, self.run_id, self.comm_ids = partner.id, policy.id, run.id, comms.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["credit.control.dunning.run"].browse(self.run_id).unlink()
            env["credit.control.dunning.policy"].browse(self.policy_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def states(self, cr):
        cr.execute(
            "SELECT id, state FROM credit_control_dunning_communication WHERE id = ANY(%s) ORDER BY id", [self.comm_ids]
        )
        return dict(cr.fetchall())

    def test_second_worker_takes_the_other_chunks(self):
        first, second, third = self.comm_ids
        with self.registry.cursor() as worker_a, self.registry.cursor() as worker_b:
            worker_b.execute("SET LOCAL lock_timeout = '2s'")
            # worker A is sending the first communication (its chunk is locked)
            worker_a.execute("SELECT id FROM credit_control_dunning_communication WHERE id = %s FOR UPDATE", [first])
            env_b = api.Environment(worker_b, SUPERUSER_ID, {})
            env_b["ir.config_parameter"].set_param("credit_control.dunning_chunk_size", 1)
            run_b = env_b["credit.control.dunning.run"].browse(self.run_id)
            run_b._execute(commit=False)
            env_b.flush_all()
            self.assertEqual(self.states(worker_b), {first: "to_send", second: "cancel", third: "cancel"})
            self.assertEqual(run_b.state, "running", "the first communication is still in worker A's hands")
            worker_b.commit()
            # worker A finishes its chunk: it closes the run
            env_a = api.Environment(worker_a, SUPERUSER_ID, {})
            run_a = env_a["credit.control.dunning.run"].browse(self.run_id)
            env_a["credit.control.dunning.communication"].browse(first)._send()
            worker_a.commit()  # as the scheduled action does after each chunk
            run_a._send_pending()
            run_a._finish()
            env_a.flush_all()
            self.assertEqual(set(self.states(worker_a).values()), {"cancel"})
            self.assertEqual(run_a.state, "done")
            worker_a.commit()
