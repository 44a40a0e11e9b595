"""The measured jobs: ours (the credit control addons), OCA's addons, native Odoo, the SQL floor.

A job is a function ``job(env, ctx)`` that prepares what it needs (not timed), then runs the
measured part inside ``ctx.timed()``; it returns a small summary (counts) that shows it did the
work. Each repetition runs in a transaction rolled back afterwards, so every repetition starts
from the same data. ``available(env)`` says whether the job can run in this database (the code it
measures is installed); a job that cannot run is reported as missing, never faked."""

import contextlib
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import SQL

JOBS = {}


@dataclass
class Job:
    name: str
    side: str  # ours, oca, native, sql
    title: str  # the comparable task, shared by the sides that do it
    func: object
    requires: tuple = ()  # models or "model.method" that must exist
    modules: tuple = ()  # modules that must be installed
    db: str = "ours"  # the database family: ours or oca


@dataclass
class Ctx:
    """What a job run gets: timing and query counting of its measured part."""

    env: object
    seconds: float = 0.0
    queries: int = 0
    extra: dict = field(default_factory=dict)

    @contextlib.contextmanager
    def timed(self):
        cr = self.env.cr
        self.env.flush_all()
        count0 = cr.sql_log_count
        start = time.perf_counter()
        yield
        self.env.flush_all()
        self.seconds += time.perf_counter() - start
        self.queries += cr.sql_log_count - count0


def job(name, side, title, requires=(), modules=(), db=None):
    def decorator(func):
        JOBS[name] = Job(
            name, side, title, func, tuple(requires), tuple(modules), db or ("oca" if side == "oca" else "ours")
        )
        return func

    return decorator


def available(env, spec):
    """(True, "") or (False, why) for a job in this database."""
    installed = set(env["ir.module.module"].sudo().search([("state", "=", "installed")]).mapped("name"))
    for module in spec.modules:
        if module not in installed:
            return False, f"module {module} not installed"
    for req in spec.requires:
        model, _, method = req.partition(":")
        if model not in env.registry:
            return False, f"model {model} missing"
        if method and not hasattr(env[model], method):
            return False, f"{model}.{method} missing"
    return True, ""


# ----------------------------------------------------------------
# HELPERS
# ----------------------------------------------------------------


def _today(env):
    return fields.Date.context_today(env["res.partner"])


def heavy_partner(env):
    """The customer with the most posted invoices (the generator's customer 1)."""
    env.cr.execute("SELECT id FROM res_partner WHERE ref = 'BENCH-1' AND is_company LIMIT 1")
    row = env.cr.fetchone()
    if row:
        return env["res.partner"].browse(row[0])
    env.cr.execute(
        """SELECT commercial_partner_id FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'
            GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"""
    )
    return env["res.partner"].browse(env.cr.fetchone()[0])


def heavy_ok_partner(env):
    """The customer with the most posted invoices among those whose orders pass our check (the
    same customer in OCA's database, where our addons are installed too)."""
    env.cr.execute(
        """SELECT commercial_partner_id FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'
            GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 2000"""
    )
    ids = [row[0] for row in env.cr.fetchall()]
    figures = env["res.partner"]._cc_read_figures(ids, env.company)
    for partner_id in ids:
        if figures.get(partner_id, {}).get("status", "ok") != "blocked":
            return env["res.partner"].browse(partner_id)
    return heavy_partner(env)


def light_partner(env):
    """A customer with a single posted invoice, no contact and no order (constant-query check)."""
    env.cr.execute(
        """SELECT m.commercial_partner_id FROM account_move m
            WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
            GROUP BY 1 HAVING COUNT(*) = 1 ORDER BY 1 LIMIT 1"""
    )
    row = env.cr.fetchone()
    return env["res.partner"].browse(row[0]) if row else heavy_partner(env)


def history_size(env, partner):
    env.cr.execute(
        SQL(
            """SELECT COUNT(*) FROM account_move_line l JOIN account_account a ON a.id = l.account_id
                WHERE a.account_type = 'asset_receivable' AND l.partner_id = %s""",
            partner.id,
        )
    )
    return env.cr.fetchone()[0]


def draft_order(env, partner, amount=100.0):
    product = env["product.product"].search([("default_code", "=", "CC-BENCH")], limit=1)
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": amount})],
        }
    )


def customers(env):
    return env["res.partner"].search(
        [("customer_rank", ">", 0), "|", ("is_company", "=", True), ("parent_id", "=", False)], order="id"
    )


def receivable_filter():
    return SQL(
        """FROM account_move_line l
           JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
          WHERE l.company_id = %s AND l.parent_state = 'posted' AND NOT l.reconciled""",
        1,
    )


def last_month(env):
    first = _today(env).replace(day=1)
    start = first - relativedelta(months=1)
    return start, first - timedelta(days=1)


# ----------------------------------------------------------------
# EXPOSURE OF ALL CUSTOMERS
# ----------------------------------------------------------------


@job("ours.exposure_all", "ours", "exposure of all customers", requires=("res.partner:_cc_read_figures",))
def ours_exposure_all(env, ctx):
    with ctx.timed():
        figures = env["res.partner"]._cc_read_figures(None, env.company)
    return {"customers": len(figures)}


@job("native.exposure_all", "native", "exposure of all customers")
def native_exposure_all(env, ctx):
    partners = customers(env)
    env.invalidate_all()
    with ctx.timed():
        total = sum(partners.mapped("credit")) + sum(partners.mapped("credit_to_invoice"))
    return {"customers": len(partners), "total": round(total, 2)}


@job("oca.exposure_all", "oca", "exposure of all customers", modules=("account_financial_risk",))
def oca_exposure_all(env, ctx):
    partners = customers(env)
    env.invalidate_all()
    with ctx.timed():
        total = sum(partners.mapped("risk_total"))
    return {"customers": len(partners), "total": round(total, 2)}


@job("sql.exposure_all", "sql", "exposure of all customers")
def sql_exposure_all(env, ctx):
    with ctx.timed():
        env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, SUM(l.amount_residual)
                     FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.company_id = %s AND l.parent_state = 'posted' AND NOT l.reconciled
                    GROUP BY p.commercial_partner_id""",
                env.company.id,
            )
        )
        rows = env.cr.fetchall()
    return {"customers": len(rows)}


# ----------------------------------------------------------------
# CUSTOMERS OVER THEIR LIMIT
# ----------------------------------------------------------------


@job("ours.over_limit_search", "ours", "customers over their limit", requires=("res.partner:_cc_read_figures",))
def ours_over_limit(env, ctx):
    with ctx.timed():
        partners = env["res.partner"].search([("cc_available_credit", "<", 0)])
    return {"over_limit": len(partners)}


@job("oca.over_limit_search", "oca", "customers over their limit", modules=("account_financial_risk",))
def oca_over_limit(env, ctx):
    env.invalidate_all()
    with ctx.timed():
        partners = env["res.partner"].search([("risk_exception", "=", True)])
    return {"over_limit": len(partners)}


@job("sql.over_limit_search", "sql", "customers over their limit")
def sql_over_limit(env, ctx):
    company_key = str(env.company.id)
    with ctx.timed():
        env.cr.execute(
            SQL(
                """SELECT cp.id
                     FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                     JOIN res_partner p ON p.id = l.partner_id
                     JOIN res_partner cp ON cp.id = p.commercial_partner_id
                     LEFT JOIN credit_control_risk_class rc ON rc.id = (cp.cc_risk_class_id ->> %(key)s)::int
                    WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND NOT l.reconciled
                    GROUP BY cp.id, rc.credit_limit
                   HAVING SUM(l.amount_residual) > COALESCE(rc.credit_limit, 0)""",
                key=company_key,
                company=env.company.id,
            )
        )
        rows = env.cr.fetchall()
    return {"over_limit": len(rows)}


# ----------------------------------------------------------------
# CONFIRMATION CHECK OF ONE ORDER
# ----------------------------------------------------------------


def _check(env, ctx, partner):
    order = draft_order(env, partner)
    env.invalidate_all()
    state = "ok"
    with ctx.timed():
        try:
            order._cc_check_credit()
        except UserError:
            state = "blocked"
    return {"state": state, "history_lines": history_size(env, partner)}


@job(
    "ours.confirm_check_heavy", "ours", "confirmation check, heavy customer", requires=("sale.order:_cc_check_credit",)
)
def ours_check_heavy(env, ctx):
    return _check(env, ctx, heavy_partner(env))


@job(
    "ours.confirm_check_light", "ours", "confirmation check, light customer", requires=("sale.order:_cc_check_credit",)
)
def ours_check_light(env, ctx):
    return _check(env, ctx, light_partner(env))


@job(
    "ours.confirm_order_heavy",
    "ours",
    "confirm one order of the heavy customer",
    requires=("sale.order:_cc_check_credit",),
)
def ours_confirm_heavy(env, ctx):
    order = draft_order(env, heavy_ok_partner(env))
    env.invalidate_all()
    with ctx.timed():
        order.action_confirm()
    return {"state": order.state, "history_lines": history_size(env, order.partner_id)}


@job(
    "ours.confirm_order_heavy_nocheck",
    "ours",
    "confirm one order, no credit check",
    requires=("sale.order:_cc_check_credit",),
)
def ours_confirm_heavy_nocheck(env, ctx):
    env.company.cc_enabled = False
    order = draft_order(env, heavy_ok_partner(env))
    env.invalidate_all()
    with ctx.timed():
        order.action_confirm()
    return {"state": order.state, "history_lines": history_size(env, order.partner_id)}


@job("native.confirm_warning_heavy", "native", "confirmation check, heavy customer")
def native_warning_heavy(env, ctx):
    env.company.account_use_credit_limit = True
    order = draft_order(env, heavy_partner(env))
    env.invalidate_all()
    with ctx.timed():
        warning = order.partner_credit_warning
    return {"warning": bool(warning)}


@job("oca.confirm_order_heavy", "oca", "confirm one order of the heavy customer", modules=("sale_financial_risk",))
def oca_confirm_heavy(env, ctx):
    order = draft_order(env, heavy_ok_partner(env))
    env.invalidate_all()
    with ctx.timed():
        result = order.action_confirm()
    return {"state": order.state, "wizard": isinstance(result, dict)}


@job("oca.confirm_order_heavy_nocheck", "oca", "confirm one order, no credit check", modules=("sale_financial_risk",))
def oca_confirm_heavy_bypass(env, ctx):
    order = draft_order(env, heavy_ok_partner(env)).with_context(bypass_risk=True)
    env.invalidate_all()
    with ctx.timed():
        order.action_confirm()
    return {"state": order.state}


@job("sql.confirm_check_heavy", "sql", "confirmation check, heavy customer")
def sql_check_heavy(env, ctx):
    partner = heavy_partner(env)
    with ctx.timed():
        env.cr.execute(
            SQL(
                """SELECT SUM(l.amount_residual) FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                    WHERE l.partner_id IN (SELECT id FROM res_partner WHERE commercial_partner_id = %s)
                      AND l.parent_state = 'posted' AND NOT l.reconciled""",
                partner.id,
            )
        )
        env.cr.fetchall()
    return {}


# ----------------------------------------------------------------
# AGED BALANCE
# ----------------------------------------------------------------


@job("ours.aged_balance", "ours", "aged balance, 5 buckets per customer", requires=("credit.control.aged.balance",))
def ours_aged(env, ctx):
    with ctx.timed():
        rows = env["credit.control.aged.balance"]._cc_totals(groupby="partner_id")
    return {"customers": len(rows)}


@job("sql.aged_balance", "sql", "aged balance, 5 buckets per customer")
def sql_aged(env, ctx):
    with ctx.timed():
        env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id,
                          SUM(l.amount_residual) FILTER (WHERE d <= 0),
                          SUM(l.amount_residual) FILTER (WHERE d BETWEEN 1 AND 30),
                          SUM(l.amount_residual) FILTER (WHERE d BETWEEN 31 AND 60),
                          SUM(l.amount_residual) FILTER (WHERE d BETWEEN 61 AND 90),
                          SUM(l.amount_residual) FILTER (WHERE d > 90)
                     FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                     JOIN res_partner p ON p.id = l.partner_id
                     CROSS JOIN LATERAL (SELECT %(today)s - COALESCE(l.date_maturity, l.date) AS d) x
                    WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND NOT l.reconciled
                    GROUP BY p.commercial_partner_id""",
                today=_today(env),
                company=env.company.id,
            )
        )
        rows = env.cr.fetchall()
    return {"customers": len(rows)}


# ----------------------------------------------------------------
# DUNNING RUN
# ----------------------------------------------------------------

DUNNING = ("credit.control.dunning.run:_select_installments", "credit.control.dunning.run:_create_communications")


def _dunning_run(env):
    if not env["credit.control.dunning.policy"].search_count([("level_ids", "!=", False)]):
        raise UserError("no dunning policy with levels in this database")
    return env["credit.control.dunning.run"].create({"company_id": env.company.id, "date": _today(env)})


def _create_all_communications(run):
    if hasattr(run, "_generate_communications"):
        # what the scheduled action runs: the selection streamed by batches of customers
        return run._generate_communications()
    return run._create_communications([row for row in run._select_installments() if not row["skip"]])


@job("ours.dunning_select", "ours", "dunning: level selection", requires=DUNNING)
def ours_dunning_select(env, ctx):
    run = _dunning_run(env)
    with ctx.timed():
        rows = run._select_installments()
    return {"installments": len(rows), "to_dun": sum(1 for r in rows if not r["skip"])}


@job("ours.dunning_lines_comms", "ours", "dunning: lines + communications", requires=DUNNING)
def ours_dunning_lines(env, ctx):
    run = _dunning_run(env)
    with ctx.timed():
        comms = _create_all_communications(run)
    env.cr.execute(
        """SELECT COUNT(*) FROM credit_control_dunning_line l
             JOIN credit_control_dunning_communication c ON c.id = l.communication_id WHERE c.run_id = %s""",
        [run.id],
    )
    return {"lines": env.cr.fetchone()[0], "communications": len(comms)}


@job("ours.dunning_render", "ours", "dunning: render communications (per 100)", requires=DUNNING)
def ours_dunning_render(env, ctx):
    run = _dunning_run(env)
    comms = _create_all_communications(run)
    sample = comms[: ctx.extra.get("render_limit", 100)]
    with ctx.timed():
        sample._render_contents(force=True)
    return {"communications": len(comms), "rendered": len(sample)}


@job("sql.dunning_select", "sql", "dunning: level selection")
def sql_dunning_select(env, ctx):
    with ctx.timed():
        env.cr.execute(
            SQL(
                """SELECT l.id, p.commercial_partner_id,
                          CASE WHEN x.d > 60 THEN 3 WHEN x.d > 30 THEN 2 WHEN x.d > 10 THEN 1 END AS level
                     FROM account_move_line l
                     JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                     JOIN res_partner p ON p.id = l.partner_id
                     CROSS JOIN LATERAL (SELECT %(today)s - l.date_maturity AS d) x
                    WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND NOT l.reconciled
                      AND l.amount_residual > 0 AND l.date_maturity < %(today)s""",
                today=_today(env),
                company=env.company.id,
            )
        )
        rows = env.cr.fetchall()
    return {"installments": len(rows)}


@job("oca.dunning_lines", "oca", "dunning: lines", modules=("account_credit_control",))
def oca_dunning_lines(env, ctx):
    run = env["credit.control.run"].create(
        {"date": _today(env), "policy_ids": [Command.set(env.company.credit_policy_id.ids)]}
    )
    with ctx.timed():
        run.generate_credit_lines()
    return {"lines": len(run.line_ids)}


@job("oca.dunning_lines_comms", "oca", "dunning: lines + communications", modules=("account_credit_control",))
def oca_dunning_lines_comms(env, ctx):
    run = env["credit.control.run"].create(
        {"date": _today(env), "policy_ids": [Command.set(env.company.credit_policy_id.ids)]}
    )
    with ctx.timed():
        run.generate_credit_lines()
        comms = env["credit.control.communication"]._generate_comm_from_credit_lines(run.line_ids)
    return {"lines": len(run.line_ids), "communications": len(comms)}


@job("oca.dunning_render", "oca", "dunning: render communications (per 100)", modules=("account_credit_control",))
def oca_dunning_render(env, ctx):
    run = env["credit.control.run"].create(
        {"date": _today(env), "policy_ids": [Command.set(env.company.credit_policy_id.ids)]}
    )
    run.generate_credit_lines()
    lines = run.line_ids.filtered(lambda x: x.channel == "email")
    comms = env["credit.control.communication"]._generate_comm_from_credit_lines(lines)
    sample = comms[: ctx.extra.get("render_limit", 100)]
    with ctx.timed():
        sample._generate_emails()
    return {"communications": len(comms), "rendered": len(sample)}


# ----------------------------------------------------------------
# SCORING
# ----------------------------------------------------------------


@job("ours.scoring_all", "ours", "scoring of all customers", requires=("credit.control.scoring.model:_score_partners",))
def ours_scoring(env, ctx):
    Model = env["credit.control.scoring.model"]
    model = Model.search([("company_id", "=", env.company.id), ("is_default", "=", True)], limit=1)
    if not model and hasattr(Model, "_create_standard_model"):
        model = Model._create_standard_model(env.company.id)
    partners = Model._scoring_customers(env.company)
    partners = Model._partners_by_model(partners, env.company).get(model, env["res.partner"])
    with ctx.timed():
        scores = model._score_partners(partners)
    return {"customers": len(partners), "scores": len(scores)}


# ----------------------------------------------------------------
# COMMISSIONS
# ----------------------------------------------------------------

COMMISSION = ("credit.control.commission.plan:_cc_load_config", "credit.control.commission.line:_cc_collect")


def _commission_plan(env):
    Plan = env["credit.control.commission.plan"]
    users = env["res.users"].search([("login", "=like", "cc_bench_sales_%")])
    plan = Plan.search([("name", "=", "Benchmark plan")], limit=1)
    if not plan:
        vals = {
            "name": "Benchmark plan",
            "company_id": env.company.id,
            "default_rate": 5.0,
            "user_ids": [Command.set(users.ids)],
        }
        plan = Plan.create(vals)
    return plan


def _open_invoices(env, count):
    env.cr.execute(
        SQL(
            """SELECT id FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'
                AND payment_state = 'not_paid' AND currency_id = %s ORDER BY hashint4(id) LIMIT %s""",
            env.company.currency_id.id,
            count,
        )
    )
    return env["account.move"].browse([row[0] for row in env.cr.fetchall()])


def _register_payments(env, ctx, invoices):
    for invoice in invoices:
        wizard = (
            env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": _today(env)})
        )
        with ctx.timed():
            wizard._create_payments()


@job("ours.commission_per_payment", "ours", "register one payment, commission on", requires=COMMISSION)
def ours_commission_payment(env, ctx):
    _commission_plan(env)
    invoices = _open_invoices(env, ctx.extra.get("payments", 10))
    _register_payments(env, ctx, invoices)
    lines = (
        env["credit.control.commission.line"].search_count([("move_id", "in", invoices.ids)])
        if "move_id" in env["credit.control.commission.line"]._fields
        else None
    )
    ctx.extra["per"] = len(invoices)
    return {"payments": len(invoices), "commission_lines": lines}


@job("ours.payment_nocommission", "ours", "register one payment, commission off", requires=COMMISSION)
def ours_payment_nocommission(env, ctx):
    env["credit.control.commission.plan"].search([]).write({"active": False})
    invoices = _open_invoices(env, ctx.extra.get("payments", 10))
    _register_payments(env, ctx, invoices)
    ctx.extra["per"] = len(invoices)
    return {"payments": len(invoices)}


@job(
    "ours.commission_backfill",
    "ours",
    "commission: rebuild last month from reconciliations",
    requires=COMMISSION + ("credit.control.commission.recompute",),
)
def ours_commission_backfill(env, ctx):
    _commission_plan(env)
    start, _end = last_month(env)
    wizard = env["credit.control.commission.recompute"].create({"date": start})
    with ctx.timed():
        wizard._cc_rebuild()
    return {"lines": env["credit.control.commission.line"].search_count([])}


@job(
    "ours.commission_settle",
    "ours",
    "commission: settle last month",
    requires=COMMISSION + ("credit.control.commission.settlement:_cc_settle",),
)
def ours_commission_settle(env, ctx):
    _commission_plan(env)
    start, end = last_month(env)
    Line = env["credit.control.commission.line"]
    if not Line.search_count([("settlement_id", "=", False), ("period_start", "=", start)]):
        # the month's lines exist before the settlement, committed (on this job's copy of the book),
        # as they are in real life: created at each reconciliation during the month. Rows inserted
        # by the settling transaction itself would make PostgreSQL check every foreign key again
        # on the settlement's UPDATE (14 checks a line), which never happens in production.
        env["credit.control.commission.recompute"].create({"date": start})._cc_rebuild()
        if not getattr(threading.current_thread(), "testing", False):  # the tiny size runs in a test
            env.cr.commit()  # pylint: disable=invalid-commit
    env.invalidate_all()
    with ctx.timed():
        settlements = env["credit.control.commission.settlement"]._cc_settle(env.company, end)
    return {"settlements": len(settlements), "lines": env["credit.control.commission.line"].search_count([])}


@job("oca.commission_settle", "oca", "commission: settle last month", modules=("account_commission_oca",))
def oca_commission_settle(env, ctx):
    _start, end = last_month(env)
    wizard = env["commission.make.settle"].create({"date_to": end, "settlement_type": "sale_invoice"})
    with ctx.timed():
        wizard.action_settle()
    return {"settlements": env["commission.settlement"].search_count([])}


@job("sql.commission_settle", "sql", "commission: settle last month")
def sql_commission_settle(env, ctx):
    start, end = last_month(env)
    with ctx.timed():
        env.cr.execute(
            SQL(
                """SELECT m.invoice_user_id, SUM(p.amount) * 0.05
                     FROM account_partial_reconcile p
                     JOIN account_move_line l ON l.id = p.debit_move_id
                     JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
                    WHERE p.max_date BETWEEN %s AND %s AND p.company_id = %s
                    GROUP BY m.invoice_user_id""",
                start,
                end,
                env.company.id,
            )
        )
        rows = env.cr.fetchall()
    return {"beneficiaries": len(rows)}
