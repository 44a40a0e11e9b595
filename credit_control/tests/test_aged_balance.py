from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
class TestAgedBalance(CreditControlCommon):
    def aged(self, as_of, **domain):
        Aged = self.env["credit.control.aged.balance"].with_context(cc_aged_date=as_of)
        return Aged.search([(key, "=", value) for key, value in domain.items()])

    def ledger_balance(self, as_of):
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("date", "<=", as_of),
            ],
            [],
            ["balance:sum"],
        )
        return groups[0][0]

    def test_bucket_boundaries(self):
        partner = self.env["res.partner"].create({"name": "Buckets", "is_company": True})
        as_of = fields.Date.from_string("2026-06-30")
        expected = {
            0: "not_due",
            1: "period_1",
            30: "period_1",
            31: "period_2",
            60: "period_2",
            61: "period_3",
            90: "period_3",
            91: "period_4",
        }
        invoices = {}
        for days in expected:
            due = fields.Date.subtract(as_of, days=days)
            invoices[days] = self.make_invoice(partner, 100.0 + days, invoice_date="2026-01-01", due_date=due)
        rows = self.aged("2026-06-30", partner_id=partner.id)
        self.assertEqual(len(rows), len(expected))
        for days, bucket in expected.items():
            row = rows.filtered(lambda r, m=invoices[days]: r.move_id == m)
            self.assertEqual(row.days_overdue, days)
            for fname in ("not_due", "period_1", "period_2", "period_3", "period_4"):
                self.assertEqual(row[fname], 100.0 + days if fname == bucket else 0.0, (days, fname))
        # bounds configured per company move the edges
        self.company.write({"cc_aging_period_1": 15, "cc_aging_period_2": 45, "cc_aging_period_3": 75})
        row = self.aged("2026-06-30", move_id=invoices[30].id)
        self.assertEqual(row.period_2, 130.0)
        labels = self.env["credit.control.aged.balance"].fields_get(["period_1", "period_4"], ["string"])
        self.assertEqual((labels["period_1"]["string"], labels["period_4"]["string"]), ("1-15", "Over 75"))

    def test_as_of_date_reproduces_the_past(self):
        partner = self.env["res.partner"].create({"name": "Passé", "is_company": True})
        invoice = self.make_invoice(partner, 1000.0, invoice_date="2026-01-01", due_date="2026-01-31")
        self.pay(invoice, 400.0, date="2026-02-15")
        self.pay(invoice, 600.0, date="2026-03-20")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(self.aged("2025-12-31", partner_id=partner.id).mapped("residual"), [])
        before = self.aged("2026-02-10", partner_id=partner.id)
        self.assertRecordValues(before, [{"residual": 1000.0, "period_1": 1000.0, "days_overdue": 10}])
        between = self.aged("2026-02-20", partner_id=partner.id)
        self.assertRecordValues(between, [{"residual": 600.0, "period_1": 600.0, "days_overdue": 20}])
        self.assertFalse(self.aged("2026-03-20", partner_id=partner.id))

    def test_totals_equal_the_ledger(self):
        """Partial payments, credit notes, unallocated payments and two currencies."""
        eur = self.setup_other_currency("EUR", rates=[("2025-01-01", 2.0), ("2026-02-01", 2.5)])
        partner = self.env["res.partner"].create({"name": "Grand Livre", "is_company": True})
        other = self.env["res.partner"].create({"name": "Autre", "is_company": True})
        inv1 = self.make_invoice(partner, 1000.0, invoice_date="2026-01-05", due_date="2026-02-04")
        self.pay(inv1, 300.0, date="2026-01-20")
        inv2 = self.make_invoice(partner, 800.0, invoice_date="2026-01-10", currency=eur, due_date="2026-02-10")
        pay_eur = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=inv2.ids)
            .create(
                {
                    "amount": 500.0,
                    "currency_id": eur.id,
                    "payment_date": "2026-02-15",
                    "payment_difference_handling": "open",
                }
            )
            ._create_payments()
        )
        self.assertTrue(pay_eur)
        refund = self.make_invoice(partner, 150.0, invoice_date="2026-01-25", move_type="out_refund")
        self.assertEqual(refund.state, "posted")
        unallocated = self.env["account.payment"].create(
            {
                "amount": 90.0,
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": other.id,
                "date": "2026-01-28",
            }
        )
        unallocated.action_post()
        self.make_invoice(other, 2000.0, invoice_date="2025-09-01", due_date="2025-10-01")
        for as_of in ("2026-01-15", "2026-01-31", "2026-02-20", "2026-06-30"):
            total = sum(self.aged(as_of).mapped("residual"))
            self.assertAlmostEqual(total, self.ledger_balance(as_of), places=2, msg=as_of)
        # hand-computed at 2026-01-31: 1000 - 300 + 800 EUR at 2 (400) - 150 + 2000 - 90 = 2860
        rows = self.aged("2026-01-31")
        self.assertAlmostEqual(sum(rows.filtered(lambda r: r.partner_id in partner | other).mapped("residual")), 2860.0)

    def test_salesperson_sees_only_own_customers(self):
        own_user = new_test_user(self.env, login="vend_own", groups="sales_team.group_sale_salesman")
        mine = self.env["res.partner"].create({"name": "Mon client", "is_company": True, "user_id": own_user.id})
        theirs = self.env["res.partner"].create({"name": "Pas le mien", "is_company": True})
        self.make_invoice(mine, 100.0, due_date="2026-01-15")
        self.make_invoice(theirs, 200.0, due_date="2026-01-15")
        Aged = self.env["credit.control.aged.balance"].with_context(cc_aged_date="2026-03-01")
        self.assertEqual(Aged.with_user(own_user).search([]).partner_id, mine)
        manager = new_test_user(self.env, login="cc_boss", groups="credit_control.group_credit_control_user")
        self.assertEqual(
            Aged.with_user(manager).search([("partner_id", "in", (mine | theirs).ids)]).partner_id, mine | theirs
        )

    def test_print_pdf(self):
        partner = self.env["res.partner"].create({"name": "Imprimé SARL", "is_company": True})
        self.make_invoice(partner, 1234.0, invoice_date="2026-01-01", due_date="2026-01-31")
        wizard = self.env["credit.control.aged.balance.wizard"].create({"date": "2026-03-01"})
        data = wizard._cc_report_data()
        self.assertIn(partner, [row["partner_id"] for row in data["rows"]])
        self.assertEqual(data["labels"][0], "Not Due")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_control.action_report_aged_balance", wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        action = wizard.action_open()
        self.assertEqual(action["context"]["cc_aged_date"], "2026-03-01")


@tagged("post_install", "-at_install")
@freeze_time("2026-03-31")
class TestDashboard(CreditControlCommon):
    def test_kpis_against_hand_computed_figures(self):
        user = new_test_user(self.env, login="kpi_sales", groups="sales_team.group_sale_salesman")
        partner = self.env["res.partner"].create({"name": "KPI SA", "is_company": True, "user_id": user.id})
        # 90-day period ending 2026-03-31 starts on 2026-01-01
        inv_jan = self.make_invoice(partner, 3000.0, invoice_date="2026-01-10", due_date="2026-02-09")
        inv_feb = self.make_invoice(partner, 6000.0, invoice_date="2026-02-10", due_date="2026-03-12")
        self.make_invoice(partner, 9000.0, invoice_date="2026-03-05", due_date="2026-04-04")
        self.make_invoice(partner, 1000.0, invoice_date="2026-03-06", move_type="out_refund")
        self.pay(inv_jan, 3000.0, date="2026-02-09")
        self.pay(inv_feb, 1500.0, date="2026-03-20")
        for inv in self.env["account.move"].search([("partner_id", "=", partner.id)]):
            inv.invoice_user_id = user
        board = Form(self.env["credit.control.dashboard"])
        board.date_to = fields.Date.from_string("2026-03-31")
        board.period_days = 90
        board.user_id = user
        board = board.save()
        # receivables: 6000 - 1500 + 9000 - 1000 = 12,500; overdue: inv_feb 4,500 (due 03-12)
        # sales of the period: 3000 + 6000 + 9000 - 1000 = 17,000
        # DSO simple: 12,500 / 17,000 x 90 = 66.2; countback: March sales 8,000 (31 days) fit,
        # February 6,000 (28 days): 4,500 left -> 31 + 4,500/6,000 x 28 = 52.0
        # collection: installments due 01-01..03-31 = 3,000 + 6,000 (the refund has no due installment
        # in out_invoice), collected by 03-31 = 3,000 + 1,500 -> 50 %; credit notes 1,000 / 18,000
        self.assertRecordValues(
            board,
            [
                {
                    "receivables": 12500.0,
                    "overdue": 4500.0,
                    "overdue_share": 36.0,
                    "sales": 17000.0,
                    "dso_simple": 66.2,
                    "dso_countback": 52.0,
                    "collection_rate": 50.0,
                    "credit_note_rate": 5.56,
                    "margin_percent": 25.0,
                    "sales_to_make_up": 18000.0,
                    "top10_receivables": 12500.0,
                    "top10_share": 100.0,
                }
            ],
        )
        self.assertEqual(board.line_ids.user_id, user)
        self.assertEqual(board.line_ids.dso_simple, 66.2)
        # the monthly trend reads the same ledger
        march = self.env["credit.control.kpi.monthly"].search([("month", "=", "2026-03-01")])
        self.assertTrue(march)
        self.assertEqual(march.sales, 8000.0)
