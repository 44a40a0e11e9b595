from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged

from ..models.pg import without_jit
from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestCreditFigures(CreditControlCommon):
    def test_exposure_components(self):
        """Exposure = open receivables (credit notes and unallocated payments deducted)
        + draft invoices + confirmed orders not yet invoiced."""
        invoice = self.make_invoice(self.customer, 1000.0, due_date="2026-03-31")
        self.make_invoice(self.contact, 300.0, due_date="2026-03-31")  # a contact's invoice counts
        self.make_invoice(self.customer, 200.0, move_type="out_refund")
        self.make_invoice(self.customer, 150.0, post=False)
        payment = self.env["account.payment"].create(
            {"amount": 100.0, "payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id}
        )
        payment.action_post()
        self.pay(invoice, 400.0)
        self.make_order(self.customer, 250.0, confirm=True)
        # 1000 - 400 paid + 300 - 200 refund - 100 unallocated = 600 receivable
        self.assertRecordValues(
            self.customer,
            [
                {
                    "cc_receivable": 600.0,
                    "cc_draft_invoiced": 150.0,
                    "cc_order_uninvoiced": 250.0,
                    "cc_exposure": 1000.0,
                    "cc_overdue_amount": 0.0,
                    "cc_effective_limit": 1000.0,
                    "cc_available_credit": 0.0,
                    "cc_status": "warning",
                }
            ],
        )
        # the contact shows its company's figures
        self.assertEqual(self.contact.cc_exposure, 1000.0)

    def test_invoiced_order_leaves_orders_part(self):
        order = self.make_order(self.customer, 400.0, confirm=True)
        self.assertEqual(self.customer.cc_order_uninvoiced, 400.0)
        invoice = order._create_invoices()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.cc_order_uninvoiced, 0.0)
        self.assertEqual(self.customer.cc_draft_invoiced, 400.0)
        invoice.action_post()
        self.customer.invalidate_recordset()
        self.assertRecordValues(
            self.customer, [{"cc_draft_invoiced": 0.0, "cc_receivable": 400.0, "cc_exposure": 400.0}]
        )

    def test_overdue_and_guarantees(self):
        self.make_invoice(self.customer, 500.0, invoice_date="2026-01-01", due_date="2026-01-20")
        self.make_invoice(self.customer, 700.0, invoice_date="2026-02-01", due_date="2026-02-20")
        self.make_invoice(self.customer, 100.0, invoice_date="2026-02-25", due_date="2026-03-25")
        self.env["credit.control.guarantee"].create(
            {"partner_id": self.customer.id, "guarantee_type": "bank_guarantee", "amount": 2000.0}
        )
        self.env["credit.control.guarantee"].create(  # expired: ignored
            {"partner_id": self.customer.id, "amount": 9000.0, "date_end": "2026-02-01"}
        )
        self.assertRecordValues(
            self.customer,
            [
                {
                    "cc_overdue_amount": 1200.0,
                    "cc_overdue_days": 40,  # 2026-01-20 to 2026-03-01
                    "cc_guarantee_amount": 2000.0,
                    "cc_available_credit": 1700.0,  # 1000 + 2000 - 1300
                    "cc_status": "blocked",  # 40 days > 30 tolerated
                }
            ],
        )
        self.assertIn("pay $\xa01,200.00 overdue since 2026-01-20", self.customer.cc_status_reasons)

    def test_multi_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2025-01-01", 2.0)])
        # 1000 EUR at 2 EUR per company unit = 500 in company currency
        self.make_invoice(self.customer, 1000.0, currency=eur, due_date="2026-03-31")
        self.make_order(self.customer, 300.0, currency=eur, confirm=True)
        self.env["credit.control.guarantee"].create(
            {"partner_id": self.customer.id, "amount": 100.0, "currency_id": eur.id}
        )
        self.assertRecordValues(
            self.customer,
            [{"cc_receivable": 500.0, "cc_order_uninvoiced": 150.0, "cc_exposure": 650.0, "cc_guarantee_amount": 50.0}],
        )

    def test_multi_company(self):
        other = self.setup_other_company(name="Filiale")["company"]
        self.make_invoice(self.customer, 800.0, due_date="2026-03-31")
        class_other = (
            self.env["credit.control.risk.class"]
            .with_company(other)
            .create({"code": "X", "name": "Other", "credit_limit": 100.0, "company_id": other.id})
        )
        customer_other = self.customer.with_company(other)
        customer_other.cc_risk_class_id = class_other
        invoice_other = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-01-01",
                    "invoice_date_due": "2026-01-15",
                    "invoice_line_ids": [
                        Command.create({"name": "l", "price_unit": 50.0, "tax_ids": [Command.clear()]})
                    ],
                }
            )
        )
        invoice_other.action_post()
        self.assertRecordValues(
            self.customer.with_company(self.company),
            [
                {
                    "cc_exposure": 800.0,
                    "cc_risk_class_id": self.class_b.id,
                    "cc_overdue_amount": 0.0,
                    "cc_status": "warning",
                }
            ],
        )
        self.assertRecordValues(
            customer_other,
            [
                {
                    "cc_exposure": 50.0,
                    "cc_risk_class_id": class_other.id,
                    "cc_overdue_amount": 50.0,
                    "cc_effective_limit": 100.0,
                }
            ],
        )

    def test_search_filters(self):
        blocked = self.env["res.partner"].create(
            {"name": "Bloqué", "is_company": True, "cc_risk_class_id": self.class_b.id}
        )
        self.make_invoice(blocked, 1500.0, invoice_date="2025-12-01", due_date="2025-12-15")
        ok = self.env["res.partner"].create({"name": "Sain", "is_company": True, "cc_risk_class_id": self.class_b.id})
        self.make_invoice(ok, 10.0, due_date="2026-04-01")
        Partner = self.env["res.partner"]
        partners = blocked | ok | self.customer
        self.assertEqual(Partner.search([("id", "in", partners.ids), ("cc_status", "=", "blocked")]), blocked)
        self.assertEqual(Partner.search([("id", "in", partners.ids), ("cc_status", "=", "ok")]), ok | self.customer)
        self.assertEqual(Partner.search([("id", "in", partners.ids), ("cc_available_credit", "<", 0)]), blocked)
        self.assertEqual(Partner.search([("id", "in", partners.ids), ("cc_overdue_days", ">", 60)]), blocked)
        self.assertEqual(Partner.search([("id", "in", partners.ids), ("cc_overdue_days", ">", 90)]), Partner)
        self.assertEqual(Partner.search([("id", "in", partners.ids), ("cc_exposure", ">=", 10)]), blocked | ok)
        report = self.env["credit.control.partner.report"].search(
            [("partner_id", "in", partners.ids)], order="exposure desc"
        )
        self.assertEqual(report.partner_id, blocked | ok | self.customer)
        self.assertEqual(report[0].status, "blocked")

    def test_query_count_independent_of_history(self):
        small = self.env["res.partner"].create(
            {"name": "Petit", "is_company": True, "cc_risk_class_id": self.class_b.id}
        )
        big = self.env["res.partner"].create({"name": "Gros", "is_company": True, "cc_risk_class_id": self.class_b.id})
        self.make_invoice(small, 10.0)
        for day in range(1, 21):
            self.make_invoice(big, 10.0 + day, invoice_date=f"2026-01-{day:02d}")
            self.make_order(big, 5.0, confirm=True)
        many = self.env["res.partner"].search([("is_company", "=", True)])
        many.mapped("cc_exposure")  # warm the caches of the ORM (rules, fields)
        # one query for the figures, plus reading the partners' commercial entity and company-dependent fields
        counts = []
        for partners in (small, big, many):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            partners.mapped("cc_exposure")
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts, [counts[0]] * 3, "one partner, a heavy one or all of them: same queries")
        self.assertLessEqual(counts[0], 6)

    def test_all_customers_without_jit(self):
        """The figures of every customer are read with PostgreSQL's JIT off (seconds of compilation
        at 100,000 invoices), and the transaction's setting is given back afterwards."""
        self.make_invoice(self.customer, 100.0)
        self.env.flush_all()
        self.cr.execute("SET LOCAL jit = on")
        Partner = self.env["res.partner"]
        with freeze_time("2026-03-31"):
            figures = Partner._cc_read_figures(None, self.env.company)
        self.assertIn(self.customer.id, figures)
        self.cr.execute("SHOW jit")
        self.assertEqual(self.cr.fetchone()[0], "on", "the setting of the transaction is given back")
        with without_jit(self.cr):
            self.cr.execute("SHOW jit")
            self.assertEqual(self.cr.fetchone()[0], "off")
        self.cr.execute("SHOW jit")
        self.assertEqual(self.cr.fetchone()[0], "on")

    def test_bad_input_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.customer.write({"cc_use_custom_limit": True, "cc_credit_limit": -5.0})
        self.assertEqual(self.customer.cc_credit_limit, 0.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.class_c.deposit_percent = 120.0
        self.assertEqual(self.class_c.deposit_percent, 30.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["credit.control.risk.class"].create({"code": "Z", "name": "Z", "deposit_percent": -1})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.customer.cc_risk_class_id = 987654321
        self.assertEqual(self.customer.cc_risk_class_id, self.class_b)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["credit.control.guarantee"].create({"partner_id": self.customer.id, "amount": -10.0})

    def test_salesperson_reads_but_cannot_change(self):
        salesman = new_test_user(
            self.env, login="vendeur", groups="sales_team.group_sale_salesman,base.group_partner_manager"
        )
        self.make_invoice(self.customer, 1200.0, due_date="2026-03-31")
        customer = self.customer.with_user(salesman)
        self.assertEqual(customer.cc_status, "blocked")
        self.assertIn("Credit limit", customer.cc_status_reasons)
        for vals in ({"cc_credit_limit": 99999.0}, {"cc_risk_class_id": self.class_c.id}, {"cc_hold": False}):
            with self.assertRaisesRegex(AccessError, "Only credit managers"), self.cr.savepoint():
                customer.write(vals)
        # ordinary fields stay editable
        customer.write({"phone": "+33 1 23 45 67 89"})
        manager = new_test_user(self.env, login="credman", groups="credit_control.group_credit_control_manager")
        self.customer.with_user(manager).write({"cc_use_custom_limit": True, "cc_credit_limit": 5000.0})
        self.assertEqual(self.customer.cc_status, "ok")

    def test_hold_is_stamped_and_tracked(self):
        self.customer.write({"cc_hold": True, "cc_hold_reason": "Chèque impayé"})
        self.assertEqual(self.customer.cc_hold_user_id, self.env.user)
        self.assertTrue(self.customer.cc_hold_date)
        self.assertEqual(self.customer.cc_status, "blocked")
        self.assertEqual(self.contact.cc_hold, True)
        self.customer.cc_hold = False
        self.assertFalse(self.customer.cc_hold_user_id)
        self.assertEqual(self.customer.cc_status, "ok")
