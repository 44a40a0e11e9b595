from freezegun import freeze_time

from odoo import Command
from odoo import fields
from odoo.tests import tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-02-20")
class TestAnalysis(CommissionCommon):
    def rows(self, date_from="2026-01-01", date_to="2026-02-28"):
        wizard = self.env["credit.control.commission.analysis.wizard"].create(
            {"date_from": date_from, "date_to": date_to}
        )
        return self.env["credit.control.commission.analysis"].search(
            wizard.action_show()["domain"], order="period_start"
        )

    def test_invoiced_collected_and_pending(self):
        invoice = self.invoice(1000.0, date="2026-01-05")  # 1,200 with tax
        self.invoice(400.0, date="2026-02-03")
        self.pay(invoice, 360.0, date="2026-01-10")  # 30 %
        self.pay(invoice, 120.0, date="2026-02-10")  # 10 %
        self.assertRecordValues(
            self.rows(),
            [
                # January: 5 % of 1,000 invoiced, 5 % of the 300 collected
                {
                    "period_start": fields.Date.to_date("2026-01-01"),
                    "beneficiary_user_id": self.anne.id,
                    "partner_id": self.customer.id,
                    "invoiced_base": 1000.0,
                    "invoiced_commission": 50.0,
                    "collected_base": 300.0,
                    "collected_commission": 15.0,
                    "pending_base": 0.0,
                    "pending_commission": 0.0,
                },
                # February (current): 400 invoiced, 100 collected, pending: 60 % of 1,000 + 400 still open
                {
                    "period_start": fields.Date.to_date("2026-02-01"),
                    "beneficiary_user_id": self.anne.id,
                    "partner_id": self.customer.id,
                    "invoiced_base": 400.0,
                    "invoiced_commission": 20.0,
                    "collected_base": 100.0,
                    "collected_commission": 5.0,
                    "pending_base": 1000.0,
                    "pending_commission": 50.0,
                },
            ],
        )

    def test_pending_counts_the_tier_already_reached(self):
        self.plan.write(
            {
                "tier_ids": [
                    Command.create({"threshold": 0.0, "rate": 2.0}),
                    Command.create({"threshold": 1000.0, "rate": 5.0}),
                ]
            }
        )
        paid = self.invoice(800.0, date="2026-02-02", tax=False)
        self.pay(paid, 800.0, date="2026-02-05")  # February: 800 collected at 2 %
        self.invoice(600.0, date="2026-02-06", tax=False)
        row = self.rows("2026-02-01", "2026-02-28")
        # invoiced: f(1,400) = 20 + 20; pending: f(800 + 600) - f(800) = 200 x 2 % + 400 x 5 % = 24
        self.assertRecordValues(
            row, [{"invoiced_commission": 40.0, "collected_commission": 16.0, "pending_commission": 24.0}]
        )
