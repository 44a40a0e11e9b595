"""Take screenshots of the key screens of a running demo server, in headless Chromium.

    python setup/screenshots.py --url http://127.0.0.1:8069 --db credit_control_demo --out docs/screenshots
    python setup/screenshots.py ... --only dunning_run,dunning_letter    # some of them only

Drives Chromium through the DevTools protocol (websocket-client), logs in as a user, opens each
screen and saves a PNG. Record ids are looked up over XML-RPC."""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import xmlrpc.client

import websocket


class Browser:
    def __init__(self, width=1440, height=900):
        self.port = _free_port()
        self.profile = tempfile.mkdtemp(prefix="cc_shots_")
        exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not exe:
            raise SystemExit("chromium is not installed (apt-get install chromium)")
        self.proc = subprocess.Popen(
            [
                exe,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--window-size={width},{height}",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=2) as resp:
                    pages = [t for t in json.load(resp) if t["type"] == "page"]
            except OSError:  # not listening yet
                pages = []
            if pages:
                break
            if time.time() > deadline:
                raise SystemExit("chromium did not start")
            time.sleep(0.3)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.msg_id = 0
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.msg_id += 1
        self.ws.send(json.dumps({"id": self.msg_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def goto(self, url, settle=2.5):
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'")
        time.sleep(settle)

    def js(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, condition, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!({condition})"):
                return True
            time.sleep(0.25)
        raise RuntimeError(f"timeout waiting for {condition}")

    def shot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))
        print(f"    {path}")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="credit_control_demo")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", help="comma-separated names of the screenshots to take (default: all)")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    os.makedirs(args.out, exist_ok=True)
    rpc = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)
    uid = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common").authenticate(args.db, "admin", "admin", {})

    def ref(xmlid):
        module, name = xmlid.split(".")
        rows = rpc.execute_kw(
            args.db,
            uid,
            "admin",
            "ir.model.data",
            "search_read",
            [[("module", "=", module), ("name", "=", name)]],
            {"fields": ["res_id"]},
        )
        return rows[0]["res_id"]

    def first_communication(run_xmlid):
        ids = rpc.execute_kw(
            args.db,
            uid,
            "admin",
            "credit.control.dunning.communication",
            "search",
            [[("run_id", "=", ref(run_xmlid))]],
            {"limit": 1, "order": "amount_residual desc, id"},
        )
        if not ids:
            raise SystemExit(f"the demo dunning run {run_xmlid} has no communication: rebuild the demo database")
        return ids[0]

    browser = Browser()
    try:
        for login, all_shots in SHOTS.items():
            shots = [shot for shot in all_shots if only is None or shot[0] in only]
            if not shots:
                continue
            browser.goto(f"{args.url}/web/session/logout", settle=0.5)
            browser.goto(f"{args.url}/web/login?db={args.db}", settle=0.5)
            browser.js(
                f"document.querySelector('input[name=login]').value = '{login}';"
                f"document.querySelector('input[name=password]').value = '{login}';"
                "document.querySelector('form.oe_login_form').submit();"
            )
            browser.wait_for("location.pathname.startsWith('/odoo')")
            time.sleep(2)
            for name, url, script in shots:
                url = url.format(ref=_Ref(ref), letter=_Ref(first_communication))
                browser.goto(f"{args.url}{url}")
                if script:
                    browser.js(script)
                    time.sleep(3)
                browser.shot(os.path.join(args.out, f"{name}.png"))
    finally:
        browser.close()


# (file name, URL, JavaScript run before the screenshot), per login
SHOTS = {
    "claire": [
        (
            "partner_credit_tab",
            "/odoo/action-base.action_partner_form/{ref[credit_control.demo_partner_centrale]}",
            "document.querySelector(\".o_notebook a[name='credit_control']\").click()",
        ),
        ("customer_credit", "/odoo/action-credit_control.credit_control_partner_report_action", None),
        ("aged_balance", "/odoo/action-credit_control.credit_control_aged_balance_action", None),
        ("receivables_dashboard", "/odoo/action-credit_control.credit_control_dashboard_action", None),
        # today's run of the demo, waiting for review, with its communications
        (
            "dunning_run",
            "/odoo/action-credit_control.credit_control_dunning_run_action/{ref[credit_control.demo_dunning_run]}",
            None,
        ),
        # the letter of the largest communication of that run, as printed (HTML preview of the PDF report)
        (
            "dunning_letter",
            "/report/html/credit_control.report_dunning_letter/{letter[credit_control.demo_dunning_run]}",
            None,
        ),
        # invoiced vs collected per salesperson and customer, with the commission pending
        (
            "commission_report",
            "/odoo/action-credit_control_sales_commission.credit_control_commission_analysis_wizard_action",
            "(async () => {"
            " document.querySelector(\".modal button[name='action_show']\").click();"
            " await new Promise((resolve) => setTimeout(resolve, 2500));"
            " document.querySelectorAll('.o_list_view .o_group_header').forEach((group) => group.click());"
            "})()",
        ),
    ],
    "marc": [
        (
            "blocked_quotation",
            "/odoo/action-sale.action_quotations_with_onboarding/{ref[credit_control.demo_quotation_centrale]}",
            "document.querySelector(\".o_statusbar_buttons button[name='action_confirm']:not(.d-none)\")?.click()"
            " || [...document.querySelectorAll(\".o_statusbar_buttons button[name='action_confirm']\")]"
            ".find(b => b.offsetParent).click()",
        ),
    ],
}


class _Ref:
    def __init__(self, resolve):
        self.resolve = resolve

    def __getitem__(self, xmlid):
        return self.resolve(xmlid)


if __name__ == "__main__":
    main()
