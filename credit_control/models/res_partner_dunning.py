from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# Dunning fields only a credit manager may change (salespeople see them read-only).
CC_DUNNING_MANAGED_FIELDS = (
    "cc_dunning_policy_id",
    "cc_dunning_excluded",
    "cc_dunning_exclusion_reason",
    "cc_collector_user_id",
)


class ResPartner(models.Model):
    """Dunning side of the customer: the policy that applies, its history, promises and disputes."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cc_effective_dunning_policy_id = fields.Many2one(
        "credit.control.dunning.policy",
        string="Applicable Dunning Policy",
        compute="_compute_cc_effective_dunning_policy_id",
        help="The customer's own policy, else the policy of its risk class, else the company default.",
    )
    cc_dunning_communication_count = fields.Integer(
        string="Dunning Communications", compute="_compute_cc_dunning_counts"
    )
    cc_broken_promise_count = fields.Integer(
        string="Broken Promises", compute="_compute_cc_dunning_counts", help="Promises to pay not kept."
    )
    cc_open_dispute_count = fields.Integer(string="Open Disputes", compute="_compute_cc_dunning_counts")
    cc_active_plan_count = fields.Integer(string="Payment Plans in Progress", compute="_compute_cc_dunning_counts")
    cc_dunning_last_date = fields.Date(string="Last Reminder", compute="_compute_cc_dunning_last")
    cc_dunning_last_level_id = fields.Many2one(
        "credit.control.dunning.level", string="Last Dunning Level", compute="_compute_cc_dunning_last"
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("commercial_partner_id", "cc_dunning_policy_id", "cc_risk_class_id")
    @api.depends_context("company")
    def _compute_cc_effective_dunning_policy_id(self):
        default = self.env.company.cc_dunning_policy_id
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.cc_effective_dunning_policy_id = (
                commercial.cc_dunning_policy_id or commercial.cc_risk_class_id.dunning_policy_id or default
            )

    @api.depends_context("company")
    def _compute_cc_dunning_counts(self):
        commercial = self.commercial_partner_id
        company_domain = [("company_id", "=", self.env.company.id), ("partner_id", "in", commercial.ids)]

        def count(model, domain):
            return dict(self.env[model].sudo()._read_group(company_domain + domain, ["partner_id"], ["__count"]))

        communications = count("credit.control.dunning.communication", [("state", "=", "sent")])
        broken = count("credit.control.promise", [("state", "=", "broken")])
        disputes = count("credit.control.dispute", [("state", "=", "open")])
        plans = count("credit.control.payment.plan", [("state", "=", "active")])
        for partner in self:
            key = partner.commercial_partner_id
            partner.cc_dunning_communication_count = communications.get(key, 0)
            partner.cc_broken_promise_count = broken.get(key, 0)
            partner.cc_open_dispute_count = disputes.get(key, 0)
            partner.cc_active_plan_count = plans.get(key, 0)

    @api.depends_context("company")
    def _compute_cc_dunning_last(self):
        """Last communication sent to each customer in the current company: one query."""
        Communication = self.env["credit.control.dunning.communication"]
        Communication.flush_model(["partner_id", "company_id", "state", "date", "level_id"])
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (partner_id) partner_id, date, level_id
                     FROM credit_control_dunning_communication
                    WHERE partner_id = ANY(%s) AND company_id = %s AND state = 'sent'
                    ORDER BY partner_id, date DESC, id DESC""",
                self.commercial_partner_id.ids,
                self.env.company.id,
            )
        )
        last = {partner_id: (day, level_id) for partner_id, day, level_id in self.env.cr.fetchall()}
        Level = self.env["credit.control.dunning.level"]
        for partner in self:
            day, level_id = last.get(partner.commercial_partner_id.id, (False, False))
            partner.cc_dunning_last_date = day
            partner.cc_dunning_last_level_id = Level.browse(level_id)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        # EXTENDS 'base': contacts share the dunning settings of their commercial entity
        return super()._commercial_fields() + list(CC_DUNNING_MANAGED_FIELDS)

    def _cc_check_manager_rights(self, vals, creating=False):
        # EXTENDS 'credit_control': the dunning settings are also the credit manager's
        super()._cc_check_manager_rights(vals, creating=creating)
        if self.env.su:
            return
        touched = [f for f in CC_DUNNING_MANAGED_FIELDS if f in vals and (not creating or vals[f])]
        if touched and not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(
                self.env._(
                    "Only credit managers can change the dunning settings of a customer (fields: %(fields)s).",
                    fields=", ".join(self._fields[f]._description_string(self.env) for f in touched),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _cc_action(self, model, name, extra_domain=None, context=None):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id), *(extra_domain or [])],
            "context": {"default_partner_id": self.commercial_partner_id.id, **(context or {})},
        }

    def action_cc_view_dunning(self):
        return self._cc_action("credit.control.dunning.communication", self.env._("Dunning Communications"))

    def action_cc_view_promises(self):
        return self._cc_action("credit.control.promise", self.env._("Promises to Pay"))

    def action_cc_view_disputes(self):
        return self._cc_action("credit.control.dispute", self.env._("Disputes"))

    def action_cc_view_payment_plans(self):
        return self._cc_action("credit.control.payment.plan", self.env._("Payment Plans"))

    def action_cc_claim_penalties(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claim the Penalties"),
            "res_model": "credit.control.penalty.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": self.commercial_partner_id.ids},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _cc_dunning_recipients(self):
        """Contact receiving the reminders of each commercial partner: its first invoicing address,
        else itself. One query whatever the number of partners: ``{partner_id: contact}``."""
        contacts = self.search([("parent_id", "in", self.ids), ("type", "=", "invoice")], order="parent_id, id")
        recipients = {partner.id: partner for partner in self}
        seen = set()
        for contact in contacts:
            if contact.parent_id.id not in seen:
                seen.add(contact.parent_id.id)
                recipients[contact.parent_id.id] = contact
        return recipients

    def _cc_collectors(self):
        """Collector of each partner in the current company: ``{partner_id: user}`` (set ones only)."""
        return {partner.id: partner.cc_collector_user_id for partner in self if partner.cc_collector_user_id}
