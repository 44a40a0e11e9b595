from odoo import api
from odoo import fields
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cc_commission_excluded = fields.Boolean(
        string="No Commission",
        compute="_compute_cc_commission_excluded",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        tracking=True,
        help="Collecting this invoice earns no commission (e.g. late-payment penalties).",
    )
    cc_commission_agent_id = fields.Many2one(
        "res.partner",
        string="Sales Agent",
        compute="_compute_cc_commission_agent_id",
        store=True,
        readonly=False,
        precompute=True,
        domain=[("cc_commission_agent", "=", True)],
        help="External agent paid a commission when this invoice is collected; the customer's agent by default.",
    )
    cc_commission_line_ids = fields.One2many(
        "credit.control.commission.line", "invoice_id", string="Commission Lines", readonly=True
    )
    cc_commission_amount = fields.Monetary(
        string="Commission Earned",
        compute="_compute_cc_commission_amount",
        currency_field="company_currency_id",
        groups="sales_team.group_sale_salesman,credit_control.group_credit_control_user",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("move_type")
    def _compute_cc_commission_excluded(self):
        for move in self:
            move.cc_commission_excluded = move._cc_commission_excluded_by_nature()

    @api.depends("partner_id", "company_id")
    def _compute_cc_commission_agent_id(self):
        for move in self:
            if not move.is_sale_document(include_receipts=False) or not move.partner_id:
                move.cc_commission_agent_id = False
                continue
            partner = move.partner_id.commercial_partner_id.with_company(move.company_id)
            move.cc_commission_agent_id = partner.cc_commission_agent_id

    def _compute_cc_commission_amount(self):
        amounts = dict(
            self.env["credit.control.commission.line"]._read_group(
                [("invoice_id", "in", self.ids)], ["invoice_id"], ["amount:sum"]
            )
        )
        for move in self:
            move.cc_commission_amount = amounts.get(move, 0.0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cc_open_commission_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control_sales_commission.credit_control_commission_line_action"
        )
        action["domain"] = [("invoice_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_commission_excluded_by_nature(self):
        """Whether collecting this move earns no commission by its nature. Extension point: the
        dunning addon returns True for its late-payment penalty invoices."""
        self.ensure_one()
        return False

    def _post(self, soft=True):
        # EXTENDS 'account': freeze the cost of the products sold, the base of commissions on margin
        self.filtered(lambda move: move.is_sale_document(include_receipts=False)).line_ids._cc_set_commission_cost()
        return super()._post(soft=soft)
