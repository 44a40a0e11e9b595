import base64
import csv
import io
import zipfile

from freezegun import freeze_time

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CommissionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-02-15")
class TestSettlement(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Settlement = cls.env["credit.control.commission.settlement"]
        cls.agent = cls.env["res.partner"].create({"name": "Agence Nord", "cc_commission_agent": True})
        cls.env["credit.control.commission.plan"].create(
            {"name": "Agents 3 %", "default_rate": 3.0, "agent_ids": [Command.set(cls.agent.ids)]}
        )
        cls.customer.cc_commission_agent_id = cls.agent

    def settle(self, date_to):
        wizard = self.env["credit.control.commission.settle"].create({"date_to": date_to})
        return self.Settlement.search([("id", "in", wizard.action_settle()["domain"][0][2])], order="id")

    def test_settle_validate_lock_and_next_period_reversal(self):
        invoice = self.invoice(1000.0)
        payment = self.pay(invoice, 1200.0, date="2026-01-20")
        self.assertEqual(
            self.env["credit.control.commission.settle"].create({}).date_to, fields.Date.to_date("2026-01-31")
        )
        january = self.settle("2026-01-31")
        anne = january.filtered(lambda s: s.beneficiary_user_id == self.anne)
        self.assertRecordValues(
            january.sorted("beneficiary_type"),
            [
                {
                    "beneficiary_partner_id": self.agent.id,
                    "beneficiary_type": "agent",
                    "amount_total": 30.0,
                    "period_start": fields.Date.to_date("2026-01-01"),
                    "period_end": fields.Date.to_date("2026-01-31"),
                    "state": "draft",
                },
                {
                    "beneficiary_partner_id": self.anne.partner_id.id,
                    "beneficiary_type": "employee",
                    "amount_total": 50.0,
                    "period_start": fields.Date.to_date("2026-01-01"),
                    "period_end": fields.Date.to_date("2026-01-31"),
                    "state": "draft",
                },
            ],
        )
        # a January collection booked while the settlement is a draft joins it
        late = self.invoice(100.0)
        self.pay(late, 120.0, date="2026-01-28")
        self.assertEqual(anne.amount_total, 55.0)
        january.action_validate()
        self.assertEqual(anne.state, "validated")
        with self.assertRaisesRegex(UserError, "locked"):
            anne.line_ids[0].sudo().write({"amount": 0.0})
        # unreconciled in February: the reversal keeps its January payment date but goes to February
        payment.action_draft()
        reversal = self.lines_of(invoice).filtered(lambda line: line.kind == "reversal")
        self.assertRecordValues(
            reversal,
            [
                {
                    "beneficiary_partner_id": self.anne.partner_id.id,
                    "date": fields.Date.to_date("2026-01-20"),
                    "period_start": fields.Date.to_date("2026-02-01"),
                    "amount": -50.0,
                    "settlement_id": False,
                },
                {
                    "beneficiary_partner_id": self.agent.id,
                    "date": fields.Date.to_date("2026-01-20"),
                    "period_start": fields.Date.to_date("2026-02-01"),
                    "amount": -30.0,
                    "settlement_id": False,
                },
            ],
        )
        self.assertEqual(anne.amount_total, 55.0)  # the validated settlement did not move
        february = self.settle("2026-02-28").filtered(lambda s: s.beneficiary_user_id == self.anne)
        self.assertRecordValues(
            february, [{"period_start": fields.Date.to_date("2026-02-01"), "amount_total": -50.0, "line_count": 1}]
        )
        with self.assertRaisesRegex(UserError, "draft"):
            anne.unlink()
        february.unlink()  # a draft settlement can go: its lines are unsettled again
        self.assertFalse(reversal[0].settlement_id)

    def test_agent_vendor_bill_then_paid(self):
        product = self.env["product.product"].create(
            {
                "name": "Commission",
                "type": "service",
                "purchase_ok": True,
                "supplier_taxes_id": [Command.clear()],
                "property_account_expense_id": self.company_data["default_account_expense"].id,
            }
        )
        self.company.cc_commission_product_id = product
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1200.0, date="2026-01-20")
        agent = self.settle("2026-01-31").filtered(lambda s: s.beneficiary_type == "agent")
        with self.assertRaisesRegex(UserError, "validated settlement of an agent"):
            agent.action_create_bill()
        agent.action_validate()
        agent.action_create_bill()
        self.assertRecordValues(
            agent.invoice_id,
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": self.agent.id,
                    "amount_total": 30.0,
                    "ref": agent.name,
                    "invoice_date": fields.Date.to_date("2026-01-31"),
                }
            ],
        )
        with self.assertRaisesRegex(UserError, "not paid yet"):
            agent.action_mark_paid()
        agent.invoice_id.action_post()
        self.pay(agent.invoice_id, 30.0, date="2026-02-10")
        agent.action_mark_paid()
        self.assertEqual(agent.state, "paid")
        with self.assertRaisesRegex(UserError, "validated settlement"):
            agent.action_reset_draft()

    def test_employee_export_and_accrual(self):
        accrued = self.env["account.account"].create(
            {"name": "Commissions à payer", "code": "428100", "account_type": "liability_current"}
        )
        self.company.write(
            {
                "cc_commission_journal_id": self.company_data["default_journal_misc"].id,
                "cc_commission_expense_account_id": self.company_data["default_account_expense"].id,
                "cc_commission_accrued_account_id": accrued.id,
                "cc_commission_auto_accrual": True,
            }
        )
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1200.0, date="2026-01-20")
        anne = self.settle("2026-01-31").filtered(lambda s: s.beneficiary_user_id == self.anne)
        export = self.env["credit.control.commission.export"].create(
            {"settlement_ids": [Command.set(anne.ids)], "file_format": "csv"}
        )
        with self.assertRaisesRegex(UserError, "Validate the settlements"):
            export.action_export()
        anne.action_validate()
        self.assertRecordValues(
            anne.accrual_move_id.line_ids.sorted("debit"),
            [
                {"account_id": accrued.id, "credit": 50.0, "debit": 0.0, "partner_id": self.anne.partner_id.id},
                {
                    "account_id": self.company_data["default_account_expense"].id,
                    "debit": 50.0,
                    "credit": 0.0,
                    "partner_id": self.anne.partner_id.id,
                },
            ],
        )
        self.assertEqual(anne.accrual_move_id.state, "posted")
        export.action_export()
        rows = list(csv.reader(io.StringIO(base64.b64decode(export.data).decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0][:4], ["Reference", "Company", "Employee", "Login"])
        self.assertEqual(rows[1][2:8], ["Anne Vendeuse", "cc_anne", "2026-01-01", "2026-01-31", "1000.0", "50.0"])
        export.write({"file_format": "xlsx", "data": False})
        export.action_export()
        self.assertTrue(export.filename.endswith(".xlsx"))
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(export.data))) as book:
            self.assertIn("Anne Vendeuse", book.read("xl/sharedStrings.xml").decode())
        with self.assertRaisesRegex(UserError, "Reverse the accrual entry"):
            anne.action_reset_draft()
        anne.action_mark_paid()
        self.assertEqual(anne.state, "paid")
