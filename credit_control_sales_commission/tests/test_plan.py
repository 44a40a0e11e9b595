from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
class TestPlan(CommissionCommon):
    def test_rules_by_product_category_and_risk_class(self):
        class_c = self.env["credit.control.risk.class"].create({"code": "TCC", "name": "Watch (test)"})
        self.plan.write(
            {
                "rule_ids": [
                    Command.create({"sequence": 1, "product_id": self.product_part.id, "rate": 10.0}),
                    Command.create({"sequence": 2, "categ_id": self.categ_machines.id, "rate": 2.0}),
                    Command.create({"sequence": 3, "risk_class_id": class_c.id, "rate": 1.0}),
                ]
            }
        )
        invoice = self.invoice(
            [(self.product_part, 1, 100.0), (self.product_machine, 1, 1000.0), (self.product_service, 1, 400.0)],
            tax=False,
        )
        self.pay(invoice, 1500.0)
        # part: its own rule 10 %; machine: category (parent of Parts too) 2 %; service: default 5 %
        self.assertRecordValues(
            self.lines_of(invoice),
            [
                {"product_id": self.product_part.id, "rate": 10.0, "amount": 10.0},
                {"product_id": self.product_machine.id, "rate": 2.0, "amount": 20.0},
                {"product_id": self.product_service.id, "rate": 5.0, "amount": 20.0},
            ],
        )
        # a customer of risk class C: its service line falls to the class rule
        risky = self.env["res.partner"].create(
            {"name": "Client Risqué", "is_company": True, "cc_risk_class_id": class_c.id}
        )
        invoice = self.invoice([(self.product_service, 1, 400.0)], partner=risky, tax=False)
        self.pay(invoice, 400.0)
        self.assertRecordValues(self.lines_of(invoice), [{"rate": 1.0, "amount": 4.0}])

    def test_progressive_tiers_across_the_period(self):
        self.plan.write(
            {
                "tier_ids": [
                    Command.create({"threshold": 0.0, "rate": 2.0}),
                    Command.create({"threshold": 1000.0, "rate": 5.0}),
                ]
            }
        )
        first = self.invoice(800.0, tax=False)
        second = self.invoice(800.0, tax=False)
        payment = self.pay(first, 800.0, date="2026-01-05")
        self.pay(second, 800.0, date="2026-01-20")
        self.assertRecordValues(self.lines_of(first), [{"tiered": True, "rate": 2.0, "amount": 16.0}])
        # 200 at 2 % + 600 at 5 %
        self.assertRecordValues(self.lines_of(second), [{"tiered": True, "rate": 4.25, "amount": 34.0}])
        # a new period starts from the first tier again
        third = self.invoice(500.0, tax=False)
        self.pay(third, 500.0, date="2026-02-02")
        self.assertRecordValues(self.lines_of(third), [{"amount": 10.0}])
        # reversing the first January payment takes back what it cost at the top of the scale: f(800) - f(1600)
        payment.action_draft()
        reversal = self.lines_of(first).filtered(lambda line: line.kind == "reversal")
        self.assertRecordValues(reversal, [{"date": self.lines_of(first)[0].date, "amount": -34.0}])
        january = self.Line.search([("date", "<", "2026-02-01"), ("seller_partner_id", "=", self.anne.partner_id.id)])
        self.assertEqual(sum(january.mapped("amount")), 16.0)  # = 800 x 2 %, as if only the second was paid

    def test_cap_per_period(self):
        self.plan.cap_amount = 60.0
        invoice = self.invoice(1000.0, tax=False)
        other = self.invoice(1000.0, tax=False)
        self.pay(invoice, 1000.0, date="2026-03-03")
        payment = self.pay(other, 1000.0, date="2026-03-04")
        self.assertRecordValues(self.lines_of(invoice), [{"amount": 50.0}])
        self.assertRecordValues(self.lines_of(other), [{"amount": 10.0}])  # capped: 60 in March
        payment.action_draft()
        self.assertEqual(sum(self.Line.search([("date", ">=", "2026-03-01")]).mapped("amount")), 50.0)

    def test_beneficiaries_share_the_commission(self):
        self.plan.write(
            {
                "share_ids": [
                    Command.clear(),
                    Command.create({"role": "seller", "share": 80.0}),
                    Command.create({"role": "team_leader", "share": 20.0}),
                ]
            }
        )
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1200.0)
        self.assertRecordValues(
            self.lines_of(invoice),
            [
                {"beneficiary_user_id": self.anne.id, "seller_user_id": self.anne.id, "share": 80.0, "amount": 40.0},
                {"beneficiary_user_id": self.bruno.id, "seller_user_id": self.anne.id, "share": 20.0, "amount": 10.0},
            ],
        )
        # without a team, the leader's share goes to the seller
        self.team.crm_team_member_ids.unlink()
        invoice = self.invoice(100.0)
        self.pay(invoice, 120.0)
        self.assertRecordValues(
            self.lines_of(invoice), [{"beneficiary_user_id": self.anne.id, "share": 100.0, "amount": 5.0}]
        )

    def test_shares_must_add_up_to_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 100"):
            self.plan.write({"share_ids": [Command.create({"role": "team_leader", "share": 20.0})]})

    def test_one_plan_per_salesperson(self):
        with self.assertRaisesRegex(ValidationError, "two plans"):
            self.env["credit.control.commission.plan"].create(
                {"name": "Other", "default_rate": 3.0, "user_ids": [Command.set(self.anne.ids)]}
            )

    def test_line_salesperson_overrides_the_invoice(self):
        self.env["credit.control.commission.plan"].create(
            {"name": "Carl 10 %", "default_rate": 10.0, "user_ids": [Command.set(self.carl.ids)]}
        )
        invoice = self.invoice(
            [(self.product_service, 1, 600.0), (self.product_machine, 1, 400.0)], tax=False, post=False
        )
        invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_machine
        ).cc_commission_user_id = self.carl
        invoice.action_post()
        self.pay(invoice, 1000.0)
        self.assertRecordValues(
            self.lines_of(invoice),
            [
                {"beneficiary_user_id": self.anne.id, "base_amount": 600.0, "amount": 30.0},
                {"beneficiary_user_id": self.carl.id, "base_amount": 400.0, "amount": 40.0},
            ],
        )

    def test_agent_of_the_customer_is_paid_too(self):
        agent = self.env["res.partner"].create({"name": "Agence Sud", "cc_commission_agent": True})
        self.env["credit.control.commission.plan"].create(
            {"name": "Agents 3 %", "default_rate": 3.0, "agent_ids": [Command.set(agent.ids)]}
        )
        self.customer.cc_commission_agent_id = agent
        invoice = self.invoice(1000.0)
        self.assertEqual(invoice.cc_commission_agent_id, agent)
        self.pay(invoice, 600.0)
        self.assertRecordValues(
            self.lines_of(invoice),
            [
                {
                    "beneficiary_partner_id": self.anne.partner_id.id,
                    "beneficiary_user_id": self.anne.id,
                    "amount": 25.0,
                },
                {"beneficiary_partner_id": agent.id, "beneficiary_user_id": False, "amount": 15.0},
            ],
        )

    def test_exclusions(self):
        # a commission-free product, an excluded invoice
        invoice = self.invoice([(self.product_service, 1, 1000.0), (self.product_shipping, 1, 200.0)], tax=False)
        self.pay(invoice, 1200.0)
        self.assertRecordValues(self.lines_of(invoice), [{"product_id": self.product_service.id, "amount": 50.0}])
        excluded = self.invoice(1000.0, post=False)
        excluded.cc_commission_excluded = True
        excluded.action_post()
        self.pay(excluded, 1200.0)
        self.assertFalse(self.lines_of(excluded))

    def test_down_payment_earns_when_deducted(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.anne.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_service.id,
                            "product_uom_qty": 1,
                            "price_unit": 1000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 30.0})
        )
        down_payment = wizard._create_invoices(order)
        down_payment.invoice_date = "2026-01-05"
        down_payment.action_post()
        self.pay(down_payment, down_payment.amount_total)
        self.assertEqual(down_payment.payment_state, "paid")
        self.assertFalse(self.lines_of(down_payment))
        final = order._create_invoices(final=True)
        final.invoice_date = "2026-01-20"
        final.action_post()
        self.assertEqual(final.amount_untaxed, 700.0)
        self.pay(final, 350.0, date="2026-01-25")  # half of what is left: half of the order
        self.assertRecordValues(self.lines_of(final), [{"base_amount": 500.0, "amount": 25.0}])
        self.pay(final, 350.0, date="2026-01-26")
        self.assertEqual(sum(self.lines_of(final).mapped("amount")), 50.0)
