import logging
import re
import threading
from collections import defaultdict

import psycopg2.errors
from markupsafe import Markup

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import format_date
from odoo.tools import formatLang
from odoo.tools import html2plaintext
from odoo.tools.misc import split_every

from .pg import next_sequence_numbers

_logger = logging.getLogger(__name__)

# states of a dunning line that hold its (installment, level) slot: a level is never prepared nor sent
# twice for the same installment
SLOT_STATES = ("draft", "to_send", "sent", "excluded")

COMMUNICATION_STATES = [
    ("draft", "To Review"),
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("excluded", "Excluded"),
    ("error", "Error"),
    ("cancel", "Cancelled"),
]

# the line naming the cause in a traceback, e.g. "AttributeError: 'res.partner' object has no attribute"
ERROR_LINE = re.compile(r"^[\w.]+(Error|Exception)\b")

# lines of a communication that are not claimed (left out in review, or paid before sending)
INACTIVE_LINE_STATES = ("excluded", "cancel")


def _auto_commit():
    """Commit between chunks, except in tests (their cursor cannot commit)."""
    return not getattr(threading.current_thread(), "testing", False)


class CreditControlDunningRun(models.Model):
    """A dunning run of one company on one date: picks the level reached by every receivable
    installment, groups them per customer and level into communications, and sends them."""

    _name = "credit.control.dunning.run"
    _description = "Dunning Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Days late and penalties are counted on this date.",
    )
    user_id = fields.Many2one("res.users", string="Launched by", default=lambda self: self.env.user, readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("review", "To Review"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        help="Running: communications are being sent; a run interrupted in this state is finished by "
        "running it again. To review: draft communications wait for a credit manager.",
    )
    date_start = fields.Datetime(readonly=True, copy=False)
    date_end = fields.Datetime(readonly=True, copy=False)
    communication_ids = fields.One2many("credit.control.dunning.communication", "run_id", string="Communications")
    communication_count = fields.Integer(compute="_compute_counts")
    review_count = fields.Integer(string="To Review", compute="_compute_counts")
    sent_count = fields.Integer(string="Sent", compute="_compute_counts")
    error_count = fields.Integer(string="In Error", compute="_compute_counts")
    letter_count = fields.Integer(string="Letters", compute="_compute_counts")
    skip_counts = fields.Json(
        string="Left Aside (counts)", readonly=True, copy=False, help="Number of installments per reason to skip."
    )
    skip_summary = fields.Text(
        string="Left Aside",
        compute="_compute_skip_summary",
        help="Installments that reached a level but were skipped, by reason (in the reader's language).",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("skip_counts")
    @api.depends_context("lang")
    def _compute_skip_summary(self):
        reasons = self._skip_reasons()
        for run in self:
            run.skip_summary = (
                "\n".join(
                    self.env._("%(reason)s: %(count)s", reason=reasons.get(reason, reason), count=count)
                    for reason, count in sorted((run.skip_counts or {}).items())
                )
                or False
            )

    @api.depends("communication_ids.state")
    def _compute_counts(self):
        groups = self.env["credit.control.dunning.communication"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "state", "has_letter"], ["__count"]
        )
        counts = defaultdict(lambda: defaultdict(int))
        for run, state, has_letter, count in groups:
            counts[run][state] += count
            if has_letter and state == "sent":
                counts[run]["letter"] += count
        for run in self:
            run_counts = counts[run]
            run.communication_count = sum(c for s, c in run_counts.items() if s != "letter")
            run.review_count = run_counts["draft"]
            run.sent_count = run_counts["sent"]
            run.error_count = run_counts["error"]
            run.letter_count = run_counts["letter"]

    @api.constrains("date")
    def _check_date(self):
        for run in self:
            if run.date > fields.Date.context_today(run):
                raise ValidationError(
                    self.env._("A dunning run cannot be dated in the future (%(date)s).", date=run.date)
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: number the runs
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.control.dunning.run") or "/"
        return super(CreditControlDunningRun, self.with_context(mail_create_nosubscribe=True)).create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_nothing_sent(self):
        if self.communication_ids.filtered(lambda c: c.state in ("sent", "excluded")):
            raise UserError(self.env._("A run that sent communications is a trace: it cannot be deleted."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_run(self):
        """Button: select, group and (per policy) send, in the current transaction."""
        self._check_credit_manager()
        for run in self:
            run._check_no_other_running()
            run.sudo()._execute(commit=False)
        return True

    def action_validate(self):
        """Button: send every communication of the run still waiting for review."""
        self._check_credit_manager()
        self.communication_ids.filtered(lambda c: c.state == "draft").action_validate()
        return True

    def action_print_letters(self):
        self.ensure_one()
        return self.communication_ids.filtered(lambda c: c.has_letter and c.state == "sent").action_print_letter()

    def action_open_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_control.credit_control_dunning_communication_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_group_level": 1}
        return action

    def _check_credit_manager(self):
        """The run works as superuser: only credit managers may start or validate it."""
        if not self.env.su and not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(self.env._("Only credit managers can run the dunning and send its communications."))

    @api.model
    def _cron_run_dunning(self):
        """Scheduled action: one run per company with a dunning policy, on its today.

        Runs interrupted earlier are finished first; a run already done today is not done again. Chunks
        of communications are committed one by one, so a run killed halfway resumes where it stopped."""
        commit = _auto_commit()
        policies = self.env["credit.control.dunning.policy"].sudo().search([("level_ids", "!=", False)])
        for company in policies.company_id:
            run_model = self.sudo().with_company(company)
            today = fields.Date.context_today(run_model)
            runs = run_model.search(
                [("company_id", "=", company.id), "|", ("state", "=", "running"), ("date", "=", today)],
                order="date, id",
            )
            if not runs.filtered(lambda r, today=today: r.date == today):
                runs |= run_model.create({"company_id": company.id, "date": today})
            for run in runs:
                try:
                    run._execute(commit=commit)
                except UserError as error:
                    _logger.warning("Dunning run %s of %s not executed: %s", run.name, company.name, error)
                    if commit:
                        self.env.cr.rollback()

    @api.model
    def _cron_send_running_runs(self):
        """Scheduled action "send the runs in progress": takes its share of the chunks of every run
        already generated and not finished. Several copies of this action (one per cron worker)
        send a large run together; none generates a run."""
        commit = _auto_commit()
        for run in self.sudo().search([("state", "=", "running")], order="date, id"):
            run = run.with_company(run.company_id)
            run._send_pending(commit=commit)
            run._finish()
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # the run is closed

    # ------------------------------------------------------------
    # BUSINESS: the run
    # ------------------------------------------------------------

    def _check_no_other_running(self):
        self.ensure_one()
        other = self.search(
            [("company_id", "=", self.company_id.id), ("state", "=", "running"), ("id", "!=", self.id)], limit=1
        )
        if other:
            raise UserError(
                self.env._(
                    "The dunning run %(run)s of %(company)s is running or was interrupted. Open it and run it "
                    "again to finish it before starting another one.",
                    run=other.name,
                    company=self.company_id.name,
                )
            )

    def _lock(self):
        """Lock the company against a second run: SELECT ... FOR UPDATE NOWAIT, clear error if taken.

        The lock lives until the end of the transaction: the cron takes it again after each commit."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM res_company WHERE id = %s FOR NO KEY UPDATE NOWAIT", self.company_id.id)
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "A dunning run of %(company)s is already running. Wait for it to finish, then try again.",
                    company=self.company_id.name,
                )
            ) from None

    def _execute(self, commit=False):
        """Run the dunning: generate the communications (once), then send those to send, by chunks.

        :param commit: commit after the generation and after each chunk (scheduled action)"""
        self.ensure_one()
        if self.state in ("done", "review") and not self.communication_ids.filtered(lambda c: c.state == "to_send"):
            return
        if self.state == "draft":
            # the generation is the company's alone; the sending below is shared between workers
            self._lock()
            self.write({"state": "running", "date_start": fields.Datetime.now()})
            self._generate()
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # the run resumes from here
        self._send_pending(commit=commit)
        self._finish()

    def _finish(self):
        """Close the runs whose communications are all handled. A communication still to send is
        in the hands of another worker (locked by its chunk): that worker closes the run."""
        Communication = self.env["credit.control.dunning.communication"]
        for run in self:
            Communication.flush_model(["run_id", "state"])
            states = set(run.communication_ids.mapped("state"))
            if "to_send" in states:
                continue
            run.write({"state": "review" if "draft" in states else "done", "date_end": fields.Datetime.now()})

    def _send_pending(self, commit=False):
        """Send the communications to send, by chunks of ``credit_control.dunning_chunk_size``.

        Each chunk is picked with FOR UPDATE SKIP LOCKED: several workers share the sending of a
        run (each takes the next chunk nobody holds) and never send the same communication."""
        self.ensure_one()
        Communication = self.env["credit.control.dunning.communication"]
        chunk_size = int(self.env["ir.config_parameter"].sudo().get_param("credit_control.dunning_chunk_size", 50))
        while True:
            Communication.flush_model(["run_id", "state"])
            self.env.cr.execute(
                SQL(
                    """SELECT id FROM credit_control_dunning_communication
                        WHERE run_id = %s AND state = 'to_send'
                        ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                    self.id,
                    chunk_size,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            Communication.browse(ids)._send()
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # one chunk at a time

    def _generate(self):
        """Create the communications of the run: one per customer and level reached, their texts
        rendered for the review."""
        self.ensure_one()
        self.env["credit.control.promise"]._update_states(self.company_id, self.date)
        self.env["credit.control.payment.plan"]._update_states(self.company_id, self.date)
        communications = self._generate_communications()
        chunk_size = self._generation_chunk_size()
        drafts = communications.filtered(lambda c: c.state == "draft")
        for chunk in split_every(chunk_size, drafts.ids):
            drafts.browse(chunk)._render_contents()
            if len(drafts) > chunk_size:
                self.env.flush_all()
                self.env.invalidate_all()
        return communications

    def _generate_communications(self):
        """Select the installments to dun and create their communications and lines (texts not
        rendered), batch of customers by batch: the memory is that of one batch."""
        chunk_size = self._generation_chunk_size()
        skipped = defaultdict(int)
        comm_ids = []
        for rows in self._select_installments_by_customers(chunk_size):
            to_dun = [row for row in rows if not row["skip"]]
            for row in rows:
                if row["skip"]:
                    skipped[row["skip"]] += 1
            comm_ids += self._create_communications(to_dun).ids
            self._mark_escalations_done([row["move_id"] for row in to_dun if row["escalate"]])
            self.env.flush_all()
            self.env.invalidate_all()
        communications = self.env["credit.control.dunning.communication"].browse(comm_ids)
        self.skip_counts = dict(skipped) or False
        return communications

    def _skip_reasons(self):
        """Extension point: labels of the reasons to leave an installment aside."""
        return {
            "excluded": self.env._("customer excluded from dunning"),
            "insolvency": self.env._("insolvency proceedings"),
            "factored": self.env._("invoice assigned to a factor"),
            "dispute": self.env._("invoice in dispute"),
            "promise": self.env._("promise to pay pending"),
            "payment_plan": self.env._("payment plan in progress"),
        }

    def _select_installments(self, move_line_ids=None):
        """The receivable installments of the company that reached a level on the run's date.

        ONE query over the receivable lines of the company, whatever their number (OCA's
        account_credit_control does one per move line). Returns dicts with the installment, its
        customer, the level to send and, when it must be left aside, the reason (``skip``), ordered
        by customer and level.

        :param move_line_ids: restrict to these receivable lines (a preview for one customer)"""
        query = self._installments_query(move_line_ids)
        if query is None:
            return []
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    def _select_installments_by_customers(self, customers_per_batch):
        """The rows of ``_select_installments``, by batches of about ``customers_per_batch``
        customers (a customer's rows are never split), read from a server-side cursor: the same
        single query, whose rows stay in PostgreSQL until they are fetched, so that the memory of
        a run is that of one batch however many installments are overdue."""
        query = self._installments_query()
        if query is None:
            return
        connection = getattr(self.env.cr, "_cnx", None) or getattr(getattr(self.env.cr, "_cursor", None), "_cnx", None)
        if connection is None:  # a cursor without its connection at hand: one batch
            self.env.cr.execute(query)
            yield self.env.cr.dictfetchall()
            return
        fetch_size = max(customers_per_batch, 1) * 4
        with connection.cursor(f"cc_dunning_selection_{self.id}") as cursor:
            cursor.itersize = fetch_size
            cursor.execute(query.code, query.params)
            pending, customers = [], set()
            while True:
                fetched = cursor.fetchmany(fetch_size)
                columns = [column.name for column in cursor.description or ()]
                for values in fetched:
                    row = dict(zip(columns, values, strict=True))
                    if row["partner_id"] not in customers and len(customers) >= customers_per_batch:
                        yield pending
                        pending, customers = [], set()
                    customers.add(row["partner_id"])
                    pending.append(row)
                if len(fetched) < fetch_size:
                    break
            if pending:
                yield pending

    def _installments_query(self, move_line_ids=None):
        """The SQL of ``_select_installments``, or None when the company has no dunning level."""
        self.ensure_one()
        company = self.company_id
        for model in (
            "account.move.line",
            "account.move",
            "res.partner",
            "credit.control.risk.class",
            "credit.control.dunning.policy",
            "credit.control.dunning.level",
            "credit.control.dunning.line",
            "credit.control.dispute",
            "credit.control.promise",
            "credit.control.payment.plan",
        ):
            self.env[model].flush_model()
        Partner = self.env["res.partner"].sudo().with_company(company)
        self.env.cr.execute(
            SQL(
                """SELECT MIN(l.days) FROM credit_control_dunning_level l
                     JOIN credit_control_dunning_policy p ON p.id = l.policy_id
                    WHERE p.company_id = %s AND p.active AND l.active""",
                company.id,
            )
        )
        min_days = self.env.cr.fetchone()[0]
        if min_days is None:
            return None
        horizon = fields.Date.add(self.date, days=max(0, -min_days))
        return SQL(
            """
            WITH inst AS (
                SELECT aml.id AS move_line_id,
                       aml.move_id,
                       cp.id AS partner_id,
                       aml.date_maturity,
                       %(date)s - aml.date_maturity AS days_late,
                       aml.amount_residual,
                       aml.amount_residual_currency,
                       aml.currency_id,
                       aml.balance,
                       m.invoice_user_id,
                       COALESCE(m.cc_factored, FALSE) AS factored,
                       COALESCE(%(partner_policy)s, rc.dunning_policy_id, %(default_policy)s) AS policy_id,
                       COALESCE(%(excluded)s, FALSE) AS excluded,
                       COALESCE(cp.cc_insolvency, FALSE) AS insolvency
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id AND acc.account_type = 'asset_receivable'
                  JOIN account_move m ON m.id = aml.move_id AND m.move_type = 'out_invoice'
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                  LEFT JOIN credit_control_risk_class rc ON rc.id = %(risk_class)s AND rc.company_id = %(company_id)s
                 WHERE aml.company_id = %(company_id)s
                   AND aml.parent_state = 'posted'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.amount_residual > 0
                   AND aml.date_maturity <= %(horizon)s
                   AND %(line_filter)s
            ), pol AS (
                SELECT id, escalation FROM credit_control_dunning_policy
                 WHERE company_id = %(company_id)s AND active
            ), hist AS (
                SELECT dl.move_line_id, MAX(lv.days) AS last_days, MAX(dl.date) AS last_date
                  FROM credit_control_dunning_line dl
                  JOIN credit_control_dunning_level lv ON lv.id = dl.level_id
                 WHERE dl.company_id = %(company_id)s
                   AND dl.state IN %(slot_states)s
                   AND dl.move_line_id IN (SELECT move_line_id FROM inst)
                 GROUP BY dl.move_line_id
            ), esc AS (
                SELECT r.move_id FROM credit_control_promise pr
                  JOIN credit_control_promise_move_rel r ON r.promise_id = pr.id
                 WHERE pr.company_id = %(company_id)s AND pr.state = 'broken' AND pr.escalation_done IS NOT TRUE
                 UNION
                SELECT r.move_id FROM credit_control_payment_plan pl
                  JOIN credit_control_payment_plan_move_rel r ON r.plan_id = pl.id
                 WHERE pl.company_id = %(company_id)s AND pl.state = 'broken' AND pl.escalation_done IS NOT TRUE
            ), cand AS (
                SELECT i.*, pol.escalation, h.last_days, h.last_date,
                       (e.move_id IS NOT NULL) AS escalate
                  FROM inst i
                  JOIN pol ON pol.id = i.policy_id
                  LEFT JOIN hist h ON h.move_line_id = i.move_line_id
                  LEFT JOIN esc e ON e.move_id = i.move_id
            )
            SELECT c.move_line_id, c.move_id, c.partner_id, c.policy_id, c.date_maturity, c.days_late,
                   c.amount_residual, c.amount_residual_currency, c.currency_id, c.balance, c.invoice_user_id,
                   c.escalate, t.level_id,
                   CASE WHEN c.excluded THEN 'excluded'
                        WHEN c.insolvency THEN 'insolvency'
                        WHEN c.factored THEN 'factored'
                        WHEN EXISTS (SELECT 1 FROM credit_control_dispute d
                                      WHERE d.move_id = c.move_id AND d.state = 'open') THEN 'dispute'
                        WHEN EXISTS (SELECT 1 FROM credit_control_promise pr
                                       JOIN credit_control_promise_move_rel r ON r.promise_id = pr.id
                                      WHERE r.move_id = c.move_id AND pr.state IN ('open', 'kept')
                                        AND pr.date_promised >= %(date)s) THEN 'promise'
                        WHEN EXISTS (SELECT 1 FROM credit_control_payment_plan pl
                                       JOIN credit_control_payment_plan_move_rel r ON r.plan_id = pl.id
                                      WHERE r.move_id = c.move_id AND pl.state = 'active') THEN 'payment_plan'
                   END AS skip
              FROM cand c
              JOIN LATERAL (
                  SELECT lv.id AS level_id, lv.min_days_since_previous AS min_days
                    FROM credit_control_dunning_level lv
                   WHERE lv.policy_id = c.policy_id
                     AND lv.active
                     AND lv.days > COALESCE(c.last_days, -2147483648)
                     AND NOT (lv.days < 0 AND c.days_late >= 0)
                     AND (lv.days <= c.days_late OR c.escalate)
                   ORDER BY CASE WHEN c.escalation = 'step' OR c.escalate THEN lv.days ELSE -lv.days END
                   LIMIT 1
              ) t ON TRUE
             WHERE c.last_date IS NULL OR c.escalate OR %(date)s - c.last_date >= t.min_days
             ORDER BY c.partner_id, t.level_id, c.date_maturity, c.move_line_id
            """,
            date=self.date,
            horizon=horizon,
            company_id=company.id,
            slot_states=SLOT_STATES,
            partner_policy=Partner._field_to_sql("cp", "cc_dunning_policy_id"),
            risk_class=Partner._field_to_sql("cp", "cc_risk_class_id"),
            excluded=Partner._field_to_sql("cp", "cc_dunning_excluded"),
            default_policy=company.cc_dunning_policy_id.id or None,
            line_filter=SQL("aml.id = ANY(%s)", list(move_line_ids)) if move_line_ids is not None else SQL("TRUE"),
        )

    def _create_communications(self, rows):
        """One communication per customer and level, with one line per installment (``rows``: those
        of a batch of customers, see ``_generate_communications``)."""
        self.ensure_one()
        if not rows:
            return self.env["credit.control.dunning.communication"]
        Level = self.env["credit.control.dunning.level"]
        levels = Level.browse({row["level_id"] for row in rows})
        partners = self.env["res.partner"].browse({row["partner_id"] for row in rows})
        recipients = partners._cc_dunning_recipients()
        collectors = partners.with_company(self.company_id)._cc_collectors()
        groups = defaultdict(list)
        for row in rows:
            groups[row["partner_id"], row["level_id"]].append(row)
        penalties = self.env["credit.control.penalty"]._compute_penalties(
            self.env["account.move.line"].browse(
                [row["move_line_id"] for row in rows if Level.browse(row["level_id"]).apply_penalties]
            ),
            self.date,
            self.company_id,
        )
        vals_list = []
        for partner_id, level_id in groups:
            level = levels.browse(level_id)
            vals = {
                "run_id": self.id,
                "company_id": self.company_id.id,
                "date": self.date,
                "partner_id": partner_id,
                "recipient_id": recipients[partner_id].id,
                "policy_id": level.policy_id.id,
                "level_id": level_id,
                "collector_user_id": (
                    level.activity_user_id or collectors.get(partner_id) or level.policy_id.collector_user_id
                ).id,
                "state": "draft" if level.policy_id.review_mode == "review" else "to_send",
            }
            vals.update({fname: level[fname] for fname in Level._channel_fields()})
            vals_list.append(vals)
        # no creation message nor follower per communication: the run is the trace of its creation
        communications = (
            self.env["credit.control.dunning.communication"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True)
            .create(vals_list)
        )
        line_vals = []
        for comm, group in zip(communications, groups.values(), strict=True):
            for row in group:
                penalty = penalties["lines"].get(row["move_line_id"], {})
                line_vals.append(
                    {
                        "communication_id": comm.id,
                        "state": comm.state,
                        "move_line_id": row["move_line_id"],
                        "level_id": comm.level_id.id,
                        "date_due": row["date_maturity"],
                        "days_late": row["days_late"],
                        "amount_original": row["balance"],
                        "amount_residual": row["amount_residual"],
                        "amount_residual_currency": row["amount_residual_currency"],
                        "currency_id": row["currency_id"],
                        "interest_amount": penalty.get("interest", 0.0),
                        "interest_rate": penalty.get("rate", 0.0),
                        "indemnity_amount": penalty.get("indemnity", 0.0),
                        "escalated": row["escalate"],
                        "penalty_error": penalty.get("error", False),
                    }
                )
        self.env["credit.control.dunning.line"].create(line_vals)
        return communications.with_context(self.env.context)

    def _generation_chunk_size(self):
        return max(
            int(self.env["ir.config_parameter"].sudo().get_param("credit_control.dunning_generation_chunk", 1000)), 1
        )

    def _mark_escalations_done(self, move_ids):
        """The broken promises and plans of ``move_ids`` escalated their invoices: only once."""
        if not move_ids:
            return
        for model, relation, column in (
            ("credit.control.promise", "credit_control_promise_move_rel", "promise_id"),
            ("credit.control.payment.plan", "credit_control_payment_plan_move_rel", "plan_id"),
        ):
            records = self.env[model]
            self.env.cr.execute(
                SQL(
                    """SELECT DISTINCT r.%s FROM %s r JOIN %s t ON t.id = r.%s
                        WHERE r.move_id = ANY(%s) AND t.state = 'broken' AND t.escalation_done IS NOT TRUE""",
                    SQL.identifier(column),
                    SQL.identifier(relation),
                    SQL.identifier(records._table),
                    SQL.identifier(column),
                    list(set(move_ids)),
                )
            )
            records.browse([row[0] for row in self.env.cr.fetchall()]).write({"escalation_done": True})


class CreditControlDunningCommunication(models.Model):
    """What one customer receives for one level: one letter, email, call... listing its installments."""

    _name = "credit.control.dunning.communication"
    _description = "Dunning Communication"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    run_id = fields.Many2one("credit.control.dunning.run", string="Run", readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date = fields.Date(
        required=True, readonly=True, help="Date of the letter: days late and penalties are counted on it."
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    recipient_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        required=True,
        help="Contact the letter is addressed to: the invoicing address of the customer by default.",
    )
    recipient_email = fields.Char(related="recipient_id.email", string="Recipient Email")
    recipient_phone = fields.Char(related="recipient_id.phone", string="Phone")
    recipient_mobile = fields.Char(related="recipient_id.mobile", string="Mobile")
    lang = fields.Selection(related="partner_id.lang", string="Language")
    policy_id = fields.Many2one("credit.control.dunning.policy", string="Policy", required=True, readonly=True)
    level_id = fields.Many2one("credit.control.dunning.level", string="Level", required=True, readonly=True, index=True)
    litigation = fields.Boolean(related="level_id.litigation")
    collector_user_id = fields.Many2one(
        "res.users", string="Collector", tracking=True, help="Gets the calls and tasks of this communication."
    )
    state = fields.Selection(
        COMMUNICATION_STATES, default="draft", required=True, readonly=True, tracking=True, index=True, copy=False
    )
    channel_email = fields.Boolean(string="Email")
    channel_letter = fields.Boolean(string="Printed Letter")
    channel_lrar = fields.Boolean(string="Registered Letter (LRAR)")
    channel_call = fields.Boolean(string="Phone Call")
    channel_salesperson = fields.Boolean(string="Alert Salesperson")
    channel_sms = fields.Boolean(string="SMS")
    has_letter = fields.Boolean(compute="_compute_has_letter", store=True, help="A letter is printed and posted.")
    channels = fields.Char(compute="_compute_channels")
    line_ids = fields.One2many("credit.control.dunning.line", "communication_id", string="Installments")
    letter_line_ids = fields.Many2many(
        "credit.control.dunning.line",
        compute="_compute_letter_line_ids",
        string="Installments Claimed",
        help="Installments listed on the letter: not excluded, not paid before sending; oldest first.",
    )
    invoice_table_html = fields.Html(
        compute="_compute_invoice_table_html", sanitize=False, help="Table of the invoices, for the email templates."
    )
    invoice_ids = fields.Many2many("account.move", compute="_compute_invoice_ids", string="Invoices")
    amount_residual = fields.Monetary(string="Amount Due", compute="_compute_totals", store=True)
    interest_amount = fields.Monetary(string="Late-Payment Interest", compute="_compute_totals", store=True)
    indemnity_amount = fields.Monetary(string="Recovery Indemnities", compute="_compute_totals", store=True)
    amount_total = fields.Monetary(
        string="Total Claimed", compute="_compute_totals", store=True, help="Amount due + interest + indemnities."
    )
    max_days_late = fields.Integer(string="Days Late", compute="_compute_totals", store=True)
    subject = fields.Char(help="Subject of the email.")
    email_body = fields.Html(string="Email Body", sanitize_style=True)
    letter_html = fields.Html(string="Letter Text", sanitize_style=True)
    letter_closing_html = fields.Html(string="Letter Closing", sanitize_style=True)
    sms_text = fields.Text(string="SMS Text")
    content_rendered = fields.Boolean(readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", string="Letter PDF", readonly=True, copy=False)
    dossier_attachment_id = fields.Many2one("ir.attachment", string="Litigation Dossier", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    date_printed = fields.Datetime(string="Printed On", readonly=True, copy=False)
    lrar_tracking = fields.Char(
        string="LRAR Tracking Number", tracking=True, copy=False, help="Number of the registered letter's receipt."
    )
    lrar_date_posted = fields.Date(string="LRAR Posted On", tracking=True, copy=False)
    lrar_date_received = fields.Date(
        string="LRAR Received On", tracking=True, copy=False, help="Date of the acknowledgment of receipt."
    )
    error_message = fields.Text(string="Error", readonly=True, copy=False)
    promise_ids = fields.One2many("credit.control.promise", "communication_id", string="Promises")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("channel_letter", "channel_lrar")
    def _compute_has_letter(self):
        for comm in self:
            comm.has_letter = comm.channel_letter or comm.channel_lrar

    @api.depends(
        "channel_email", "channel_letter", "channel_lrar", "channel_call", "channel_salesperson", "channel_sms"
    )
    def _compute_channels(self):
        channel_fields = self.env["credit.control.dunning.level"]._channel_fields()
        for comm in self:
            comm.channels = ", ".join(
                self._fields[fname]._description_string(self.env) for fname in channel_fields if comm[fname]
            )

    @api.depends("line_ids.state", "line_ids.date_due")
    def _compute_letter_line_ids(self):
        for comm in self:
            comm.letter_line_ids = comm._get_letter_lines()

    @api.depends("letter_line_ids")
    def _compute_invoice_table_html(self):
        cell = "padding: 4px 6px; border: 1px solid #ccc;"
        for comm in self:
            lang = comm.partner_id.lang or self.env.lang
            head = Markup("").join(
                Markup('<th style="%s text-align: %s;">%s</th>') % (cell, align, label)
                for label, align in comm.with_context(lang=lang)._invoice_table_labels()
            )
            rows = Markup("").join(
                Markup(
                    '<tr><td style="%s">%s</td><td style="%s">%s</td>'
                    '<td style="%s text-align: right;">%s</td><td style="%s text-align: right;">%s</td></tr>'
                )
                % (
                    cell,
                    line.move_id.name or "",
                    cell,
                    format_date(self.env, line.date_due, lang_code=lang),
                    cell,
                    max(line.days_late, 0),
                    cell,
                    formatLang(
                        comm.with_context(lang=lang).env, line.amount_residual_currency, currency_obj=line.currency_id
                    ),
                )
                for line in comm.letter_line_ids
            )
            comm.invoice_table_html = Markup(
                '<table style="border-collapse: collapse; width: 100%%; font-size: 13px;">'
                '<thead><tr style="background-color: #f2f2f2;">%s</tr></thead><tbody>%s</tbody></table>'
            ) % (head, rows)

    def _invoice_table_labels(self):
        """Column titles of the invoice table (in the language of the context)."""
        return (
            (self.env._("Invoice"), "left"),
            (self.env._("Due Date"), "left"),
            (self.env._("Days Late"), "right"),
            (self.env._("Amount Due"), "right"),
        )

    @api.depends("line_ids.move_id")
    def _compute_invoice_ids(self):
        for comm in self:
            comm.invoice_ids = comm.line_ids.move_id

    @api.depends("line_ids.state", "line_ids.amount_residual", "line_ids.interest_amount", "line_ids.indemnity_amount")
    def _compute_totals(self):
        for comm in self:
            lines = comm.line_ids.filtered(lambda line: line.state not in INACTIVE_LINE_STATES)
            currency = comm.currency_id or self.env.company.currency_id
            comm.amount_residual = currency.round(sum(lines.mapped("amount_residual")))
            comm.interest_amount = currency.round(sum(lines.mapped("interest_amount")))
            comm.indemnity_amount = currency.round(sum(lines.mapped("indemnity_amount")))
            comm.amount_total = currency.round(comm.amount_residual + comm.interest_amount + comm.indemnity_amount)
            comm.max_days_late = max(lines.mapped("days_late") or [0])

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # OVERRIDE: number the communications; the lines share the state of their communication
        unnamed = [vals for vals in vals_list if not vals.get("name") or vals["name"] == self.env._("New")]
        numbers = next_sequence_numbers(self.env, "credit.control.dunning.communication", len(unnamed))
        for vals, number in zip(unnamed, numbers, strict=True):
            vals["name"] = number
        for vals in vals_list:
            for command in vals.get("line_ids") or []:
                if command[0] == Command.CREATE:
                    command[2].setdefault("state", vals.get("state", "draft"))
        return super(CreditControlDunningCommunication, self.with_context(mail_create_nosubscribe=True)).create(
            vals_list
        )

    def write(self, vals):
        # OVERRIDE: the lines follow the state of their communication (excluded lines stay excluded)
        res = super().write(vals)
        if "state" in vals:
            self.line_ids.filtered(lambda line: line.state not in INACTIVE_LINE_STATES).write({"state": vals["state"]})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(comm.state in ("sent", "excluded") for comm in self):
            raise UserError(self.env._("A communication sent or excluded is a trace: it cannot be deleted."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_validate(self):
        """Review: send these draft communications now."""
        self.env["credit.control.dunning.run"]._check_credit_manager()
        drafts = self.filtered(lambda c: c.state == "draft")
        if not drafts:
            raise UserError(self.env._("Only communications waiting for review can be validated."))
        for comm in drafts:
            if not comm.line_ids.filtered(lambda line: line.state not in INACTIVE_LINE_STATES):
                raise UserError(
                    self.env._(
                        "Every installment of %(communication)s is excluded: exclude the communication instead.",
                        communication=comm.name,
                    )
                )
        drafts.write({"state": "to_send"})
        drafts.sudo()._send()
        drafts.run_id.filtered(
            lambda r: r.state == "review" and "draft" not in r.communication_ids.mapped("state")
        )._finish()
        return True

    def action_exclude(self):
        """Review: do not send these communications; their levels are not proposed again for their
        installments."""
        self.env["credit.control.dunning.run"]._check_credit_manager()
        if any(comm.state != "draft" for comm in self):
            raise UserError(self.env._("Only communications waiting for review can be excluded."))
        self.write({"state": "excluded"})
        self.line_ids.write({"state": "excluded"})
        self.run_id.filtered(
            lambda r: r.state == "review" and "draft" not in r.communication_ids.mapped("state")
        )._finish()
        return True

    def action_retry(self):
        """Send again the communications in error (after fixing the cause: email, template...)."""
        self.env["credit.control.dunning.run"]._check_credit_manager()
        errors = self.filtered(lambda c: c.state == "error")
        if not errors:
            raise UserError(self.env._("Only communications in error can be sent again."))
        # a later run may have prepared the same level for an installment in the meantime
        taken = self.env["credit.control.dunning.line"].search(
            [
                ("move_line_id", "in", errors.line_ids.move_line_id.ids),
                ("state", "in", SLOT_STATES),
                ("communication_id", "not in", errors.ids),
            ]
        )
        taken_slots = {(line.move_line_id.id, line.level_id.id) for line in taken}
        for comm in errors:
            duplicates = comm.line_ids.filtered(lambda line: (line.move_line_id.id, line.level_id.id) in taken_slots)
            duplicates.write({"state": "cancel"})
            if duplicates == comm.line_ids:
                comm.write({"state": "cancel", "error_message": self.env._("Prepared again by a later run.")})
        errors = errors.filtered(lambda c: c.state == "error")
        errors.write({"state": "to_send", "error_message": False})
        errors.sudo()._send()
        return True

    def action_render_content(self):
        """Render the email and the letter again from the level (drops manual edits)."""
        self.filtered(lambda c: c.state in ("draft", "to_send", "error"))._render_contents(force=True)
        return True

    def action_preview_letter(self):
        self.ensure_one()
        return (
            self.env.ref("credit_control.action_report_dunning_letter")
            .with_context(discard_logo_check=True)
            .report_action(self)
        )

    def action_print_letter(self):
        """Print the letters (the PDF kept at sending) and note the printing date."""
        comms = self.filtered("has_letter")
        if not comms:
            raise UserError(self.env._("None of these communications is a letter to post."))
        comms.filtered(lambda c: not c.date_printed and c.state == "sent").write(
            {"date_printed": fields.Datetime.now()}
        )
        return (
            self.env.ref("credit_control.action_report_dunning_letter")
            .with_context(discard_logo_check=True)
            .report_action(comms)
        )

    def action_print_dossier(self):
        self.ensure_one()
        return (
            self.env.ref("credit_control.action_report_litigation_dossier")
            .with_context(discard_logo_check=True)
            .report_action(self)
        )

    def action_claim_penalties(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claim the Penalties"),
            "res_model": "credit.control.penalty.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_reclassify_doubtful(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Doubtful Receivable"),
            "res_model": "credit.control.doubtful.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_record_promise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to Pay"),
            "res_model": "credit.control.promise",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_communication_id": self.id,
                "default_move_ids": [Command.set(self.line_ids.move_id.ids)],
                "default_amount": self.amount_residual,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS: content
    # ------------------------------------------------------------

    def _render_contents(self, force=False):
        """Render subject, email body, letter text and SMS in the customer's language.

        A communication whose template fails goes in error with the reason; the others go on."""
        for comm in self:
            if comm.content_rendered and not force:
                continue
            try:
                with self.env.cr.savepoint():
                    comm.write(comm._prepare_content())
            except Exception as error:  # noqa: BLE001  # one customer's template must not stop the others
                comm._set_error(error)

    def _prepare_content(self):
        self.ensure_one()
        level = self.level_id
        lang = self.partner_id.lang or self.env.lang or "en_US"
        vals = {"content_rendered": True}
        if level.letter_body:
            vals["letter_html"] = level._render_field("letter_body", self.ids, set_lang=lang)[self.id]
        if level.letter_closing:
            vals["letter_closing_html"] = level._render_field("letter_closing", self.ids, set_lang=lang)[self.id]
        if level.sms_body:
            vals["sms_text"] = level._render_field("sms_body", self.ids, set_lang=lang)[self.id]
        template = level.mail_template_id
        if template:
            values = template._generate_template(self.ids, ("subject", "body_html"))[self.id]
            vals.update(subject=values.get("subject"), email_body=values.get("body_html"))
        return vals

    def _get_letter_lines(self):
        """Lines shown on the letter: the installments not excluded, oldest first."""
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.state not in INACTIVE_LINE_STATES).sorted(
            lambda line: (line.date_due, line.move_id.name or "")
        )

    def _get_letter_title(self):
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        return self.level_id.with_context(lang=lang).letter_title or self.level_id.with_context(lang=lang).name

    def _get_other_overdue(self):
        """Overdue amount of the customer outside this letter (company currency)."""
        self.ensure_one()
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id.commercial_partner_id", "=", self.partner_id.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", ">", 0),
                    ("date_maturity", "<", self.date),
                    ("id", "not in", self.line_ids.move_line_id.ids),
                ]
            )
        )
        return self.currency_id.round(sum(lines.mapped("amount_residual")))

    def _format_amount(self, amount, currency=None):
        # in the customer's language, like the dates and rates: a draft printed from an English
        # interface shows the amounts of a French letter the French way
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        return formatLang(env, amount, currency_obj=currency or self.currency_id)

    def _format_rate(self, rate):
        return formatLang(self.with_context(lang=self.partner_id.lang or self.env.lang).env, rate, digits=2)

    def _format_date(self, day):
        return format_date(self.env, day, lang_code=self.partner_id.lang or self.env.lang) if day else ""

    def _get_dossier_data(self):
        """What the litigation dossier shows besides the communication: the communications sent for
        its installments, the promises and disputes of its invoices, the penalties already invoiced."""
        self.ensure_one()
        moves = self.line_ids.move_id
        history = self.search(
            [
                ("line_ids.move_line_id", "in", self.line_ids.move_line_id.ids),
                ("state", "=", "sent"),
                ("company_id", "=", self.company_id.id),
            ],
            order="date, id",
        )
        # the hand-off itself, printed while it is being sent
        history = (history | self).sorted(lambda comm: (comm.date, comm.id))
        promises = self.env["credit.control.promise"].search([("move_ids", "in", moves.ids)], order="date")
        disputes = self.env["credit.control.dispute"].search([("move_id", "in", moves.ids)], order="date_open")
        claimed = self.env["credit.control.penalty"].search(
            [("invoice_id", "in", moves.ids), ("penalty_move_state", "!=", "cancel")]
        )
        return {
            "history": history,
            "promises": promises,
            "disputes": disputes,
            "penalties_claimed": self.currency_id.round(sum(claimed.mapped("amount"))),
        }

    # ------------------------------------------------------------
    # BUSINESS: sending
    # ------------------------------------------------------------

    def _send(self):
        """Send each communication; one that fails goes in error with the reason, the others go on."""
        for comm in self:
            if comm.state != "to_send":
                continue
            try:
                with self.env.cr.savepoint():
                    comm._send_one()
            except Exception as error:  # noqa: BLE001  # one customer failing must not stop the run
                _logger.info("Dunning communication %s in error: %s", comm.name, error)
                comm._set_error(error)

    def _set_error(self, error):
        self.ensure_one()
        message = self._error_reason(error)
        self.write({"state": "error", "error_message": message})
        self.message_post(body=self.env._("Not sent: %(reason)s", reason=message))

    @api.model
    def _error_reason(self, error):
        """A readable reason: the message of a user error, else the exception; a long message (a
        template traceback) is cut to its first and last lines."""
        if isinstance(error, UserError | ValidationError) and error.args:
            message = str(error.args[0])
        else:
            message = f"{type(error).__name__}: {error}"
        lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
        if len(lines) > 2:
            cause = next((line for line in reversed(lines) if ERROR_LINE.match(line)), lines[-1])
            message = f"{lines[0][:200]} [...] {cause[:300]}"
        return message

    def _send_one(self):
        """Every channel of the communication, then the traces. Raises UserError when it cannot be sent."""
        self.ensure_one()
        self._drop_paid_lines()
        if not self.line_ids.filtered(lambda line: line.state == "to_send"):
            self.write({"state": "cancel", "error_message": self.env._("Paid before sending.")})
            return
        self._check_can_send()
        if not self.content_rendered:
            self.write(self._prepare_content())
        if self.channel_email or self.has_letter or self.litigation:
            self._render_letter_pdf()
        if self.channel_email:
            self._send_email()
        if self.channel_sms:
            self._send_sms()
        if self.channel_call:
            self._schedule_call()
        if self.channel_salesperson:
            self._alert_salespeople()
        if self.level_id.hold_partner:
            self._put_partner_on_hold()
        if self.litigation:
            self._prepare_litigation()
        self.write({"state": "sent", "date_sent": fields.Datetime.now()})
        self._trace()

    def _drop_paid_lines(self):
        """Installments paid since the generation are not claimed any more."""
        paid = self.line_ids.filtered(lambda line: line.state == "to_send" and line.move_line_id.reconciled)
        paid.write({"state": "cancel"})

    def _check_can_send(self):
        self.ensure_one()
        for line in self._get_letter_lines().filtered("penalty_error"):
            raise UserError(line.penalty_error)
        recipient = self.recipient_id
        if self.channel_email and not recipient.email:
            raise UserError(
                self.env._(
                    "%(recipient)s has no email address: add one or untick the email channel.",
                    recipient=recipient.display_name,
                )
            )
        if self.channel_email and not self.level_id.mail_template_id:
            raise UserError(self.env._("The level %(level)s has no email template.", level=self.level_id.display_name))
        if self.has_letter and not (recipient.street or recipient.city):
            raise UserError(
                self.env._("%(recipient)s has no postal address for the letter.", recipient=recipient.display_name)
            )
        if self.channel_sms:
            if "sms.sms" not in self.env:
                raise UserError(self.env._("SMS cannot be sent: the SMS module is not installed."))
            if not (recipient.mobile or recipient.phone):
                raise UserError(
                    self.env._("%(recipient)s has no phone number for the SMS.", recipient=recipient.display_name)
                )

    def _letter_filename(self):
        self.ensure_one()
        return f"{self.name.replace('/', '-')}.pdf"

    def _render_letter_pdf(self):
        """Render the letter once and keep it: the PDF sent is the PDF kept."""
        self.ensure_one()
        if self.attachment_id:
            return self.attachment_id
        report = self.env.ref("credit_control.action_report_dunning_letter")
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(report_pdf_no_attachment=True, lang=self.partner_id.lang or self.env.lang)
            ._render_qweb_pdf(report, self.ids)
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._letter_filename(),
                "raw": content,
                "mimetype": "application/pdf" if content_type == "pdf" else "text/html",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.attachment_id = attachment
        return attachment

    def _send_email(self):
        """Queue the email with the letter attached; it is also the trace in the chatter."""
        self.ensure_one()
        template = self.level_id.mail_template_id
        values = template._generate_template(self.ids, ("email_from", "reply_to"))[self.id]
        self.with_context(mail_notify_force_send=False).message_post(
            body=self.email_body,
            subject=self.subject,
            partner_ids=self.recipient_id.ids,
            attachment_ids=self.attachment_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_from=values.get("email_from") or self.company_id.email_formatted or None,
            reply_to=values.get("reply_to") or None,
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _send_sms(self):
        self.ensure_one()
        recipient = self.recipient_id
        number = recipient.mobile or recipient.phone
        body = self.sms_text or html2plaintext(self.letter_html or "")
        self._message_sms(
            body,
            partner_ids=recipient.ids,
            sms_pid_to_number={recipient.id: number},
            put_in_queue=True,
        )

    def _activity_note(self):
        self.ensure_one()
        items = Markup().join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(invoice)s: %(amount)s, %(days)s days late",
                invoice=line.move_id.name,
                amount=self._format_amount(line.amount_residual),
                days=line.days_late,
            )
            for line in self._get_letter_lines()
        )
        return Markup("<p>%s - %s</p><ul>%s</ul>") % (self.partner_id.display_name, self.level_id.display_name, items)

    def _schedule_call(self):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.date,
            summary=self.env._(
                "Call %(customer)s: %(amount)s due",
                customer=self.partner_id.display_name,
                amount=self._format_amount(self.amount_residual),
            ),
            note=self._activity_note(),
            user_id=(self.collector_user_id or self.env.user).id,
        )

    def _alert_salespeople(self):
        """One activity per salesperson of the invoices, on the customer."""
        self.ensure_one()
        by_user = defaultdict(lambda: self.env["account.move"])
        for move in self._get_letter_lines().move_id:
            if move.invoice_user_id:
                by_user[move.invoice_user_id] |= move
        for user, moves in by_user.items():
            self.partner_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date,
                summary=self.env._(
                    "Dunning %(level)s: %(invoices)s",
                    level=self.level_id.name,
                    invoices=", ".join(moves.mapped("name")),
                ),
                note=self._activity_note(),
                user_id=user.id,
            )

    def _put_partner_on_hold(self):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id).sudo()
        if not partner.cc_hold:
            partner.write(
                {
                    "cc_hold": True,
                    "cc_hold_reason": self.env._(
                        "Dunning level %(level)s reached (%(communication)s)",
                        level=self.level_id.name,
                        communication=self.name,
                    ),
                }
            )

    def _prepare_litigation(self):
        """Litigation hand-off: the dossier PDF is kept and the collector gets the task."""
        self.ensure_one()
        report = self.env.ref("credit_control.action_report_litigation_dossier")
        content, content_type = (
            self.env["ir.actions.report"]
            .with_context(report_pdf_no_attachment=True, lang=self.env.user.lang or "fr_FR")
            ._render_qweb_pdf(report, self.ids)
        )
        self.dossier_attachment_id = self.env["ir.attachment"].create(
            {
                "name": self.env._("Dossier %(name)s.pdf", name=self.name.replace("/", "-")),
                "raw": content,
                "mimetype": "application/pdf" if content_type == "pdf" else "text/html",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date,
            summary=self.env._("Litigation hand-off of %(customer)s", customer=self.partner_id.display_name),
            note=self.env._(
                "Send the dossier to the collection agency or the court (injonction de payer) and book the "
                "receivable as doubtful."
            ),
            user_id=(self.collector_user_id or self.env.user).id,
        )

    def _trace(self):
        """Chatter of the customer and of each invoice; last level and date on installments and invoices."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.state == "sent")
        body = self.env._(
            "Dunning %(level)s (%(communication)s) of %(date)s: %(channels)s to %(recipient)s, %(amount)s.",
            level=self.level_id.display_name,
            communication=self._get_html_link(title=self.name),
            date=format_date(self.env, self.date),
            channels=self.channels or "-",
            recipient=self.recipient_id.display_name,
            amount=self._format_amount(self.amount_total),
        )
        self.partner_id._message_log(body=body, attachment_ids=self.attachment_id.ids)
        lines.move_id._message_log_batch(bodies=dict.fromkeys(lines.move_id.ids, body))
        lines.move_line_id.write({"cc_dunning_level_id": self.level_id.id, "cc_dunning_date": self.date})
        lines.move_id.write({"cc_dunning_level_id": self.level_id.id, "cc_dunning_date": self.date})


class CreditControlDunningLine(models.Model):
    """One installment in a communication: the trace that its level was prepared, sent or excluded."""

    _name = "credit.control.dunning.line"
    _description = "Dunning Line"
    _order = "date_due, id"
    _check_company_auto = True

    communication_id = fields.Many2one(
        "credit.control.dunning.communication", required=True, ondelete="cascade", index=True
    )
    run_id = fields.Many2one(related="communication_id.run_id", store=True, index=True)
    company_id = fields.Many2one(related="communication_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="communication_id.partner_id", store=True, index=True)
    date = fields.Date(related="communication_id.date", store=True)
    level_id = fields.Many2one("credit.control.dunning.level", required=True, index=True, ondelete="restrict")
    state = fields.Selection(COMMUNICATION_STATES, default="draft", required=True, index=True)
    move_line_id = fields.Many2one(
        "account.move.line", string="Installment", required=True, index=True, ondelete="cascade"
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True, string="Invoice")
    date_due = fields.Date(string="Due Date", required=True)
    days_late = fields.Integer(help="Negative: days before the due date.")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_original = fields.Monetary(string="Installment Amount", currency_field="company_currency_id")
    amount_residual = fields.Monetary(string="Amount Due", currency_field="company_currency_id")
    currency_id = fields.Many2one("res.currency", string="Invoice Currency")
    amount_residual_currency = fields.Monetary(string="Amount Due in Invoice Currency", currency_field="currency_id")
    interest_rate = fields.Float(string="Rate (%)", digits=(16, 2))
    interest_amount = fields.Monetary(string="Interest", currency_field="company_currency_id")
    indemnity_amount = fields.Monetary(string="Indemnity", currency_field="company_currency_id")
    escalated = fields.Boolean(help="Sent ahead of its days because a promise or a payment plan was broken.")
    penalty_error = fields.Char(readonly=True, help="Why the penalties of this installment could not be computed.")

    def init(self):
        # a level is prepared once per installment: the database guarantees it, whatever runs in parallel
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS credit_control_dunning_line_slot_uniq
                       ON credit_control_dunning_line (move_line_id, level_id)
                    WHERE state IN %s""",
                SLOT_STATES,
            )
        )

    def action_exclude(self):
        """Review: leave this installment out of the communication."""
        if any(line.communication_id.state != "draft" for line in self):
            raise UserError(self.env._("Only installments of communications to review can be excluded."))
        self.write({"state": "excluded"})
        return True

    def action_include(self):
        if any(line.communication_id.state != "draft" for line in self):
            raise UserError(self.env._("Only installments of communications to review can be included again."))
        self.write({"state": "draft"})
        return True
