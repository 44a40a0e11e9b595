from odoo import fields
from odoo import models


class CreditControlAgedBalanceWizard(models.TransientModel):
    """Choose the date of the aged balance, then open it or print it."""

    _name = "credit.control.aged.balance.wizard"
    _description = "Aged Balance at a Date"

    date = fields.Date(required=True, default=fields.Date.context_today, help="What was open at the end of this day.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_control.credit_control_aged_balance_action")
        action["name"] = self.env._("Aged Balance at %(date)s", date=self.date)
        action["context"] = {"cc_aged_date": fields.Date.to_string(self.date), "search_default_group_partner": 1}
        return action

    def action_print(self):
        self.ensure_one()
        return self.env.ref("credit_control.action_report_aged_balance").report_action(self)

    def _cc_report_data(self):
        """Per-customer bucket totals and the grand total, for the PDF; the same receivables by
        collection status and by dunning level (current ones, whatever the date)."""
        self.ensure_one()
        Aged = self.env["credit.control.aged.balance"].with_company(self.company_id)
        rows = Aged._cc_totals(as_of=self.date, companies=self.company_id, groupby="partner_id")
        rows.sort(key=lambda row: (row["partner_id"].display_name or "").lower())
        measures = ["not_due", "period_1", "period_2", "period_3", "period_4", "residual"]
        total = {measure: sum(row[measure] or 0.0 for row in rows) for measure in measures}
        labels = Aged.fields_get(measures + ["status"], ["string", "selection"])
        status_labels = dict(labels["status"]["selection"])

        def summary(groupby, label):
            return [
                {"label": label(row[groupby]), "residual": row["residual"], "overdue": row["overdue"]}
                for row in Aged._cc_totals(as_of=self.date, companies=self.company_id, groupby=groupby)
            ]

        by_status = summary("status", lambda status: status_labels.get(status, status))
        by_level = summary("dunning_level_id", lambda level: level.display_name or self.env._("Not dunned"))
        return {
            "rows": rows,
            "total": total,
            "labels": [labels[m]["string"] for m in measures],
            "measures": measures,
            "by_status": by_status,
            "by_level": by_level,
        }
