from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CreditControlRiskClass(models.Model):
    """A class of customers (A, B, C...) carrying the credit defaults of its members."""

    _name = "credit.control.risk.class"
    _description = "Credit Risk Class"
    _order = "company_id, sequence, code"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    code = fields.Char(required=True, help="Short code shown on partners and reports, e.g. A, B, C.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Monetary(
        string="Default Credit Limit",
        help="Credit limit of the members of this class that have no limit of their own. "
        "0 means no credit: every order must be paid in advance.",
    )
    deposit_percent = fields.Float(
        string="Deposit (%)",
        help="Share of the order total the customer must pay before the order can be confirmed " "(0 to 100).",
    )
    overdue_tolerance_days = fields.Integer(
        string="Overdue Days Tolerated",
        default=30,
        help="An invoice overdue for more days than this blocks new orders.",
    )
    any_overdue_blocks = fields.Boolean(
        string="Any Overdue Blocks",
        help="Block new orders as soon as one invoice is overdue, whatever the tolerance.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Proposed Payment Terms",
        check_company=True,
        help="Payment terms proposed on the quotations of the members of this class.",
    )
    dunning_policy_id = fields.Many2one(
        "credit.control.dunning.policy",
        string="Dunning Policy",
        check_company=True,
        help="The dunning policy to use for the members of this class (a customer may have its own).",
    )
    description = fields.Text(translate=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code of a risk class must be unique per company."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("code", "name")
    def _compute_display_name(self):
        for rclass in self:
            rclass.display_name = f"{rclass.code} - {rclass.name}" if rclass.code else rclass.name

    @api.constrains("credit_limit", "deposit_percent", "overdue_tolerance_days")
    def _check_amounts(self):
        for rclass in self:
            if rclass.credit_limit < 0:
                raise ValidationError(
                    self.env._("The default credit limit of the class %(name)s cannot be negative.", name=rclass.code)
                )
            if not 0 <= rclass.deposit_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The deposit of the class %(name)s must be between 0 and 100 %%, not %(value)s.",
                        name=rclass.code,
                        value=rclass.deposit_percent,
                    )
                )
            if rclass.overdue_tolerance_days < 0:
                raise ValidationError(
                    self.env._("The overdue tolerance of the class %(name)s cannot be negative.", name=rclass.code)
                )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]
            .with_company(self.env.company)
            ._read_group([("cc_risk_class_id", "in", self.ids)], ["cc_risk_class_id"], ["__count"])
        )
        for rclass in self:
            rclass.partner_count = counts.get(rclass, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("cc_risk_class_id", "=", self.id)],
        }
