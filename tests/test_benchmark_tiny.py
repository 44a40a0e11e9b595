"""The benchmark at a tiny size, inside the test transaction, so that it never rots: the generator
builds a consistent book, its checks catch a broken one, and every job of ours and of the SQL
floor runs on it (OCA's jobs run in the benchmark only: OCA's addons are not installed here)."""

from odoo import fields
from odoo.tests import TransactionCase
from odoo.tests import tagged

from .benchmarks import jobs
from .benchmarks.generator import BookGenerator
from .benchmarks.generator import check_book

INVOICES = 150
CUSTOMERS = 15


@tagged("post_install", "-at_install")
class TestBenchmarkTiny(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.generator = BookGenerator(cls.env, invoices=INVOICES, customers=CUSTOMERS, seed=7, today=cls.today)
        cls.stats = cls.generator.run()

    def _rollback_after(self):
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT tiny_bench")

        def rollback():
            self.env.clear()
            self.env.cr.execute("ROLLBACK TO SAVEPOINT tiny_bench")

        return rollback

    def test_book_shape(self):
        stats = self.stats
        self.assertEqual(stats["customers"], CUSTOMERS)
        self.assertEqual(stats["invoices_posted"], INVOICES)
        self.assertEqual(stats["invoices_draft"], 1)  # 1 %, at least one
        self.assertEqual(sum(stats["payment_states"].values()), INVOICES)
        self.assertGreater(stats["payment_states"].get("paid", 0), 0)
        self.assertEqual(stats["payments_unallocated"], 1)
        self.assertEqual(stats["credit_notes_open"], 1)
        partners = self.env["res.partner"].search([("ref", "=like", "BENCH-%"), ("is_company", "=", True)])
        self.assertEqual(len(partners), CUSTOMERS)
        codes = set(partners.mapped("cc_risk_class_id.code"))
        self.assertTrue(codes <= {"A", "B", "C", "D"} and len(codes) >= 3, codes)
        heavy = partners.filtered(lambda p: p.ref == "BENCH-1")
        self.assertRecordValues(heavy, [{"cc_use_custom_limit": True, "cc_credit_limit": 10_000_000.0}])
        invoices = self.env["account.move"].search(
            [("commercial_partner_id", "=", heavy.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted")]
        )
        self.assertEqual(len(invoices), stats["max_invoices_per_customer"])

    def test_book_is_consistent(self):
        result = check_book(self.env, today=self.today, sample=INVOICES * 2)
        self.assertEqual(result["problems"], [])
        self.assertEqual(result["unbalanced_moves"], 0)
        self.assertEqual(result["aged_balance_total"], result["ledger_receivable"])
        self.assertGreater(result["orm_sample"]["moves"], 100)

    def test_check_catches_a_broken_book(self):
        self.addCleanup(self._rollback_after())
        self.env.cr.execute(
            """UPDATE account_move_line SET amount_residual = amount_residual + 1
                WHERE id = (SELECT l.id FROM account_move_line l JOIN account_move m ON m.id = l.move_id
                             WHERE m.payment_state = 'not_paid' AND l.display_type = 'payment_term'
                               AND m.state = 'posted' ORDER BY l.id LIMIT 1)"""
        )
        with self.assertRaisesRegex(AssertionError, "lines_with_wrong_residual: 1"):
            check_book(self.env, today=self.today, sample=INVOICES * 2)

    def test_jobs_run(self):
        extra = {"render_limit": 3, "payments": 2}
        ran = []
        for spec in jobs.JOBS.values():
            if spec.db != "ours":
                continue
            ok, _why = jobs.available(self.env, spec)
            if not ok:
                continue
            rollback = self._rollback_after()
            try:
                ctx = jobs.Ctx(self.env, extra=dict(extra))
                summary = spec.func(self.env, ctx)
            finally:
                rollback()
            self.assertIsInstance(summary, dict, spec.name)
            self.assertGreater(ctx.queries, 0, spec.name)
            self.assertGreater(ctx.seconds, 0.0, spec.name)
            ran.append(spec.name)
        for name in ("ours.exposure_all", "sql.exposure_all", "ours.over_limit_search", "ours.aged_balance"):
            self.assertIn(name, ran)

    def test_exposure_matches_the_floor(self):
        rollback = self._rollback_after()
        self.addCleanup(rollback)
        ours = jobs.JOBS["ours.exposure_all"].func(self.env, jobs.Ctx(self.env))
        floor = jobs.JOBS["sql.exposure_all"].func(self.env, jobs.Ctx(self.env))
        # every customer with an open receivable is in our figures (ours also lists orders and classes)
        self.assertGreaterEqual(ours["customers"], floor["customers"])
        self.assertGreater(floor["customers"], 0)
