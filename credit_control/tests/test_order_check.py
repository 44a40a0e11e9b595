from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestOrderCheck(CreditControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="sales_cc", groups="sales_team.group_sale_salesman_all_leads,account.group_account_invoice"
        )
        cls.manager = new_test_user(
            cls.env,
            login="manager_cc",
            groups="sales_team.group_sale_salesman_all_leads,credit_control.group_credit_control_manager",
        )

    def test_limit_boundary(self):
        self.make_invoice(self.customer, 600.0, due_date="2026-03-31")
        order = self.make_order(self.customer, 400.0)  # 600 + 400 = 1000 = limit: passes
        self.assertEqual(order.cc_check_state, "warning")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        late = self.make_order(self.customer, 0.01)  # one cent above
        self.assertEqual(late.cc_check_state, "blocked")
        with self.assertRaisesRegex(UserError, r"above the usable limit of \$\s1,000.00 by \$\s0.01"):
            late.with_user(self.salesman).action_confirm()
        self.assertEqual(late.state, "draft")

    def test_overdue_boundary(self):
        self.make_invoice(self.customer, 10.0, invoice_date="2026-01-01", due_date="2026-01-30")
        order = self.make_order(self.customer, 10.0)
        with freeze_time("2026-03-01"):  # 30 days late, 30 tolerated
            order.invalidate_recordset()
            self.assertEqual(order.cc_check_state, "ok")
        with freeze_time("2026-03-02"):  # 31 days late
            order.invalidate_recordset()
            self.assertEqual(order.cc_check_state, "blocked")
            with self.assertRaisesRegex(UserError, r"pay \$\s10.00 overdue since 2026-01-30"):
                order.action_confirm()
        with freeze_time("2026-03-01"):
            order.action_confirm()
            self.assertEqual(order.state, "sale")

    def test_any_overdue_blocks(self):
        self.class_b.any_overdue_blocks = True
        self.make_invoice(self.customer, 10.0, invoice_date="2026-02-01", due_date="2026-02-28")
        order = self.make_order(self.customer, 10.0)
        with self.assertRaisesRegex(UserError, "Overdue"):
            order.action_confirm()

    def test_hold_and_insolvency_block(self):
        order = self.make_order(self.customer, 10.0)
        self.customer.write({"cc_hold": True, "cc_hold_reason": "Litige"})
        with self.assertRaisesRegex(UserError, "Credit hold: Litige"):
            order.action_confirm()
        self.customer.write({"cc_hold": False, "cc_insolvency": True, "cc_insolvency_date": "2026-02-10"})
        with self.assertRaisesRegex(UserError, "Insolvency proceedings"):
            order.action_confirm()
        self.customer.cc_insolvency = False
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_every_failed_rule_listed(self):
        self.customer.write({"cc_hold": True, "cc_hold_reason": "Litige", "cc_risk_class_id": self.class_c.id})
        self.make_invoice(self.customer, 6000.0, invoice_date="2026-01-01", due_date="2026-01-15")
        order = self.make_order(self.customer, 1000.0)
        with self.assertRaises(UserError) as err:
            order.action_confirm()
        message = str(err.exception)
        for expected in (
            "Credit hold",
            "Overdue",
            "Credit limit",
            "Deposit",
            "receive a deposit of $\xa0300.00 (30 %)",
        ):
            self.assertIn(expected, message)

    def test_override_needs_manager_and_is_audited(self):
        self.customer.write({"cc_hold": True, "cc_hold_reason": "Litige"})
        order = self.make_order(self.customer, 10.0)
        # a salesperson's context flag is not an override
        with self.assertRaises(UserError):
            order.with_user(self.salesman).with_context(cc_override_reason="please").action_confirm()
        with self.assertRaises(UserError):
            self.env["credit.control.override.wizard"].with_user(self.salesman).create(
                {"order_id": order.id, "reason": "please"}
            ).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.cc_override_ids)
        action = order.with_user(self.manager).action_cc_override()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.manager).with_context(action["context"]))
        self.assertIn("Credit hold", wizard_form.rules)
        wizard_form.reason = "Paiement reçu par virement ce matin"
        wizard_form.save().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertRecordValues(
            order.cc_override_ids,
            [{"user_id": self.manager.id, "reason": "Paiement reçu par virement ce matin", "order_amount": 10.0}],
        )
        self.assertIn("Credit hold", order.cc_override_ids.rules)
        self.assertIn(
            "Credit block overridden",
            order.message_ids[:3].mapped("body")[0] + "".join(order.message_ids.mapped("body")),
        )

    def test_deposit_flow(self):
        self.customer.cc_risk_class_id = self.class_c
        order = self.make_order(self.customer, 1000.0)
        self.assertTrue(order.require_payment)
        self.assertEqual(order.prepayment_percent, 0.3)
        self.assertRecordValues(
            order, [{"cc_deposit_required": 300.0, "cc_deposit_missing": 300.0, "cc_check_state": "blocked"}]
        )
        with self.assertRaisesRegex(UserError, r"receive a deposit of \$\s300.00"):
            order.with_user(self.salesman).action_confirm()
        action = order.with_user(self.salesman).action_cc_create_deposit_invoice()
        deposit = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(deposit.state, "posted")
        self.assertEqual(deposit.amount_total, 300.0)
        # a posted but unpaid deposit does not unblock
        order.invalidate_recordset()
        self.assertEqual(order.cc_deposit_missing, 300.0)
        self.pay(deposit, 100.0)
        order.invalidate_recordset()
        self.assertEqual(order.cc_deposit_missing, 200.0)
        with self.assertRaises(UserError):
            order.action_confirm()
        self.pay(deposit, 200.0)
        order.invalidate_recordset()
        self.assertEqual(order.cc_deposit_missing, 0.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_class_proposes_payment_terms(self):
        term_30 = self.env.ref("account.account_payment_term_30days")
        self.class_b.payment_term_id = term_30
        order = self.make_order(self.customer, 10.0)
        self.assertEqual(order.payment_term_id, term_30)
        # the customer's own terms win
        immediate = self.env.ref("account.account_payment_term_immediate")
        self.customer.property_payment_term_id = immediate
        self.assertEqual(self.make_order(self.customer, 10.0).payment_term_id, immediate)

    def test_disabled_checks(self):
        self.customer.write({"cc_hold": True, "cc_hold_reason": "x"})
        self.company.cc_enabled = False
        order = self.make_order(self.customer, 10.0)
        self.assertFalse(order.cc_check_state)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_invoice_posting_block_option(self):
        self.customer.write({"cc_hold": True, "cc_hold_reason": "x"})
        invoice = self.make_invoice(self.customer, 10.0, post=False)
        self.company.cc_block_invoice_posting = True
        with self.assertRaisesRegex(UserError, "on credit hold"):
            invoice.action_post()
        self.company.cc_block_invoice_posting = False
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_confirmation_query_count_constant(self):
        light = self.env["res.partner"].create(
            {"name": "Léger", "is_company": True, "cc_risk_class_id": self.class_b.id}
        )
        heavy = self.env["res.partner"].create(
            {"name": "Lourd", "is_company": True, "cc_risk_class_id": self.class_b.id}
        )
        self.make_invoice(light, 1.0, due_date="2026-03-31")
        for day in range(1, 16):
            self.make_invoice(heavy, 1.0, invoice_date=f"2026-02-{day:02d}", due_date="2026-03-31")
        counts = []
        # the web client's context carries the time zone (else today's date reads the user)
        orders = {partner: self.make_order(partner, 5.0).with_context(tz="Europe/Paris") for partner in (light, heavy)}
        for partner in (light, heavy, light):
            order = orders[partner]
            order._cc_check_credit()  # warm the ORM caches (access rules, groups)
            self.env.flush_all()
            self.env.invalidate_all()
            queries_before = self.cr.sql_log_count
            order._cc_check_credit()
            counts.append(self.cr.sql_log_count - queries_before)
        # the first check of the test pays for the ORM's caches; then 1 invoice or 15, same count:
        # the order, its company, the deposit received, the customers' commercial partner, the
        # currency and the figures (with the lock of the customer in the same statement)
        self.assertEqual(counts[1], counts[2], counts)
        self.assertLessEqual(counts[1], 6, counts)
