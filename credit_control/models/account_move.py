from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------
    # FIELDS: dunning
    # ------------------------------------------------------------

    cc_dunning_level_id = fields.Many2one(
        "credit.control.dunning.level",
        string="Last Dunning Level",
        readonly=True,
        copy=False,
        tracking=True,
        help="Last dunning level sent for an installment of this invoice.",
    )
    cc_dunning_date = fields.Date(string="Last Dunning Date", readonly=True, copy=False)
    cc_dunning_line_ids = fields.One2many("credit.control.dunning.line", "move_id", string="Dunning History")
    cc_factored = fields.Boolean(
        string="Assigned to a Factor",
        copy=False,
        tracking=True,
        help="The invoice was assigned to a factoring company (affacturage): the factor collects it, the "
        "dunning leaves it aside.",
    )
    cc_penalty_invoice = fields.Boolean(
        string="Penalty Invoice",
        readonly=True,
        copy=False,
        help="This invoice claims late-payment penalties: it bears no penalties itself.",
    )
    cc_dispute_ids = fields.One2many("credit.control.dispute", "move_id", string="Disputes")
    cc_disputed = fields.Boolean(
        string="In Dispute",
        compute="_compute_cc_disputed",
        search="_search_cc_disputed",
        help="An open dispute takes the invoice out of dunning.",
    )
    cc_dispute_count = fields.Integer(compute="_compute_cc_disputed")

    @api.depends("cc_dispute_ids.state")
    def _compute_cc_disputed(self):
        groups = (
            self.env["credit.control.dispute"]
            .sudo()
            ._read_group([("move_id", "in", self.ids)], ["move_id", "state"], ["__count"])
        )
        counts, open_moves = {}, set()
        for move, state, count in groups:
            counts[move.id] = counts.get(move.id, 0) + count
            if state == "open":
                open_moves.add(move.id)
        for move in self:
            move.cc_dispute_count = counts.get(move.id, 0)
            move.cc_disputed = move.id in open_moves

    def _search_cc_disputed(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("cc_dispute_ids", "any" if positive else "not any", [("state", "=", "open")])]

    def _post(self, soft=True):
        # EXTENDS 'account': optionally refuse invoices of customers on hold or insolvent; a posted
        # doubtful-receivable entry is matched with the installments it moves
        for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.company_id.cc_block_invoice_posting):
            partner = move.commercial_partner_id.with_company(move.company_id)
            if partner.cc_hold or partner.cc_insolvency:
                raise UserError(
                    self.env._(
                        "The invoice %(invoice)s cannot be posted: %(partner)s is on credit hold or in "
                        "insolvency proceedings. A credit manager must lift the hold first.",
                        invoice=move.display_name,
                        partner=partner.display_name,
                    )
                )
        posted = super()._post(soft=soft)
        posted._cc_reconcile_reclassified()
        return posted

    def init(self):
        # EXTENDS 'account': a customer's draft invoices count in its exposure; found through the
        # partner index they would cost every move of the customer's history
        res = super().init()
        create_index(
            self.env.cr,
            indexname="account_move_cc_draft_partner_idx",
            tablename="account_move",
            expressions=["partner_id"],
            where="state = 'draft'",
        )
        return res

    # ------------------------------------------------------------
    # ACTIONS: dunning
    # ------------------------------------------------------------

    def action_cc_open_dispute(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "credit.control.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_move_id": self.id,
                "default_company_id": self.company_id.id,
                "default_amount_disputed": self.amount_residual,
            },
        }

    def action_cc_view_disputes(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Disputes"),
            "res_model": "credit.control.dispute",
            "view_mode": "list,form",
            "domain": [("move_id", "=", self.id)],
            "context": {"default_move_id": self.id, "default_company_id": self.company_id.id},
        }

    def action_cc_view_dunning(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control.credit_control_dunning_communication_action"
        )
        action["domain"] = [("line_ids.move_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS: dunning
    # ------------------------------------------------------------

    def _cc_reconcile_reclassified(self):
        """Match each line of a doubtful-receivable entry with the customer installment it moves."""
        for line in self.line_ids.filtered("cc_reclass_of_line_id"):
            (line | line.cc_reclass_of_line_id).reconcile()
