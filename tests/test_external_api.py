"""An integration's view: a real Odoo server on a free local port, driven over JSON-RPC.

Nothing of the server is imported by the client side: it only speaks XML-RPC. The server runs
the test database in its own process, so what the client creates is committed; the test
removes it at the end."""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import odoo
from odoo.tests import BaseCase
from odoo.tests import tagged


class RpcError(Exception):
    """An error answered by the server."""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestExternalApi(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        config = odoo.tools.config
        cls.db = config["db_name"]
        if isinstance(cls.db, list):
            cls.db = cls.db[0]
        cls.port = _free_port()
        odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
        cls.server = subprocess.Popen(
            [
                sys.executable,
                odoo_bin,
                "-c",
                config.rcfile,
                "-d",
                cls.db,
                f"--db-filter=^{cls.db}$",
                f"--http-port={cls.port}",
                "--http-interface=127.0.0.1",
                "--max-cron-threads=0",
                "--workers=0",
                "--log-level=warn",
                "--no-database-list",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        cls.addClassCleanup(cls._stop_server)
        cls.url = f"http://127.0.0.1:{cls.port}"
        deadline = time.time() + 120
        while True:
            try:
                cls.rpc("common", "version")
                break
            except OSError:
                if cls.server.poll() is not None or time.time() > deadline:
                    raise RuntimeError("the Odoo server did not start: " + cls.server.stderr.read().decode()[-2000:])
                time.sleep(0.5)
        cls.uid = cls.rpc("common", "authenticate", cls.db, "admin", "admin", {})
        if not cls.uid:
            raise RuntimeError("admin/admin cannot log in to the test database")

    @classmethod
    def rpc(cls, service, method, *args):
        """One JSON-RPC call to /jsonrpc, as any external client would make it."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"service": service, "method": method, "args": list(args)},
        }
        request = urllib.request.Request(
            f"{cls.url}/jsonrpc", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RpcError(answer["error"]["data"]["message"])
        return answer.get("result")  # Odoo leaves "result" out when a method returns None

    @classmethod
    def _stop_server(cls):
        cls.server.terminate()
        try:
            cls.server.wait(20)
        except subprocess.TimeoutExpired:
            cls.server.kill()

    def call(self, model, method, *args, **kwargs):
        return self.rpc("object", "execute_kw", self.db, self.uid, "admin", model, method, list(args), kwargs)

    def xmlid_to_id(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"]
        )
        return rows[0]["res_id"]

    def test_order_above_limit_is_refused_then_overridden(self):
        tag = uuid.uuid4().hex[:6]
        partner_id = self.call(
            "res.partner",
            "create",
            {"name": f"API Client {tag}", "is_company": True, "cc_use_custom_limit": True, "cc_credit_limit": 1000.0},
        )
        product_id = self.call(
            "product.product", "create", {"name": f"API product {tag}", "type": "service", "taxes_id": [(5, 0, 0)]}
        )
        order_id = self.call(
            "sale.order",
            "create",
            {
                "partner_id": partner_id,
                "order_line": [
                    (
                        0,
                        0,
                        {"product_id": product_id, "product_uom_qty": 1, "price_unit": 1500.0, "tax_id": [(5, 0, 0)]},
                    )
                ],
            },
        )
        try:
            [check] = self.call("sale.order", "read", [order_id], ["cc_check_state", "cc_check_message"])
            self.assertEqual(check["cc_check_state"], "blocked")
            with self.assertRaises(RpcError) as fault:
                self.call("sale.order", "action_confirm", [order_id])
            self.assertIn("cannot be confirmed", str(fault.exception))
            self.assertIn("Credit limit", str(fault.exception))
            # 1,000.00 (English) or 1 000,00 (a French database)
            self.assertRegex(str(fault.exception), r"1[,\s\u202f]000[.,]00")
            [order] = self.call("sale.order", "read", [order_id], ["state"])
            self.assertEqual(order["state"], "draft")
            # the customer's figures and the over-limit search answer over RPC too
            found = self.call("res.partner", "search", [("id", "=", partner_id), ("cc_status", "=", "ok")])
            self.assertEqual(found, [partner_id])
            # a credit manager (admin) overrides with a reason
            self.call("sale.order", "action_confirm", [order_id], context={"cc_override_reason": "API test"})
            [order] = self.call("sale.order", "read", [order_id], ["state"])
            self.assertEqual(order["state"], "sale")
            overrides = self.call(
                "credit.control.override", "search_read", [("order_id", "=", order_id)], fields=["reason", "rules"]
            )
            self.assertEqual(overrides[0]["reason"], "API test")
            found = self.call("res.partner", "search", [("id", "=", partner_id), ("cc_available_credit", "<", 0)])
            self.assertEqual(found, [partner_id])
            rows = self.call(
                "credit.control.partner.report",
                "search_read",
                [("partner_id", "=", partner_id)],
                fields=["exposure", "status"],
            )
            self.assertEqual((rows[0]["exposure"], rows[0]["status"]), (1500.0, "blocked"))
        finally:
            self.call("sale.order", "action_cancel", [order_id], context={"disable_cancel_warning": True})
            self.call("sale.order", "unlink", [order_id])
            self.call("product.product", "unlink", [product_id])
            self.call("res.partner", "unlink", [partner_id])

    def test_aged_balance_over_rpc(self):
        tag = uuid.uuid4().hex[:6]
        partner_id = self.call("res.partner", "create", {"name": f"API Aged {tag}", "is_company": True})
        invoice_id = self.call(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": partner_id,
                "invoice_date": "2026-01-01",
                "invoice_date_due": "2026-01-20",
                "invoice_line_ids": [(0, 0, {"name": "API line", "price_unit": 420.0, "tax_ids": [(5, 0, 0)]})],
            },
        )
        try:
            self.call("account.move", "action_post", [invoice_id])
            rows = self.call(
                "credit.control.aged.balance",
                "search_read",
                [("partner_id", "=", partner_id)],
                fields=["residual", "period_2", "days_overdue"],
                context={"cc_aged_date": "2026-03-01"},
            )
            self.assertEqual(rows, [{"id": rows[0]["id"], "residual": 420.0, "period_2": 420.0, "days_overdue": 40}])
            groups = self.call(
                "credit.control.aged.balance",
                "read_group",
                [("partner_id", "=", partner_id)],
                ["residual:sum"],
                ["partner_id"],
                context={"cc_aged_date": "2025-12-31"},
            )
            self.assertEqual(groups, [])
        finally:
            self.call("account.move", "button_draft", [invoice_id])
            self.call("account.move", "button_cancel", [invoice_id])

    def test_dunning_cron_over_rpc(self):
        """The scheduled action of the dunning, triggered over RPC, prepares today's run; read back."""
        tag = uuid.uuid4().hex[:6]
        cron_id = self.xmlid_to_id("credit_control.ir_cron_dunning_run")
        reminder_id = self.xmlid_to_id("credit_control.dunning_level_fr_reminder")
        [company_id] = self.call("res.users", "read", [self.uid], ["company_id"])[0]["company_id"][:1]
        today = self.call("credit.control.dunning.run", "default_get", ["date"])["date"]
        due = (datetime.date.fromisoformat(today) - datetime.timedelta(days=20)).isoformat()
        invoice_date = (datetime.date.fromisoformat(today) - datetime.timedelta(days=50)).isoformat()
        # a run of today (the demo's) would be the cron's run of the day: set it aside meanwhile
        earlier_runs = self.call(
            "credit.control.dunning.run",
            "search_read",
            [("company_id", "=", company_id), ("date", "=", today)],
            fields=["date"],
        )
        yesterday = (datetime.date.fromisoformat(today) - datetime.timedelta(days=1)).isoformat()
        if earlier_runs:
            self.call("credit.control.dunning.run", "write", [run["id"] for run in earlier_runs], {"date": yesterday})
        partner_id = self.call(
            "res.partner",
            "create",
            {
                "name": f"API Dunning {tag}",
                "is_company": True,
                "street": "1 rue de la Paix",
                "city": "Paris",
            },
        )
        invoice_id = self.call(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": partner_id,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "invoice_line_ids": [(0, 0, {"name": "API line", "price_unit": 730.0, "tax_ids": [(5, 0, 0)]})],
            },
        )
        run_ids = []
        try:
            self.call("account.move", "action_post", [invoice_id])
            self.assertIs(self.call("ir.cron", "method_direct_trigger", [cron_id]), True)
            runs = self.call(
                "credit.control.dunning.run", "search_read", [("date", "=", today)], fields=["company_id", "state"]
            )
            run_ids = [run["id"] for run in runs]
            runs = [run for run in runs if run["company_id"][0] == company_id]
            self.assertEqual(len(runs), 1, "one run per company and day")
            communications = self.call(
                "credit.control.dunning.communication",
                "search_read",
                [("run_id", "=", runs[0]["id"]), ("partner_id", "=", partner_id)],
                fields=["state", "error_message", "level_id", "amount_residual", "max_days_late", "line_ids"],
            )
            self.assertEqual(len(communications), 1)
            communication = communications[0]
            # 20 days late, one level at a time: the reminder of day 5 comes first, its texts rendered
            self.assertEqual(
                (
                    communication["state"],
                    communication["error_message"],
                    communication["level_id"][0],
                    communication["amount_residual"],
                ),
                ("draft", False, reminder_id, 730.0),
            )
            # the default French policy asks for a review: prepared, not sent
            self.assertEqual(runs[0]["state"], "review")
            self.assertEqual(communication["max_days_late"], 20)
            lines = self.call(
                "credit.control.dunning.line", "read", communication["line_ids"], ["move_id", "days_late", "state"]
            )
            self.assertEqual(
                [(line["move_id"][0], line["days_late"], line["state"]) for line in lines], [(invoice_id, 20, "draft")]
            )
            # run again the same day: nothing is prepared twice
            self.call("ir.cron", "method_direct_trigger", [cron_id])
            count = self.call("credit.control.dunning.communication", "search_count", [("partner_id", "=", partner_id)])
            self.assertEqual(count, 1)
        finally:
            if run_ids:
                self.call("credit.control.dunning.run", "unlink", run_ids)
            if earlier_runs:
                self.call("credit.control.dunning.run", "write", [run["id"] for run in earlier_runs], {"date": today})
            self.call("account.move", "button_draft", [invoice_id])
            self.call("account.move", "button_cancel", [invoice_id])
