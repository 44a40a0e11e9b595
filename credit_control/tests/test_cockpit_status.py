from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-31")
class TestCockpitStatus(CreditControlCommon):
    """Dunning level and collection status in the aged balance, exposure by level and by status,
    dispute KPIs and per-customer DSO, on a small data set computed by hand.

    At 2026-03-31 (90-day period from 2026-01-01), in company currency:

    ====== ======== ============ ============ ======== ============ ======================
    item   customer invoice date due date     open     dunning      status (why)
    ====== ======== ============ ============ ======== ============ ======================
    a1     A        2026-01-10   2026-02-09   1,000    reminder     disputed (open dispute)
    a2     A        2026-02-01   2026-03-03   2,000                 promised
    a3     A        2026-03-10   2026-04-09   3,000                 normal (not due)
    b1     B        2025-10-01   2025-10-31   4,000    litigation   litigation (also disputed)
    b2     B        2026-02-15   2026-03-15   1,500                 payment_plan (also promised)
    b3     B        2026-01-05   2026-02-04   paid                  (not in the aged balance)
    c1     C        2025-11-01   2025-12-01   800                   normal
    ====== ======== ============ ============ ======== ============ ======================

    Disputes: D1 a1 open since 02-15 (400); D2 b1 open since 01-20 (no amount: the whole 4,000);
    D3 b3 01-10 -> 02-05 (26 days, 500); D4 b2 02-20 -> 03-10 (18 days, 300); D5 b1 2025-11-01 ->
    2025-12-01 (30 days, 1,000, before the period)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, login="cockpit_sales", groups="sales_team.group_sale_salesman")
        Partner = cls.env["res.partner"]
        cls.partner_a = Partner.create({"name": "Cockpit A", "is_company": True, "user_id": cls.salesman.id})
        cls.partner_b = Partner.create({"name": "Cockpit B", "is_company": True})
        cls.partner_c = Partner.create({"name": "Cockpit C", "is_company": True})
        policy = cls.env["credit.control.dunning.policy"]._copy_default_policy(cls.company)
        levels = policy.level_ids.sorted("days")
        cls.level_litigation = levels.filtered("litigation")[:1]
        cls.level_reminder = levels.filtered(lambda lvl: lvl.days > 0 and not lvl.litigation)[:1]

        cls.a1 = cls.make_invoice(cls.partner_a, 1000.0, invoice_date="2026-01-10", due_date="2026-02-09")
        cls.a2 = cls.make_invoice(cls.partner_a, 2000.0, invoice_date="2026-02-01", due_date="2026-03-03")
        cls.a3 = cls.make_invoice(cls.partner_a, 3000.0, invoice_date="2026-03-10", due_date="2026-04-09")
        cls.b1 = cls.make_invoice(cls.partner_b, 4000.0, invoice_date="2025-10-01", due_date="2025-10-31")
        cls.b2 = cls.make_invoice(cls.partner_b, 1500.0, invoice_date="2026-02-15", due_date="2026-03-15")
        cls.b3 = cls.make_invoice(cls.partner_b, 500.0, invoice_date="2026-01-05", due_date="2026-02-04")
        cls.c1 = cls.make_invoice(cls.partner_c, 800.0, invoice_date="2025-11-01", due_date="2025-12-01")
        cls.pay(cls.b3, 500.0, date="2026-02-04")

        def receivable_line(move):
            return move.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

        receivable_line(cls.a1).cc_dunning_level_id = cls.level_reminder
        receivable_line(cls.b1).cc_dunning_level_id = cls.level_litigation

        Dispute = cls.env["credit.control.dispute"]

        def closed(move, date_open, date_closed, amount=0.0):
            return {
                "move_id": move.id,
                "date_open": date_open,
                "date_closed": date_closed,
                "amount_disputed": amount,
                "state": "closed",
                "resolution": "Settled by phone",
            }

        Dispute.create(
            [
                closed(cls.b1, "2025-11-01", "2025-12-01", 1000.0),
                closed(cls.b3, "2026-01-10", "2026-02-05"),
                closed(cls.b2, "2026-02-20", "2026-03-10", 300.0),
                {"move_id": cls.a1.id, "date_open": "2026-02-15", "amount_disputed": 400.0},
                {"move_id": cls.b1.id, "date_open": "2026-01-20"},
            ]
        )
        Promise = cls.env["credit.control.promise"]

        def promise(partner, date_promised, amount, move):
            return {"partner_id": partner.id, "date_promised": date_promised, "amount": amount, "move_ids": move.ids}

        Promise.create(
            [promise(cls.partner_a, "2026-04-15", 2000.0, cls.a2), promise(cls.partner_b, "2026-04-10", 1500.0, cls.b2)]
        )
        # a cancelled promise does not make its invoice promised
        Promise.create(promise(cls.partner_a, "2026-04-20", 3000.0, cls.a3)).action_cancel()
        plan = cls.env["credit.control.payment.plan"].create(
            {"partner_id": cls.partner_b.id, "move_ids": cls.b2.ids, "installment_count": 3}
        )
        plan.action_compute_installments()
        plan.action_activate()
        cls.partners = cls.partner_a | cls.partner_b | cls.partner_c

    def aged(self, domain=(), as_of="2026-03-31"):
        Aged = self.env["credit.control.aged.balance"].with_context(cc_aged_date=as_of)
        return Aged.search([("partner_id", "in", self.partners.ids), *domain])

    def dashboard(self, date_to="2026-03-31", period_days=90):
        board = Form(self.env["credit.control.dashboard"])
        board.date_to = fields.Date.to_date(date_to)
        board.period_days = period_days
        return board.save()

    # ------------------------------------------------------------
    # aged balance
    # ------------------------------------------------------------

    def test_aged_rows_carry_level_and_status(self):
        rows = self.aged().sorted(lambda row: row.move_id.invoice_date)
        self.assertEqual(rows.move_id, self.b1 | self.c1 | self.a1 | self.a2 | self.b2 | self.a3)
        none = self.env["credit.control.dunning.level"]
        self.assertRecordValues(
            rows,
            [
                {
                    "residual": 4000.0,
                    "dunning_level_id": self.level_litigation.id,
                    "status": "litigation",
                    "litigation": True,
                    "disputed": True,
                    "promised": False,
                    "in_payment_plan": False,
                },
                {
                    "residual": 800.0,
                    "dunning_level_id": none.id,
                    "status": "normal",
                    "litigation": False,
                    "disputed": False,
                    "promised": False,
                    "in_payment_plan": False,
                },
                {
                    "residual": 1000.0,
                    "dunning_level_id": self.level_reminder.id,
                    "status": "disputed",
                    "litigation": False,
                    "disputed": True,
                    "promised": False,
                    "in_payment_plan": False,
                },
                {
                    "residual": 2000.0,
                    "dunning_level_id": none.id,
                    "status": "promised",
                    "litigation": False,
                    "disputed": False,
                    "promised": True,
                    "in_payment_plan": False,
                },
                {
                    "residual": 1500.0,
                    "dunning_level_id": none.id,
                    "status": "payment_plan",
                    "litigation": False,
                    "disputed": False,
                    "promised": True,
                    "in_payment_plan": True,
                },
                {
                    "residual": 3000.0,
                    "dunning_level_id": none.id,
                    "status": "normal",
                    "litigation": False,
                    "disputed": False,
                    "promised": False,
                    "in_payment_plan": False,
                },
            ],
        )

    def test_aged_filters_by_level_and_status(self):
        self.assertEqual(self.aged([("status", "=", "disputed")]).move_id, self.a1)
        self.assertEqual(self.aged([("status", "=", "normal")]).move_id, self.a3 | self.c1)
        self.assertEqual(self.aged([("disputed", "=", True)]).move_id, self.a1 | self.b1)
        self.assertEqual(self.aged([("promised", "=", True)]).move_id, self.a2 | self.b2)
        self.assertEqual(self.aged([("in_payment_plan", "=", True)]).move_id, self.b2)
        self.assertEqual(self.aged([("litigation", "=", True)]).move_id, self.b1)
        self.assertEqual(self.aged([("dunning_level_id", "=", self.level_reminder.id)]).move_id, self.a1)
        self.assertEqual(self.aged([("dunning_level_id", "=", False)]).move_id, self.a2 | self.a3 | self.b2 | self.c1)
        # the same filters as the search view
        view = self.env.ref("credit_control.credit_control_aged_balance_view_search")
        for name in ("disputed", "promised", "in_payment_plan", "litigation", "group_dunning_level", "group_status"):
            self.assertIn(f'name="{name}"', view.arch)

    def test_aged_totals_unchanged_by_status_grouping(self):
        Aged = self.env["credit.control.aged.balance"].with_context(cc_aged_date="2026-03-31")
        domain = [("partner_id", "in", self.partners.ids)]
        by_status = dict(Aged._read_group(domain, ["status"], ["residual:sum"]))
        self.assertEqual(
            by_status,
            {"litigation": 4000.0, "disputed": 1000.0, "payment_plan": 1500.0, "promised": 2000.0, "normal": 3800.0},
        )
        by_level = dict(Aged._read_group(domain, ["dunning_level_id"], ["overdue:sum"]))
        self.assertEqual(
            by_level,
            {
                self.level_litigation: 4000.0,
                self.level_reminder: 1000.0,
                self.env["credit.control.dunning.level"]: 4300.0,
            },
        )
        # grand totals: by status, by level and ungrouped all equal the ledger at the date
        ledger = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ],
            [],
            ["balance:sum"],
        )[0][0]
        for groupby in ("status", "dunning_level_id", "partner_id"):
            total = sum(row["residual"] for row in Aged._cc_totals(groupby=groupby))
            self.assertAlmostEqual(total, ledger, places=2, msg=groupby)
        self.assertAlmostEqual(sum(self.aged().mapped("residual")), 12300.0, places=2)

    def test_aged_balance_print_by_status_and_level(self):
        wizard = self.env["credit.control.aged.balance.wizard"].create({"date": "2026-03-31"})
        data = wizard._cc_report_data()
        by_status = {line["label"]: (line["residual"], line["overdue"]) for line in data["by_status"]}
        self.assertEqual(by_status["In Litigation"], (4000.0, 4000.0))
        self.assertEqual(by_status["Disputed"][0], 1000.0)
        self.assertEqual(sum(line["residual"] for line in data["by_status"]), data["total"]["residual"])
        by_level = {line["label"]: line["overdue"] for line in data["by_level"]}
        self.assertEqual(by_level[self.level_litigation.display_name], 4000.0)
        self.assertEqual(by_level[self.level_reminder.display_name], 1000.0)
        self.assertEqual(sum(line["residual"] for line in data["by_level"]), data["total"]["residual"])
        html = self.env["ir.actions.report"]._render_qweb_html("credit_control.action_report_aged_balance", wizard.ids)[
            0
        ]
        for text in ("By Collection Status", "By Dunning Level", "In Litigation", self.level_reminder.name):
            self.assertIn(text, html.decode())

    # ------------------------------------------------------------
    # dashboard
    # ------------------------------------------------------------

    def test_exposure_by_status_and_level(self):
        board = self.dashboard()
        litigation, reminder = self.level_litigation.id, self.level_reminder.id
        # receivables 1,000 + 2,000 + 3,000 + 4,000 + 1,500 + 800 = 12,300
        self.assertRecordValues(
            board,
            [
                {
                    "receivables": 12300.0,
                    "exposure_litigation": 4000.0,
                    "exposure_disputed": 1000.0,
                    "exposure_payment_plan": 1500.0,
                    "exposure_promised": 2000.0,
                    "exposure_normal": 3800.0,
                }
            ],
        )
        # shares: 7,300 / 12,300 = 59.35 %, 4,000 / 12,300 = 32.52 %, 1,000 / 12,300 = 8.13 %
        self.assertRecordValues(
            board.level_line_ids,
            [
                {"dunning_level_id": False, "receivables": 7300.0, "overdue": 4300.0, "share": 59.35},
                {"dunning_level_id": litigation, "receivables": 4000.0, "overdue": 4000.0, "share": 32.52},
                {"dunning_level_id": reminder, "receivables": 1000.0, "overdue": 1000.0, "share": 8.13},
            ],
        )
        action = board.action_open_by_status()
        self.assertEqual(action["context"], {"cc_aged_date": "2026-03-31", "group_by": ["status"]})
        self.assertEqual(action["views"][0][1], "pivot")
        action = board.action_open_disputed()
        self.assertEqual(action["context"]["search_default_disputed"], 1)

    def test_dispute_kpis(self):
        board = self.dashboard()
        # open at 03-31: D1 (400) + D2 (whole invoice, 4,000); opened in the period: D1 + D2 + D3 (whole
        # invoice, 500) + D4 (300) = 5,200; invoices of the period: 1,000 + 2,000 + 3,000 + 1,500 + 500 = 8,000
        # -> 65 %; closed in the period: D3 26 days, D4 18 days -> 22 (D5 closed before the period)
        self.assertRecordValues(
            board,
            [
                {
                    "dispute_rate": 65.0,
                    "dispute_open_count": 2,
                    "dispute_open_amount": 4400.0,
                    "dispute_resolution_days": 22.0,
                }
            ],
        )
        # at 02-01 (period from 2025-11-04): D2 and D3 (closed on 02-05) were open: 4,000 + 500;
        # opened in the period: D2 + D3 = 4,500 over invoices 1,000 (a1) + 2,000 (a2) + 500 (b3) = 3,500;
        # closed in the period: D5 (30 days)
        past = self.dashboard(date_to="2026-02-01")
        self.assertRecordValues(
            past,
            [
                {
                    "dispute_rate": 128.57,
                    "dispute_open_count": 2,
                    "dispute_open_amount": 4500.0,
                    "dispute_resolution_days": 30.0,
                }
            ],
        )

    def test_partner_dso(self):
        # A: 6,000 open / 6,000 sales of the 90 days x 90 = 90; B: 5,500 / (1,500 + 500) x 90 = 247.5;
        # C: no sales in the 90 days, no DSO
        report = self.env["credit.control.partner.report"].search([("partner_id", "in", self.partners.ids)])
        self.assertRecordValues(
            report.sorted(lambda row: row.partner_id.name),
            [
                {"partner_id": self.partner_a.id, "receivable": 6000.0, "sales_recent": 6000.0, "dso": 90.0},
                {"partner_id": self.partner_b.id, "receivable": 5500.0, "sales_recent": 2000.0, "dso": 247.5},
                {"partner_id": self.partner_c.id, "receivable": 800.0, "sales_recent": 0.0, "dso": 0.0},
            ],
        )
        self.assertEqual(
            self.env["credit.control.partner.report"].search([("dso", ">", 100)]).partner_id, self.partner_b
        )
        board = self.dashboard()
        self.assertRecordValues(
            board.partner_line_ids,
            [
                {"partner_id": self.partner_b.id, "receivables": 5500.0, "sales": 2000.0, "dso_simple": 247.5},
                {"partner_id": self.partner_a.id, "receivables": 6000.0, "sales": 6000.0, "dso_simple": 90.0},
            ],
        )

    def test_partner_dso_period_is_a_company_setting(self):
        # 30 days: only March's invoices (A: 3,000) count; A: 6,000 / 3,000 x 30 = 60; B and C: none
        settings = self.env["res.config.settings"].create({"cc_dso_days": 30})
        settings.execute()
        self.assertEqual(self.env.company.cc_dso_days, 30)
        report = self.env["credit.control.partner.report"].search([("partner_id", "in", self.partners.ids)])
        self.assertRecordValues(
            report.sorted(lambda row: row.partner_id.name),
            [
                {"partner_id": self.partner_a.id, "sales_recent": 3000.0, "dso": 60.0},
                {"partner_id": self.partner_b.id, "sales_recent": 0.0, "dso": 0.0},
                {"partner_id": self.partner_c.id, "sales_recent": 0.0, "dso": 0.0},
            ],
        )
        with self.assertRaises(ValidationError) as error:
            self.env.company.cc_dso_days = 0
        self.assertIn("between 1 and 3,660 days", str(error.exception))
        self.assertEqual(self.env.company.cc_dso_days, 30)

    def test_dashboard_queries_do_not_grow_with_history(self):
        board = self.dashboard()

        def count_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            board._cc_kpis()
            return self.cr.sql_log_count - before

        count_queries()  # warm the caches of the ORM (rules, fields)
        counts = [count_queries()]
        for index in range(5):
            partner = self.env["res.partner"].create({"name": f"Historique {index}", "is_company": True})
            invoice = self.make_invoice(partner, 100.0 + index, invoice_date="2026-02-01", due_date="2026-03-01")
            invoice.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            ).cc_dunning_level_id = self.level_reminder
            self.env["credit.control.dispute"].create({"move_id": invoice.id, "date_open": "2026-03-01"})
        counts.append(count_queries())
        self.assertEqual(counts[0], counts[1], "more customers, invoices and disputes: same queries")
        self.assertLessEqual(counts[0], 7)

    # ------------------------------------------------------------
    # rights
    # ------------------------------------------------------------

    def test_salesperson_sees_own_customers_by_status(self):
        Aged = self.env["credit.control.aged.balance"].with_context(cc_aged_date="2026-03-31").with_user(self.salesman)
        by_status = dict(Aged._read_group([], ["status"], ["residual:sum"]))
        self.assertEqual(by_status, {"disputed": 1000.0, "promised": 2000.0, "normal": 3000.0})
        self.assertFalse(Aged.search([("litigation", "=", True)]))
        by_level = dict(Aged._read_group([], ["dunning_level_id"], ["residual:sum"]))
        self.assertEqual(set(by_level), {self.level_reminder, self.env["credit.control.dunning.level"]})
        with self.assertRaises(AccessError):
            self.env["credit.control.dashboard"].with_user(self.salesman).create({})
        manager = new_test_user(self.env, login="cockpit_boss", groups="credit_control.group_credit_control_user")
        self.assertEqual(
            Aged.with_user(manager).search([("status", "!=", "normal")]).partner_id, self.partner_a | self.partner_b
        )
