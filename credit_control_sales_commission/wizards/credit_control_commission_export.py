import base64
import csv
import datetime
import io

import xlsxwriter

from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditControlCommissionExport(models.TransientModel):
    """The validated settlements of employees as a file for payroll."""

    _name = "credit.control.commission.export"
    _description = "Export Commissions for Payroll"

    settlement_ids = fields.Many2many(
        "credit.control.commission.settlement",
        "credit_control_commission_export_settlement_rel",
        "export_id",
        "settlement_id",
        string="Settlements",
        required=True,
    )
    file_format = fields.Selection([("csv", "CSV"), ("xlsx", "Excel (XLSX)")], default="xlsx", required=True)
    data = fields.Binary(string="File", readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def _cc_rows(self):
        """Header and one row per settlement. Extension point for payroll-specific columns."""
        _ = self.env._
        header = [
            _("Reference"),
            _("Company"),
            _("Employee"),
            _("Login"),
            _("Period Start"),
            _("Period End"),
            _("Collected Base"),
            _("Commission"),
            _("Currency"),
            _("Status"),
        ]
        states = dict(
            self.env["credit.control.commission.settlement"]._fields["state"]._description_selection(self.env)
        )
        rows = []
        for settlement in self.settlement_ids.sorted(lambda s: (s.period_start, s.beneficiary_partner_id.name or "")):
            rows.append(
                [
                    settlement.name,
                    settlement.company_id.name,
                    settlement.beneficiary_partner_id.name,
                    settlement.beneficiary_user_id.login or "",
                    settlement.period_start,
                    settlement.period_end,
                    settlement.base_total,
                    settlement.amount_total,
                    settlement.currency_id.name,
                    states[settlement.state],
                ]
            )
        return header, rows

    def action_export(self):
        self.ensure_one()
        drafts = self.settlement_ids.filtered(lambda s: s.state == "draft")
        if drafts:
            raise UserError(
                self.env._(
                    "Validate the settlements before exporting them: %(names)s.",
                    names=", ".join(drafts.mapped("name")),
                )
            )
        header, rows = self._cc_rows()
        if self.file_format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            writer.writerow(header)
            for row in rows:
                writer.writerow([value.isoformat() if isinstance(value, datetime.date) else value for value in row])
            content = buffer.getvalue().encode("utf-8-sig")
        else:
            buffer = io.BytesIO()
            workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
            sheet = workbook.add_worksheet(self.env._("Commissions"))
            bold = workbook.add_format({"bold": True})
            date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
            money = workbook.add_format({"num_format": "#,##0.00"})
            sheet.write_row(0, 0, header, bold)
            for index, row in enumerate(rows, start=1):
                for column, value in enumerate(row):
                    if isinstance(value, datetime.date):
                        sheet.write_datetime(index, column, fields.Datetime.to_datetime(value), date_format)
                    elif isinstance(value, float):
                        sheet.write_number(index, column, value, money)
                    else:
                        sheet.write(index, column, value)
            sheet.set_column(0, len(header) - 1, 16)
            workbook.close()
            content = buffer.getvalue()
        self.write(
            {
                "data": base64.b64encode(content),
                "filename": "%s.%s" % (self.env._("commissions"), self.file_format),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
