from odoo import Command
from odoo.tests import tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
class TestCollection(CommissionCommon):
    def test_partial_payments_in_steps_sum_to_full_commission(self):
        # 1,000 untaxed + 20 % tax = 1,200; 5 % of 1,000 = 50 once fully paid
        invoice = self.invoice(1000.0)
        self.pay(invoice, 360.0, date="2026-01-10")  # 30 % of the total
        self.pay(invoice, 240.0, date="2026-01-25")  # 20 %
        self.pay(invoice, 600.0, date="2026-02-03")  # 50 %
        self.assertRecordValues(
            self.lines_of(invoice),
            [
                {
                    "date": invoice.invoice_date.replace(day=10),
                    "fraction": 30.0,
                    "base_amount": 300.0,
                    "amount": 15.0,
                    "beneficiary_user_id": self.anne.id,
                    "kind": "collection",
                },
                {
                    "date": invoice.invoice_date.replace(day=25),
                    "fraction": 20.0,
                    "base_amount": 200.0,
                    "amount": 10.0,
                    "beneficiary_user_id": self.anne.id,
                    "kind": "collection",
                },
                {
                    "date": invoice.invoice_date.replace(month=2, day=3),
                    "fraction": 50.0,
                    "base_amount": 500.0,
                    "amount": 25.0,
                    "beneficiary_user_id": self.anne.id,
                    "kind": "collection",
                },
            ],
        )
        self.assertEqual(sum(self.lines_of(invoice).mapped("amount")), 50.0)
        self.assertEqual(invoice.cc_commission_amount, 50.0)

    def test_payment_date_is_the_later_of_the_two_items(self):
        # a payment received before the invoice was issued is collected when they are matched: on the invoice date
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 1200.0,
                "date": "2026-01-02",
            }
        )
        payment.action_post()
        invoice = self.invoice(1000.0, date="2026-01-20")
        credit = payment.move_id.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        (invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable") + credit).reconcile()
        self.assertRecordValues(self.lines_of(invoice), [{"date": invoice.invoice_date, "amount": 50.0}])

    def test_overpayment_never_exceeds_the_invoice(self):
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1500.0)
        self.assertRecordValues(self.lines_of(invoice), [{"fraction": 100.0, "base_amount": 1000.0, "amount": 50.0}])
        # the 300 left on the payment pays a second invoice: it earns on that one only
        second = self.invoice(250.0, date="2026-01-11")
        open_credit = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("credit", ">", 0),
            ]
        )
        (second.line_ids.filtered(lambda line: line.account_type == "asset_receivable") + open_credit).reconcile()
        self.assertRecordValues(self.lines_of(second), [{"fraction": 100.0, "base_amount": 250.0, "amount": 12.5}])
        self.assertEqual(sum(self.lines_of(invoice).mapped("amount")), 50.0)

    def test_foreign_currency_converted_at_payment_date(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0), ("2026-02-01", 2.5)])
        invoice = self.invoice(1000.0, date="2026-01-15", currency=eur, tax=False)  # 500 in company currency
        self.assertEqual(invoice.amount_total_signed, 500.0)
        self.pay(invoice, 400.0, date="2026-01-20", currency=eur)  # 40 % at 2.0: base 200
        self.pay(invoice, 600.0, date="2026-02-10", currency=eur)  # 60 % at 2.5: base 240
        self.assertRecordValues(
            self.lines_of(invoice),
            [
                {"fraction": 40.0, "revenue_amount": 200.0, "base_amount": 200.0, "amount": 10.0},
                {"fraction": 60.0, "revenue_amount": 240.0, "base_amount": 240.0, "amount": 12.0},
            ],
        )

    def test_company_currency_payment_of_foreign_invoice(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0), ("2026-02-01", 2.5)])
        invoice = self.invoice(1000.0, date="2026-01-15", currency=eur, tax=False)
        # 200 in company currency on 2026-02-10 = 500 EUR: half the invoice, base 500 EUR at 2.5 = 200
        self.pay(invoice, 200.0, date="2026-02-10", currency=self.currency)
        self.assertRecordValues(self.lines_of(invoice), [{"fraction": 50.0, "base_amount": 200.0, "amount": 10.0}])

    def test_credit_note_against_paid_invoice_claws_back(self):
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1200.0, date="2026-01-10")
        refund = self.invoice(200.0, date="2026-01-20", move_type="out_refund")  # 240 with tax
        self.assertFalse(self.lines_of(refund))  # nothing until the money goes back
        self.pay(refund, 240.0, date="2026-01-22")
        self.assertRecordValues(
            self.lines_of(refund),
            [{"date": refund.invoice_date.replace(day=22), "base_amount": -200.0, "amount": -10.0}],
        )
        self.assertEqual(sum(self.Line.search([("partner_id", "=", self.customer.id)]).mapped("amount")), 40.0)

    def test_credit_note_against_open_invoice_earns_nothing(self):
        invoice = self.invoice(1000.0)
        reversal = invoice._reverse_moves(
            [{"invoice_date": "2026-01-12", "invoice_user_id": self.anne.id}], cancel=True
        )
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertRecordValues(self.lines_of(invoice), [{"base_amount": 1000.0, "amount": 50.0}])
        self.assertRecordValues(self.lines_of(reversal), [{"base_amount": -1000.0, "amount": -50.0}])

    def test_unreconcile_reverses_and_rereconcile_books_again(self):
        invoice = self.invoice(1000.0)
        payment = self.pay(invoice, 600.0, date="2026-01-10")
        first = self.lines_of(invoice)
        self.assertRecordValues(first, [{"amount": 25.0}])
        receivable = payment.move_id.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        receivable.remove_move_reconcile()
        reversal = self.lines_of(invoice) - first
        self.assertRecordValues(
            reversal,
            [
                {
                    "kind": "reversal",
                    "date": first.date,
                    "base_amount": -500.0,
                    "fraction": -50.0,
                    "amount": -25.0,
                    "reversed_line_id": first.id,
                    "partial_ref": first.partial_ref,
                }
            ],
        )
        (receivable + invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")).reconcile()
        again = self.lines_of(invoice) - first - reversal
        self.assertRecordValues(again, [{"kind": "collection", "amount": 25.0}])
        # a second unreconciliation only reverses the new collection
        receivable.remove_move_reconcile()
        self.assertEqual(sum(self.lines_of(invoice).mapped("amount")), 0.0)
        self.assertEqual(len(self.lines_of(invoice)), 4)

    def test_cancelled_payment_gives_commission_back(self):
        invoice = self.invoice(1000.0)
        payment = self.pay(invoice, 1200.0)
        payment.action_draft()
        self.assertEqual(sum(self.lines_of(invoice).mapped("amount")), 0.0)

    def test_write_off_earns_nothing(self):
        invoice = self.invoice(1000.0, tax=False)
        expense = self.company_data["default_account_expense"]
        # the customer pays 950, the seller writes off 50: 95 % collected
        self.pay(invoice, 950.0, writeoff_account=expense)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertRecordValues(self.lines_of(invoice), [{"fraction": 95.0, "base_amount": 950.0, "amount": 47.5}])
        # a write-off entry (or a reclassification to doubtful) reconciled with the invoice earns nothing
        other = self.invoice(400.0, tax=False)
        receivable = other.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2026-01-31",
                "line_ids": [
                    Command.create(
                        {"account_id": receivable.account_id.id, "partner_id": self.customer.id, "credit": 400.0}
                    ),
                    Command.create({"account_id": expense.id, "debit": 400.0}),
                ],
            }
        )
        entry.action_post()
        (receivable + entry.line_ids.filtered(lambda line: line.account_id == receivable.account_id)).reconcile()
        self.assertEqual(other.payment_state, "paid")
        self.assertFalse(self.lines_of(other))

    def test_margin_base_uses_cost_at_invoicing(self):
        self.plan.base = "margin"
        # 2 machines at 500 = 1,000, cost 2 x 300 = 600: margin 400
        invoice = self.invoice([(self.product_machine, 2, 500.0)])
        self.assertEqual(invoice.invoice_line_ids.cc_commission_cost, 600.0)
        self.product_machine.standard_price = 450.0  # later cost changes do not move the margin invoiced
        self.pay(invoice, 600.0)  # 50 %
        self.assertRecordValues(
            self.lines_of(invoice),
            [{"revenue_amount": 500.0, "cost_amount": 300.0, "base_amount": 200.0, "amount": 10.0}],
        )
        refund = self.invoice([(self.product_machine, 1, 500.0)], move_type="out_refund")  # cost now 450
        self.pay(refund, 600.0)
        self.assertRecordValues(
            self.lines_of(refund),
            [{"revenue_amount": -500.0, "cost_amount": -450.0, "base_amount": -50.0, "amount": -2.5}],
        )

    def test_no_plan_no_line(self):
        invoice = self.invoice(1000.0, user=self.carl)
        self.pay(invoice, 1200.0)
        self.assertFalse(self.lines_of(invoice))
