from odoo import Command
from odoo.tests import tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
class TestPerformance(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "share_ids": [
                    Command.clear(),
                    Command.create({"role": "seller", "share": 80.0}),
                    Command.create({"role": "team_leader", "share": 20.0}),
                ],
                "tier_ids": [
                    Command.create({"threshold": 0.0, "rate": 2.0}),
                    Command.create({"threshold": 5000.0, "rate": 4.0}),
                ],
                "rule_ids": [Command.create({"categ_id": cls.categ_machines.id, "rate": 3.0})],
            }
        )

    def collect_queries(self, partials):
        """Queries of the commission hook alone for ``partials``, lines removed first."""
        self.Line.search([("partial_ref", "in", partials.ids)]).sudo().unlink()
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        created = self.Line._cc_collect(partials)
        self.env.flush_all()
        return self.env.cr.sql_log_count - start, created

    def test_queries_per_reconciliation_do_not_grow(self):
        single = self.invoice([(self.product_service, 1, 100.0)])
        self.pay(single, single.amount_total)
        invoices = self.env["account.move"]
        for _index in range(6):
            invoices |= self.invoice(
                [(self.product_service, 1, 100.0), (self.product_machine, 2, 300.0), (self.product_part, 5, 20.0)]
            )
        self.pay(invoices, sum(invoices.mapped("amount_total")))
        Partial = self.env["account.partial.reconcile"]
        few, lines_few = self.collect_queries(Partial.search([("debit_move_id.move_id", "=", single.id)]))
        many, lines_many = self.collect_queries(Partial.search([("debit_move_id.move_id", "in", invoices.ids)]))
        self.assertEqual(len(lines_few), 2)  # Anne 80 %, Bruno 20 %
        self.assertEqual(len(lines_many), 6 * 3 * 2)
        self.assertEqual(few, many, "the hook's queries grow with the number of invoices and lines")
        self.assertLessEqual(many, 14)
