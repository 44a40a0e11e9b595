from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from . import commission_math

BASES = [("untaxed", "Collected Untaxed Amount"), ("margin", "Collected Gross Margin")]
SHARE_ROLES = [
    ("seller", "Seller (salesperson or agent)"),
    ("team_leader", "Sales Team Leader"),
    ("user", "Specific User"),
]


class CreditControlCommissionPlan(models.Model):
    """How the salespeople (users) and the agents (partners) of a company earn commission on the
    cash collected from their customers."""

    _name = "credit.control.commission.plan"
    _description = "Commission Plan"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, name"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    base = fields.Selection(
        BASES,
        string="Commission Base",
        required=True,
        default="untaxed",
        tracking=True,
        help="Collected Untaxed Amount: the untaxed amount of the invoice lines, in proportion to what "
        "was collected. Collected Gross Margin: the same less the cost of the products at invoicing time.",
    )
    default_rate = fields.Float(
        string="Default Rate (%)",
        digits=(16, 4),
        tracking=True,
        help="Rate applied to the lines that no rule prices, when the plan has no tiers.",
    )
    tier_ids = fields.One2many("credit.control.commission.tier", "plan_id", string="Tiers", copy=True)
    rule_ids = fields.One2many("credit.control.commission.rule", "plan_id", string="Rules", copy=True)
    share_ids = fields.One2many(
        "credit.control.commission.share",
        "plan_id",
        string="Beneficiaries",
        copy=True,
        default=lambda self: [Command.create({"role": "seller", "share": 100.0})],
    )
    cap_amount = fields.Monetary(
        string="Cap per Period",
        tracking=True,
        help="Most a seller's collections can earn in one settlement period under this plan, all "
        "beneficiaries together. 0: no cap.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "credit_control_commission_plan_user_rel",
        "plan_id",
        "user_id",
        string="Salespeople",
        help="Salespeople paid under this plan on the invoices they sell (one plan per salesperson " "and company).",
    )
    agent_ids = fields.Many2many(
        "res.partner",
        "credit_control_commission_plan_agent_rel",
        "plan_id",
        "partner_id",
        string="Agents",
        domain=[("cc_commission_agent", "=", True)],
        help="External agents paid under this plan on the invoices of the customers they represent.",
    )
    description = fields.Text(translate=True)
    line_count = fields.Integer(compute="_compute_line_count")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_line_count(self):
        counts = dict(
            self.env["credit.control.commission.line"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.line_count = counts.get(plan, 0)

    @api.constrains("default_rate", "cap_amount")
    def _check_amounts(self):
        for plan in self:
            if not 0 <= plan.default_rate <= 100:
                raise ValidationError(
                    self.env._("The default rate of the plan %(plan)s must be between 0 and 100 %%.", plan=plan.name)
                )
            if plan.cap_amount < 0:
                raise ValidationError(
                    self.env._("The cap of the plan %(plan)s cannot be negative (0: no cap).", plan=plan.name)
                )

    @api.constrains("share_ids", "active")
    def _check_shares(self):
        for plan in self.filtered("active"):
            total = sum(plan.share_ids.mapped("share"))
            if not plan.share_ids or abs(total - 100.0) > 0.0001:
                raise ValidationError(
                    self.env._(
                        "The shares of the beneficiaries of the plan %(plan)s must add up to 100 %% "
                        "(they add up to %(total)s %%).",
                        plan=plan.name,
                        total=round(total, 4),
                    )
                )

    @api.constrains("tier_ids")
    def _check_tiers(self):
        for plan in self:
            error = commission_math.check_tiers([(t.threshold, t.rate) for t in plan.tier_ids])
            if error:
                raise ValidationError(
                    self.env._(
                        "The tiers of the plan %(plan)s must start from different, positive amounts.",
                        plan=plan.name,
                    )
                )

    @api.constrains("user_ids", "agent_ids", "active", "company_id")
    def _check_single_plan(self):
        plans = self.search([("company_id", "in", self.company_id.ids)])
        for field, label in (("user_ids", self.env._("salesperson")), ("agent_ids", self.env._("agent"))):
            seen = {}
            for plan in plans:
                for member in plan[field]:
                    key = (plan.company_id.id, member.id)
                    if key in seen and seen[key] != plan:
                        raise ValidationError(
                            self.env._(
                                "The %(kind)s %(name)s is in two plans of %(company)s: %(plan1)s and %(plan2)s. "
                                "A %(kind)s has one plan per company.",
                                kind=label,
                                name=member.display_name,
                                company=plan.company_id.name,
                                plan1=seen[key].name,
                                plan2=plan.name,
                            )
                        )
                    seen[key] = plan

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control_sales_commission.credit_control_commission_line_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cc_load_config(self, company_ids):
        """Everything the commission engine needs about the plans of ``company_ids``, in one query.

        Returns {"plans": {plan_id: plan}, "user": {(company_id, user_id): plan},
        "agent": {(company_id, partner_id): plan}, "companies": {company_id: company}} of plain
        dicts; archived plans are in "plans" (their lines can still be reversed) but have no member."""
        config = {"plans": {}, "user": {}, "agent": {}, "companies": {}}
        if not company_ids:
            return config
        for model in (
            "credit.control.commission.plan",
            "credit.control.commission.rule",
            "credit.control.commission.tier",
            "credit.control.commission.share",
            "product.category",
        ):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id, c.currency_id, c.cc_commission_period, cur.rounding,
                       COALESCE((
                           SELECT json_agg(json_build_object(
                                      'id', p.id, 'name', p.name->>'en_US', 'active', p.active,
                                      'base', p.base, 'default_rate', p.default_rate,
                                      'cap', COALESCE(p.cap_amount, 0),
                                      'rules', (SELECT COALESCE(json_agg(json_build_object(
                                                    'id', r.id, 'product_id', r.product_id,
                                                    'categ_path', pc.parent_path,
                                                    'risk_class_id', r.risk_class_id, 'rate', r.rate)
                                                    ORDER BY r.sequence, r.id), '[]'::json)
                                                  FROM credit_control_commission_rule r
                                                  LEFT JOIN product_category pc ON pc.id = r.categ_id
                                                 WHERE r.plan_id = p.id),
                                      'tiers', (SELECT COALESCE(json_agg(json_build_array(t.threshold, t.rate)
                                                    ORDER BY t.threshold), '[]'::json)
                                                  FROM credit_control_commission_tier t WHERE t.plan_id = p.id),
                                      'shares', (SELECT COALESCE(json_agg(json_build_object(
                                                     'role', s.role, 'user_id', s.user_id, 'share', s.share)
                                                     ORDER BY s.sequence, s.id), '[]'::json)
                                                   FROM credit_control_commission_share s WHERE s.plan_id = p.id),
                                      'users', (SELECT COALESCE(json_agg(u.user_id), '[]'::json)
                                                  FROM credit_control_commission_plan_user_rel u
                                                 WHERE u.plan_id = p.id),
                                      'agents', (SELECT COALESCE(json_agg(a.partner_id), '[]'::json)
                                                   FROM credit_control_commission_plan_agent_rel a
                                                  WHERE a.plan_id = p.id)))
                             FROM credit_control_commission_plan p WHERE p.company_id = c.id
                       ), '[]'::json)
                  FROM res_company c
                  JOIN res_currency cur ON cur.id = c.currency_id
                 WHERE c.id = ANY(%s)
                """,
                list(company_ids),
            )
        )
        for company_id, currency_id, period, rounding, plans in self.env.cr.fetchall():
            config["companies"][company_id] = {
                "id": company_id,
                "currency_id": currency_id,
                "period": period or "month",
                "rounding": float(rounding),
            }
            for plan in plans:
                plan["company_id"] = company_id
                plan["tiers"] = [(float(threshold), float(rate)) for threshold, rate in plan["tiers"]]
                config["plans"][plan["id"]] = plan
                if not plan["active"]:
                    continue
                for user_id in plan["users"]:
                    config["user"][(company_id, user_id)] = plan
                for partner_id in plan["agents"]:
                    config["agent"][(company_id, partner_id)] = plan
        return config

    @api.model
    def _cc_price(self, plan, product_id, categ_path, risk_class_id):
        """(tiered, rate %) of a sold line under ``plan`` (a dict of ``_cc_load_config``): the
        first matching rule gives a flat rate; otherwise the tiers, or else the default rate."""
        for rule in plan["rules"]:
            if rule["product_id"] and rule["product_id"] != product_id:
                continue
            if rule["categ_path"] and not (categ_path or "").startswith(rule["categ_path"]):
                continue
            if rule["risk_class_id"] and rule["risk_class_id"] != risk_class_id:
                continue
            return False, float(rule["rate"])
        if plan["tiers"]:
            return True, 0.0
        return False, float(plan["default_rate"] or 0.0)


class CreditControlCommissionRule(models.Model):
    """A flat rate for the lines of a product, a product category and/or a customer risk class."""

    _name = "credit.control.commission.rule"
    _description = "Commission Rule"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one("credit.control.commission.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10, help="The first rule that matches a line gives its rate.")
    product_id = fields.Many2one("product.product", string="Product", check_company=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", help="The category and its sub-categories."
    )
    risk_class_id = fields.Many2one(
        "credit.control.risk.class", string="Customer Risk Class", check_company=True, ondelete="cascade"
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    @api.constrains("product_id", "categ_id", "risk_class_id", "rate")
    def _check_rule(self):
        for rule in self:
            if not (rule.product_id or rule.categ_id or rule.risk_class_id):
                raise ValidationError(
                    self.env._(
                        "A rule of the plan %(plan)s needs a product, a product category or a risk class; "
                        "the default rate covers the rest.",
                        plan=rule.plan_id.name,
                    )
                )
            if not 0 <= rule.rate <= 100:
                raise ValidationError(
                    self.env._("The rates of the plan %(plan)s must be between 0 and 100 %%.", plan=rule.plan_id.name)
                )


class CreditControlCommissionTier(models.Model):
    """A progressive tier: its rate applies to the part of the period's collected base above its threshold."""

    _name = "credit.control.commission.tier"
    _description = "Commission Tier"
    _order = "plan_id, threshold"

    plan_id = fields.Many2one("credit.control.commission.plan", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    threshold = fields.Monetary(
        string="From Collected Base",
        help="The rate applies to the part of the seller's collected base of the period above this amount.",
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 4), required=True)

    @api.constrains("rate")
    def _check_rate(self):
        for tier in self:
            if not 0 <= tier.rate <= 100:
                raise ValidationError(
                    self.env._("The rates of the plan %(plan)s must be between 0 and 100 %%.", plan=tier.plan_id.name)
                )


class CreditControlCommissionShare(models.Model):
    """Who receives which share of the commission a seller's collections earn."""

    _name = "credit.control.commission.share"
    _description = "Commission Beneficiary Share"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("credit.control.commission.plan", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    role = fields.Selection(
        SHARE_ROLES,
        required=True,
        default="seller",
        help="Seller: the salesperson of the invoice line (or the agent). Sales Team Leader: the leader "
        "of the seller's sales team. A share whose beneficiary cannot be found goes to the seller.",
    )
    user_id = fields.Many2one("res.users", string="User")
    share = fields.Float(string="Share (%)", digits=(16, 4), required=True, default=100.0)

    @api.constrains("role", "user_id", "share")
    def _check_share(self):
        for share in self:
            if share.role == "user" and not share.user_id:
                raise ValidationError(self.env._("A share given to a specific user needs the user."))
            if not 0 < share.share <= 100:
                raise ValidationError(self.env._("A share must be above 0 and at most 100 %."))
