from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

COMMUNICATION_MODEL = "credit.control.dunning.communication"


class CreditControlDunningPolicy(models.Model):
    """A graduated dunning process: ordered levels, from a pre-due call to litigation."""

    _name = "credit.control.dunning.policy"
    _description = "Dunning Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, tracking=True
    )
    level_ids = fields.One2many("credit.control.dunning.level", "policy_id", string="Levels", copy=True)
    review_mode = fields.Selection(
        [("review", "Review before sending"), ("auto", "Send automatically")],
        string="Sending",
        required=True,
        default="review",
        tracking=True,
        help="Review: the run prepares draft communications that a credit manager edits, excludes and "
        "validates. Automatic: the run sends them at once.",
    )
    escalation = fields.Selection(
        [("step", "One level at a time"), ("reached", "Level reached by the days late")],
        required=True,
        default="step",
        tracking=True,
        help="One level at a time: an installment gets the level following the last one sent to it, once "
        "its days are reached (pre-due levels are skipped once the installment is due). Level reached: it "
        "gets the highest level whose days are reached, skipping the levels in between.",
    )
    collector_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        check_company=True,
        tracking=True,
        help="Gets the phone calls and litigation tasks of this policy, unless the customer or the level "
        "names another collector.",
    )
    description = fields.Text(translate=True)
    risk_class_ids = fields.One2many("credit.control.risk.class", "dunning_policy_id", string="Risk Classes")
    level_count = fields.Integer(compute="_compute_level_count")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_communications(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Communications of %(policy)s", policy=self.display_name),
            "res_model": COMMUNICATION_MODEL,
            "view_mode": "list,form",
            "domain": [("policy_id", "=", self.id)],
        }

    def copy_data(self, default=None):
        # EXTENDS 'base': a copy is recognisable
        vals_list = super().copy_data(default=default)
        if "name" not in (default or {}):
            for policy, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%(name)s (copy)", name=policy.name)
        return vals_list

    @api.model
    def _copy_default_policy(self, company):
        """Give ``company`` a copy of the shipped French policy and make it its default one."""
        template = self.env.ref("credit_control.dunning_policy_fr", raise_if_not_found=False)
        if not template:
            raise UserError(self.env._("The default French dunning policy was deleted: create a policy by hand."))
        template = template.sudo()
        policy = template.copy({"company_id": company.id, "name": template.name, "collector_user_id": False})
        company.cc_dunning_policy_id = policy
        return policy.with_env(self.env)


class CreditControlDunningLevel(models.Model):
    """A step of a policy: when it is reached, by which channels, with which words."""

    _name = "credit.control.dunning.level"
    _description = "Dunning Level"
    _inherit = ["mail.render.mixin"]
    _order = "policy_id, days, id"
    _check_company_auto = True
    # letters are rendered with QWeb like mail templates: editing dynamic parts needs the template
    # editor group (see mail.render.mixin)
    _unrestricted_rendering = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one("credit.control.dunning.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    days = fields.Integer(
        string="Days from Due Date",
        required=True,
        help="The level is reached this many days after the due date of an installment; negative for a "
        "reminder before the due date (-5: five days before).",
    )
    min_days_since_previous = fields.Integer(
        string="Minimum Days since Previous Level",
        default=0,
        help="Wait at least this many days after the previous level sent for the same installment.",
    )
    channel_email = fields.Boolean(string="Email", help="Send the email of the template with the letter attached.")
    channel_letter = fields.Boolean(string="Printed Letter", help="Prepare the letter to print and post.")
    channel_lrar = fields.Boolean(
        string="Registered Letter (LRAR)",
        help="Registered letter with acknowledgment of receipt (lettre recommandée avec accusé de réception): "
        "the letter is prepared and its postal tracking number is recorded on the communication.",
    )
    channel_call = fields.Boolean(string="Phone Call", help="Schedule a phone call activity for the collector.")
    channel_salesperson = fields.Boolean(
        string="Alert Salesperson", help="Schedule an activity for the salesperson of each invoice concerned."
    )
    channel_sms = fields.Boolean(string="SMS", help="Send a text message (needs the SMS module).")
    sms_available = fields.Boolean(compute="_compute_sms_available")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", COMMUNICATION_MODEL)],
        help="Subject and body of the email; the letter is attached as PDF.",
    )
    letter_title = fields.Char(translate=True, help="Title of the letter, e.g. Relance or Mise en demeure de payer.")
    letter_body = fields.Html(
        string="Letter Text",
        translate=True,
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize="email_outgoing",
        help="Text of the letter above the list of invoices (QWeb, on the communication: 'object'). The "
        "list of invoices, the penalties and the legal mentions follow it.",
    )
    letter_closing = fields.Html(
        string="Letter Closing",
        translate=True,
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize="email_outgoing",
        help="Text of the letter below the list of invoices (QWeb).",
    )
    sms_body = fields.Text(
        string="SMS Text", translate=True, help="Text of the SMS; placeholders like {{ object.amount_total }}."
    )
    hold_partner = fields.Boolean(
        string="Put on Credit Hold",
        help="Reaching this level puts the customer on credit hold: new orders are blocked.",
    )
    apply_penalties = fields.Boolean(
        string="Show Penalties",
        help="The communication computes the late-payment interest and the flat recovery indemnity and " "states them.",
    )
    litigation = fields.Boolean(
        string="Litigation Hand-off",
        help="The level hands the file over to litigation: the dossier is printed and attached, and the "
        "collector gets the task to reclassify the receivable as doubtful.",
    )
    activity_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        check_company=True,
        help="Gets the activities of this level; empty: the customer's collector, else the policy's.",
    )

    _sql_constraints = [
        ("days_policy_uniq", "unique(policy_id, days)", "Two levels of a policy cannot have the same days."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_render_model(self):
        # OVERRIDE 'mail': letters and SMS are rendered on the communications
        self.render_model = COMMUNICATION_MODEL

    def _compute_sms_available(self):
        self.sms_available = "sms.sms" in self.env

    @api.depends("name", "days")
    def _compute_display_name(self):
        for level in self:
            level.display_name = self.env._("%(name)s (J%(days)+d)", name=level.name or "", days=level.days or 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("min_days_since_previous", "channel_sms", "channel_email", "mail_template_id")
    def _check_level(self):
        for level in self:
            if level.min_days_since_previous < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum days since the previous level of %(level)s cannot be negative.",
                        level=level.name,
                    )
                )
            if level.channel_sms and "sms.sms" not in self.env:
                raise ValidationError(
                    self.env._("The level %(level)s cannot send SMS: install the SMS module first.", level=level.name)
                )
            if level.channel_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._("The level %(level)s sends emails: choose its email template.", level=level.name)
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _channel_names(self):
        """Labels of the channels of the level, in the order of the form."""
        self.ensure_one()
        return [
            self._fields[fname].get_description(self.env)["string"] for fname in self._channel_fields() if self[fname]
        ]

    @api.model
    def _channel_fields(self):
        """Extension point: the channel flags, copied from the level to each communication."""
        return [
            "channel_email",
            "channel_letter",
            "channel_lrar",
            "channel_call",
            "channel_salesperson",
            "channel_sms",
        ]
