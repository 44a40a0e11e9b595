from odoo import api
from odoo import fields
from odoo import models


class CreditControlSectorRisk(models.Model):
    """Risk level of an industry (sector), per company, used by the sector factor."""

    _name = "credit.control.sector.risk"
    _description = "Sector Risk"
    _order = "company_id, risk_level desc, industry_id"
    _rec_name = "industry_id"

    industry_id = fields.Many2one("res.partner.industry", string="Sector", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    risk_level = fields.Selection(
        [("1", "Very Low"), ("2", "Low"), ("3", "Medium"), ("4", "High"), ("5", "Very High")],
        required=True,
        default="3",
    )
    note = fields.Char(help="Why this sector has this risk level (failure rates, payment habits...).")

    _sql_constraints = [
        ("industry_company_uniq", "unique(industry_id, company_id)", "A sector has one risk level per company."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: mark the customers of the sector for rescoring
        risks = super().create(vals_list)
        risks._touch_customers()
        return risks

    def write(self, vals):
        # OVERRIDE: mark the customers of the sector for rescoring
        result = super().write(vals)
        self._touch_customers()
        return result

    def _touch_customers(self):
        partners = self.env["res.partner"].sudo().search([("industry_id", "in", self.industry_id.ids)])
        partners._cc_touch_scoring_data()
