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
