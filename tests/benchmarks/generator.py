"""Seeded generator of a realistic receivable book, written with set-based SQL.

A few ORM calls prepare the setting (currency rate, product, payment terms, salespeople, risk
classes); then every customer, invoice, installment, credit note, payment, reconciliation and sale
order is inserted by a handful of ``INSERT ... SELECT`` statements over ``generate_series``. Record
ids are drawn from the tables' own sequences first, so that the statements can refer to each
other's rows (a payment to its move, a partial reconciliation to both lines) without a round trip.

Random draws are a hash of (seed, row number, draw number): the same seed gives the same book
whatever the query plan. The result follows Odoo 18's invariants (``account.move``,
``account.move.line``, ``account.partial.reconcile``, ``account.full.reconcile``,
``account.payment``): balanced moves, ``balance = debit - credit``, the same rounding in company
currency on both sides of a reconciliation (amounts are converted cumulatively, so that partial
amounts add up to the lines they reconcile), residuals, ``reconciled``, matching numbers, full
reconciliations, payment states and move totals as Odoo computes them. ``check_book`` proves it.

    gen = BookGenerator(env, invoices=20000, customers=2000, seed=42)
    stats = gen.run()          # does not commit
    check_book(env, gen.company, gen.today)

A book: customers in every risk class (A to D, company-dependent ``cc_risk_class_id``), a few with
their own limit, some with an invoicing contact; posted customer invoices over ``months`` months
with 1 to 3 installments, paid in full, in part or not at all depending on the customer's class and
the invoice's age; credit notes (applied in full or in part, and a few left open); payments left
unallocated; invoices in a second currency; draft invoices; confirmed sale orders not yet invoiced;
disputes and promises to pay. Customer number 1 is a heavy customer that pays on time (class A, a
large own limit) and has the most invoices: the confirmation check is measured on its orders.
"""

import logging
import time
from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# probability that a customer of the class never pays an invoice due in the past, and the
# delay of its payments after the last due date (minimum, spread) in days
CLASS_BEHAVIOUR = {
    "A": {"share": 0.30, "default": 0.05, "delay": (-5, 20)},
    "B": {"share": 0.40, "default": 0.10, "delay": (0, 40)},
    "C": {"share": 0.20, "default": 0.20, "delay": (10, 80)},
    "D": {"share": 0.10, "default": 0.35, "delay": (30, 170)},
}
CLASS_DEFAULTS = {
    "A": {"name": "Trusted", "credit_limit": 50000, "deposit_percent": 0, "overdue_tolerance_days": 45},
    "B": {"name": "Standard", "credit_limit": 20000, "deposit_percent": 0, "overdue_tolerance_days": 30},
    "C": {"name": "Watch", "credit_limit": 5000, "deposit_percent": 30, "overdue_tolerance_days": 15},
    "D": {"name": "Cash Only", "credit_limit": 0, "deposit_percent": 100, "overdue_tolerance_days": 0},
}
FOREIGN_SHARE = 0.12  # invoices in the second currency
PARTIAL_SHARE = 0.12  # paid invoices that are only paid in part
REFUND_SHARE = 0.03  # invoices with a credit note applied to them
FULL_REFUND_SHARE = 0.30  # of those, credit notes of the whole invoice
CONTACT_SHARE = 0.20  # customers with an invoicing contact
OWN_LIMIT_SHARE = 0.05  # customers with their own credit limit
HEAVY_LIMIT = 10_000_000
TEMP_TABLES = (
    "bench_cust",
    "bench_inv",
    "bench_inst",
    "bench_cp",
    "bench_part",
    "bench_grp",
    "bench_lines",
    "bench_so",
)


class BookGenerator:
    def __init__(self, env, invoices, customers, seed=42, today=None, company=None, months=18, log=None):
        if invoices < 1 or customers < 1:
            raise ValueError("A book needs at least one invoice and one customer.")
        self.env = env
        self.cr = env.cr
        self.invoices = int(invoices)
        self.customers = int(customers)
        self.seed = int(seed)
        self.today = fields.Date.to_date(today) if today else fields.Date.context_today(env["res.partner"])
        self.company = company or env.company
        self.months = int(months)
        self.log = log or _logger.info
        self.timings = {}

    # ------------------------------------------------------------
    # DRIVER
    # ------------------------------------------------------------

    def run(self):
        """Build the book in the current transaction (no commit) and return its statistics."""
        start = time.perf_counter()
        self._step("setting", self._setup)
        self._step("customers", self._customers)
        self._step("invoice plan", self._plan_invoices)
        self._step("credit notes and payments plan", self._plan_counterparts)
        self._step("installments and reconciliations plan", self._plan_reconciliations)
        self._step("journal entries", self._insert_moves)
        self._step("payments", self._insert_payments)
        self._step("journal items", self._insert_lines)
        self._step("reconciliations", self._insert_reconciliations)
        self._step("sale orders", self._orders)
        self._step("analyze", self._analyze)
        self._step("disputes and promises", self._disputes_and_promises)
        stats = self._stats()
        self._drop_temp_tables()
        stats["seconds"] = round(time.perf_counter() - start, 1)
        stats["timings"] = self.timings
        return stats

    def _step(self, name, method):
        start = time.perf_counter()
        method()
        self.timings[name] = round(time.perf_counter() - start, 2)
        self.log(f"  {name}: {self.timings[name]} s")

    def _sql(self, query, **params):
        self.cr.execute(SQL(query, **params))

    # ------------------------------------------------------------
    # SETTING (ORM)
    # ------------------------------------------------------------

    def _setup(self):
        env, company = self.env, self.company
        if (company.fiscalyear_last_month, company.fiscalyear_last_day) not in (("12", 31), (12, 31)):
            raise ValueError(
                "The generator names invoices by calendar year: use a company with a calendar fiscal year."
            )
        self.currency = company.currency_id
        self.digits = self.currency.decimal_places
        other = env.ref("base.EUR") if self.currency != env.ref("base.EUR") else env.ref("base.USD")
        other.sudo().active = True
        self.foreign = other
        self.start = self.today - timedelta(days=self.months * 30)
        rate = env["res.currency.rate"].search(
            [("currency_id", "=", other.id), ("company_id", "in", (company.id, False)), ("name", "<=", self.start)],
            order="name desc",
            limit=1,
        )
        if not rate:
            rate = env["res.currency.rate"].create(
                {"currency_id": other.id, "company_id": company.id, "name": self.start - timedelta(days=1), "rate": 1.1}
            )
        # one rate over the whole period: payments carry no exchange difference
        self.foreign_rate = round(rate.rate, 6)
        self.sale_journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], order="sequence, id", limit=1
        )
        self.bank_journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], order="sequence, id", limit=1
        )
        if not self.sale_journal or not self.bank_journal:
            raise ValueError(f"The company {company.name} needs a sale journal and a bank journal (install a chart).")
        self.tax = company.account_sale_tax_id
        if not self.tax or self.tax.amount_type != "percent" or self.tax.price_include:
            raise ValueError("The generator needs a default sale tax: a percentage, not included in the price.")
        self.tax_rate = self.tax.amount
        self.tax_rep = {
            doc: self.tax.repartition_line_ids.filtered(
                lambda r, doc=doc: r.document_type == doc and r.repartition_type == "tax"
            )[:1]
            for doc in ("invoice", "refund")
        }
        self.income_account = self.sale_journal.default_account_id
        # what the ORM gives a new customer and a new customer payment
        Partner = env["res.partner"].with_company(company)
        self.receivable_account = Partner.new({"name": "x"}).property_account_receivable_id
        self.product = env["product.product"].search([("default_code", "=", "CC-BENCH")], limit=1)
        if not self.product:
            self.product = env["product.product"].create(
                {
                    "name": "Benchmark service",
                    "default_code": "CC-BENCH",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": 1000.0,
                    "taxes_id": [Command.set(self.tax.ids)],
                }
            )
        self.uom = self.product.uom_id
        self.terms = {n: self._payment_term(n) for n in (1, 2, 3)}
        self.users = self._salespeople()
        self.team = env["crm.team"].search([("company_id", "in", (company.id, False))], order="sequence, id", limit=1)
        self.classes = self._risk_classes()
        probe = Partner.create({"name": "Benchmark probe", "is_company": True})
        payment = (
            env["account.payment"]
            .with_company(company)
            .new(
                {
                    "journal_id": self.bank_journal.id,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": probe.id,
                    "amount": 1.0,
                }
            )
        )
        self.method_line = payment.payment_method_line_id
        self.outstanding_account = payment.outstanding_account_id or self.bank_journal.default_account_id
        order = env["sale.order"].with_company(company).new({"partner_id": probe.id})
        self.pricelist = order.pricelist_id
        probe.unlink()
        if not self.receivable_account or not self.income_account or not self.method_line:
            raise ValueError("The company's accounting is not configured (receivable, income or payment method).")

    def _payment_term(self, installments):
        if installments == 1:
            return self.env.ref("account.account_payment_term_30days")
        name = f"Benchmark {installments} installments (30 days apart)"
        term = self.env["account.payment.term"].search([("name", "=", name)], limit=1)
        if term:
            return term
        share = round(100.0 / installments, 2)
        lines = [
            Command.create(
                {
                    "value": "percent",
                    "value_amount": share if k < installments else round(100.0 - share * (installments - 1), 2),
                    "nb_days": 30 * k,
                }
            )
            for k in range(1, installments + 1)
        ]
        return self.env["account.payment.term"].create({"name": name, "line_ids": lines})

    def _salespeople(self):
        Users = self.env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
        users = Users.search([("login", "=like", "cc_bench_sales_%")], order="login")
        if len(users) < 5:
            group = self.env.ref("sales_team.group_sale_salesman")
            users |= Users.create(
                [
                    {
                        "name": f"Benchmark Salesperson {k}",
                        "login": f"cc_bench_sales_{k}",
                        "company_id": self.company.id,
                        "company_ids": [Command.link(self.company.id)],
                        "groups_id": [Command.link(group.id)],
                    }
                    for k in range(len(users) + 1, 6)
                ]
            )
        return users

    def _risk_classes(self):
        RiskClass = self.env["credit.control.risk.class"]
        classes = {}
        for code, values in CLASS_DEFAULTS.items():
            rclass = RiskClass.search([("company_id", "=", self.company.id), ("code", "=", code)], limit=1)
            if not rclass:
                rclass = RiskClass.create(
                    {**values, "code": code, "company_id": self.company.id, "any_overdue_blocks": code == "D"}
                )
            classes[code] = rclass.id
        return classes

    # ------------------------------------------------------------
    # CUSTOMERS
    # ------------------------------------------------------------

    def _functions(self):
        # rnd(row, draw): a uniform draw in [0, 1) from the seed; cc(x, rate): x in company currency,
        # rounded; amounts are converted cumulatively so that partial amounts telescope
        self._sql(
            """
            CREATE OR REPLACE FUNCTION pg_temp.bench_rnd(k bigint, salt int, seed bigint) RETURNS float8
            LANGUAGE sql IMMUTABLE AS
            $$ SELECT (hashint8extended(k * 1000 + salt, seed) & 2147483647)::float8 / 2147483648.0 $$;
            CREATE OR REPLACE FUNCTION pg_temp.bench_cc(x numeric, rate numeric, digits int) RETURNS numeric
            LANGUAGE sql IMMUTABLE AS
            $$ SELECT CASE WHEN rate = 1 THEN x ELSE ROUND(x / rate, digits) END $$;
            """
        )

    def _customers(self):
        self._drop_temp_tables()
        self._functions()
        shares = CLASS_BEHAVIOUR
        cut_a = shares["A"]["share"]
        cut_b = cut_a + shares["B"]["share"]
        cut_c = cut_b + shares["C"]["share"]
        self._sql(
            """
            CREATE TEMP TABLE bench_cust AS
            SELECT x.idx, x.partner_id, x.cls,
                   CASE WHEN x.has_contact THEN nextval('res_partner_id_seq')::int END AS contact_id,
                   (%(users)s::int[])[1 + floor(pg_temp.bench_rnd(x.idx, 3, %(seed)s) * %(n_users)s)::int] AS user_id,
                   x.idx = 1 OR pg_temp.bench_rnd(x.idx, 4, %(seed)s) < %(own_share)s AS own_limit
              FROM (
                  SELECT g AS idx, nextval('res_partner_id_seq')::int AS partner_id,
                         CASE WHEN g = 1 THEN 'A'
                              WHEN pg_temp.bench_rnd(g, 1, %(seed)s) < %(cut_a)s THEN 'A'
                              WHEN pg_temp.bench_rnd(g, 1, %(seed)s) < %(cut_b)s THEN 'B'
                              WHEN pg_temp.bench_rnd(g, 1, %(seed)s) < %(cut_c)s THEN 'C'
                              ELSE 'D' END AS cls,
                         pg_temp.bench_rnd(g, 2, %(seed)s) < %(contact_share)s AS has_contact
                    FROM generate_series(1, %(customers)s) g
              ) x;
            CREATE UNIQUE INDEX ON bench_cust (idx);
            """,
            users=self.users.ids,
            n_users=len(self.users),
            seed=self.seed,
            own_share=OWN_LIMIT_SHARE,
            cut_a=cut_a,
            cut_b=cut_b,
            cut_c=cut_c,
            contact_share=CONTACT_SHARE,
            customers=self.customers,
        )
        company_key = str(self.company.id)
        partner_columns = self._columns("res_partner")
        optional = {
            "sale_warn": "'no-message'",
            "invoice_warn": "'no-message'",
            "autopost_bills": "'ask'",
        }
        extra_cols = [c for c in optional if c in partner_columns]
        extra_sql = SQL(", ".join(extra_cols)) if extra_cols else SQL("")
        extra_vals = SQL(", ".join(optional[c] for c in extra_cols)) if extra_cols else SQL("")
        comma = SQL(", ") if extra_cols else SQL("")
        self.cr.execute(
            SQL(
                """
                INSERT INTO res_partner (
                    id, name, complete_name, commercial_company_name, commercial_partner_id, ref, lang, type,
                    active, is_company, partner_share, customer_rank, supplier_rank, color, message_bounce,
                    user_id, country_id, email, city, cc_risk_class_id, cc_use_custom_limit, cc_credit_limit,
                    create_uid, write_uid, create_date, write_date %(comma)s %(extra_cols)s)
                SELECT c.partner_id, n.name, n.name, n.name, c.partner_id, 'BENCH-' || c.idx, %(lang)s, 'contact',
                       TRUE, TRUE, TRUE, 1, 0, 0, 0,
                       c.user_id, %(country)s, 'ar' || c.idx || '@bench.example.com', 'Lyon',
                       jsonb_build_object(%(company_key)s,
                           CASE c.cls WHEN 'A' THEN %(class_a)s WHEN 'B' THEN %(class_b)s
                                                             WHEN 'C' THEN %(class_c)s ELSE %(class_d)s END),
                       CASE WHEN c.own_limit THEN jsonb_build_object(%(company_key)s, TRUE) END,
                       CASE WHEN c.idx = 1 THEN jsonb_build_object(%(company_key)s, %(heavy_limit)s)
                            WHEN c.own_limit THEN jsonb_build_object(
                                %(company_key)s, ROUND((5000 + 95000 * pg_temp.bench_rnd(c.idx, 5,
                                    %(seed)s))::numeric, -3))
                       END,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' %(comma)s %(extra_vals)s
                  FROM bench_cust c
                  CROSS JOIN LATERAL (SELECT 'Bench Customer ' || lpad(c.idx::text, 6, '0')
                                             || CASE WHEN c.idx = 1 THEN ' (heavy)' ELSE '' END AS name) n;
                INSERT INTO res_partner (
                    id, name, complete_name, commercial_company_name, parent_id, commercial_partner_id, lang, type,
                    active, is_company, partner_share, customer_rank, supplier_rank, color, message_bounce,
                    user_id, country_id, email, create_uid, write_uid, create_date, write_date %(comma)s %(extra_cols)s)
                SELECT c.contact_id, 'Accounts Payable', 'Bench Customer ' || lpad(c.idx::text, 6, '0') || ',
                    Accounts Payable',
                       'Bench Customer ' || lpad(c.idx::text, 6, '0'), c.partner_id, c.partner_id, %(lang)s, 'invoice',
                       TRUE, FALSE, TRUE, 1, 0, 0, 0, c.user_id, %(country)s, 'ap' || c.idx || '@bench.example.com',
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' %(comma)s %(extra_vals)s
                  FROM bench_cust c
                 WHERE c.contact_id IS NOT NULL;
                -- Odoo's own credit limit (sale order warning) mirrors the applicable limit
                UPDATE res_partner p
                   SET credit_limit = jsonb_build_object(%(company_key)s, CASE
                       WHEN (p.cc_use_custom_limit ->> %(company_key)s)::boolean THEN (p.cc_credit_limit ->>
                           %(company_key)s)::numeric
                       ELSE rc.credit_limit END)
                  FROM bench_cust c, credit_control_risk_class rc
                 WHERE p.id = c.partner_id AND rc.id = (p.cc_risk_class_id ->> %(company_key)s)::int;
                """,
                comma=comma,
                extra_cols=extra_sql,
                extra_vals=extra_vals,
                lang=self.env.lang or "en_US",
                country=self.company.country_id.id or None,
                company_key=company_key,
                class_a=self.classes["A"],
                class_b=self.classes["B"],
                class_c=self.classes["C"],
                class_d=self.classes["D"],
                heavy_limit=HEAVY_LIMIT,
                seed=self.seed,
                uid=self.env.uid,
            )
        )

    def _columns(self, table):
        self._sql("SELECT column_name FROM information_schema.columns WHERE table_name = %(t)s", t=table)
        return {row[0] for row in self.cr.fetchall()}

    # ------------------------------------------------------------
    # PLAN: invoices, credit notes, payments, installments, reconciliations
    # ------------------------------------------------------------

    def _plan_invoices(self):
        drafts = max(1, self.invoices // 100)
        behaviour = CLASS_BEHAVIOUR
        self._sql(
            """
            CREATE TEMP TABLE bench_inv AS
            WITH base AS (
                SELECT g AS i, g > %(invoices)s AS is_draft,
                       LEAST(%(customers)s, 1 + floor(%(customers)s * power(pg_temp.bench_rnd(g, 10, %(seed)s),
                           1.5)))::int
                           AS cidx,
                       CASE WHEN g > %(invoices)s THEN %(today)s::date - floor(pg_temp.bench_rnd(g, 11,
                           %(seed)s) * 10)::int
                            ELSE %(today)s::date - floor(pg_temp.bench_rnd(g, 11, %(seed)s) * %(span)s)::int
                       END AS invoice_date,
                       pg_temp.bench_rnd(g, 12, %(seed)s) < %(foreign_share)s AS foreign_cur,
                       CASE WHEN g > %(invoices)s THEN 1
                            WHEN pg_temp.bench_rnd(g, 13, %(seed)s) < 0.65 THEN 1
                            WHEN pg_temp.bench_rnd(g, 13, %(seed)s) < 0.87 THEN 2 ELSE 3 END AS n_inst,
                       ROUND(exp(ln(200) + pg_temp.bench_rnd(g, 14, %(seed)s) * ln(100))::numeric, 2) AS untaxed,
                       pg_temp.bench_rnd(g, 15, %(seed)s) AS r_delay,
                       pg_temp.bench_rnd(g, 16, %(seed)s) AS r_default,
                       pg_temp.bench_rnd(g, 17, %(seed)s) < %(partial_share)s AS partial,
                       0.3 + 0.4 * pg_temp.bench_rnd(g, 18, %(seed)s) AS pay_frac,
                       g <= %(invoices)s AND pg_temp.bench_rnd(g, 19, %(seed)s) < %(refund_share)s AS refunded,
                       pg_temp.bench_rnd(g, 20, %(seed)s) < %(full_refund_share)s AS full_refund,
                       0.1 + 0.6 * pg_temp.bench_rnd(g, 21, %(seed)s) AS refund_frac,
                       pg_temp.bench_rnd(g, 22, %(seed)s) < 0.5 AS to_contact
                  FROM generate_series(1, %(invoices)s + %(drafts)s) g
            ), amounts AS (
                SELECT b.*, c.partner_id AS commercial_id, c.cls, c.user_id,
                       CASE WHEN b.to_contact AND c.contact_id IS NOT NULL THEN c.contact_id ELSE c.partner_id END
                           AS partner_id,
                       CASE WHEN b.foreign_cur THEN %(foreign)s ELSE %(currency)s END AS currency_id,
                       CASE WHEN b.foreign_cur THEN %(rate)s::numeric ELSE 1::numeric END AS rate,
                       ROUND(b.untaxed * %(tax_rate)s / 100.0, 2) AS tax,
                       b.invoice_date + 30 * b.n_inst AS due_last,
                       CASE WHEN b.cidx = 1 THEN -5 + 10 * b.r_delay
                            WHEN c.cls = 'A' THEN %(a_min)s + %(a_spread)s * b.r_delay
                            WHEN c.cls = 'B' THEN %(b_min)s + %(b_spread)s * b.r_delay
                            WHEN c.cls = 'C' THEN %(c_min)s + %(c_spread)s * b.r_delay
                            ELSE %(d_min)s + %(d_spread)s * b.r_delay END::int AS delay,
                       b.cidx <> 1 AND b.r_default < CASE c.cls WHEN 'A' THEN %(a_default)s WHEN 'B' THEN %(b_default)s
                                                         WHEN 'C' THEN %(c_default)s ELSE %(d_default)s END AS
                                                             never_paid
                  FROM base b
                  JOIN bench_cust c ON c.idx = b.cidx
            ), refunds AS (
                SELECT a.*, a.untaxed + a.tax AS total,
                       CASE WHEN NOT a.refunded THEN 0
                            WHEN a.full_refund THEN a.untaxed
                            ELSE ROUND(a.untaxed * a.refund_frac::numeric, 2) END AS r_untaxed,
                       LEAST(a.invoice_date + 10, %(today)s::date) AS refund_date,
                       -- the heavy customer pays every installment on time: all at the first due date
                       CASE WHEN a.cidx = 1 THEN a.invoice_date + 30 ELSE a.due_last END + a.delay AS pay_date
                  FROM amounts a
            ), refund_tax AS (
                SELECT r.*,
                       CASE WHEN NOT r.refunded THEN 0 WHEN r.full_refund THEN r.tax
                            ELSE ROUND(r.r_untaxed * %(tax_rate)s / 100.0, 2) END AS r_tax
                  FROM refunds r
            )
            SELECT t.i, nextval('account_move_id_seq')::int AS move_id,
                   CASE WHEN t.is_draft THEN 'draft' ELSE 'posted' END AS state,
                   t.cidx, t.partner_id, t.commercial_id, t.user_id, t.cls, t.invoice_date, t.currency_id, t.rate,
                   t.n_inst, t.untaxed, t.tax, t.total, t.r_untaxed, t.r_tax, t.r_untaxed + t.r_tax AS r_total,
                   t.refund_date,
                   CASE WHEN t.is_draft OR t.never_paid OR t.pay_date > %(today)s::date
                             OR t.total - t.r_untaxed - t.r_tax <= 0 THEN 0
                        WHEN t.partial AND t.cidx <> 1 THEN ROUND((t.total - t.r_untaxed - t.r_tax) *
                            t.pay_frac::numeric, 2)
                        ELSE t.total - t.r_untaxed - t.r_tax END AS paid,
                   t.pay_date,
                   CASE t.n_inst WHEN 1 THEN %(term1)s WHEN 2 THEN %(term2)s ELSE %(term3)s END AS term_id,
                   t.invoice_date + 30 * t.n_inst AS date_due,
                   NULL::varchar AS name, NULL::varchar AS prefix, 0 AS seq
              FROM refund_tax t;
            CREATE UNIQUE INDEX ON bench_inv (i);
            """,
            invoices=self.invoices,
            customers=self.customers,
            drafts=drafts,
            seed=self.seed,
            today=self.today,
            span=self.months * 30,
            foreign_share=FOREIGN_SHARE,
            partial_share=PARTIAL_SHARE,
            refund_share=REFUND_SHARE,
            full_refund_share=FULL_REFUND_SHARE,
            foreign=self.foreign.id,
            currency=self.currency.id,
            rate=self.foreign_rate,
            tax_rate=self.tax_rate,
            a_min=behaviour["A"]["delay"][0],
            a_spread=behaviour["A"]["delay"][1],
            b_min=behaviour["B"]["delay"][0],
            b_spread=behaviour["B"]["delay"][1],
            c_min=behaviour["C"]["delay"][0],
            c_spread=behaviour["C"]["delay"][1],
            d_min=behaviour["D"]["delay"][0],
            d_spread=behaviour["D"]["delay"][1],
            a_default=behaviour["A"]["default"],
            b_default=behaviour["B"]["default"],
            c_default=behaviour["C"]["default"],
            d_default=behaviour["D"]["default"],
            term1=self.terms[1].id,
            term2=self.terms[2].id,
            term3=self.terms[3].id,
        )

    def _plan_counterparts(self):
        """Credit notes and payments: applied to an invoice (i set) or left open (i NULL). Each
        covers the range [d_start, d_end) of its invoice's total, credit note first."""
        extra_refunds = max(1, self.invoices // 200)
        extra_payments = max(1, self.invoices // 100)
        self._sql(
            """
            CREATE TEMP TABLE bench_cp AS
            SELECT nextval('account_move_id_seq')::int AS move_id, 'refund'::varchar AS kind, b.i,
                   b.partner_id, b.commercial_id, b.user_id, b.currency_id, b.rate, b.refund_date AS date,
                   b.r_untaxed AS untaxed, b.r_tax AS tax, b.r_total AS amount,
                   0::numeric AS d_start, b.r_total AS d_end,
                   nextval('account_move_line_id_seq')::int AS recv_line_id,
                   nextval('account_move_line_id_seq')::int AS line2_id,
                   nextval('account_move_line_id_seq')::int AS line3_id,
                   NULL::int AS payment_id
              FROM bench_inv b WHERE b.state = 'posted' AND b.r_total > 0
            UNION ALL
            SELECT nextval('account_move_id_seq')::int, 'payment', b.i, b.commercial_id, b.commercial_id, b.user_id,
                   b.currency_id, b.rate, b.pay_date, 0, 0, b.paid, b.r_total, b.r_total + b.paid,
                   nextval('account_move_line_id_seq')::int, nextval('account_move_line_id_seq')::int, NULL,
                   nextval('account_payment_id_seq')::int
              FROM bench_inv b WHERE b.state = 'posted' AND b.paid > 0;

            -- credit notes and payments left open on the customer's account
            INSERT INTO bench_cp
            SELECT nextval('account_move_id_seq')::int, 'refund', NULL, c.partner_id, c.partner_id, c.user_id,
                   %(currency)s, 1, x.date, x.untaxed, ROUND(x.untaxed * %(tax_rate)s / 100.0, 2),
                   x.untaxed + ROUND(x.untaxed * %(tax_rate)s / 100.0, 2), 0,
                   x.untaxed + ROUND(x.untaxed * %(tax_rate)s / 100.0, 2),
                   nextval('account_move_line_id_seq')::int, nextval('account_move_line_id_seq')::int,
                   nextval('account_move_line_id_seq')::int, NULL
              FROM (
                  SELECT 1 + floor(%(customers)s * pg_temp.bench_rnd(g, 30, %(seed)s))::int AS cidx,
                         %(today)s::date - floor(pg_temp.bench_rnd(g, 31, %(seed)s) * %(span)s)::int AS date,
                         ROUND(exp(ln(50) + pg_temp.bench_rnd(g, 32, %(seed)s) * ln(40))::numeric, 2) AS untaxed
                    FROM generate_series(1, %(extra_refunds)s) g
              ) x JOIN bench_cust c ON c.idx = x.cidx;
            INSERT INTO bench_cp
            SELECT nextval('account_move_id_seq')::int, 'payment', NULL, c.partner_id, c.partner_id, c.user_id,
                   %(currency)s, 1, x.date, 0, 0, x.amount, 0, x.amount,
                   nextval('account_move_line_id_seq')::int, nextval('account_move_line_id_seq')::int, NULL,
                   nextval('account_payment_id_seq')::int
              FROM (
                  SELECT 1 + floor(%(customers)s * pg_temp.bench_rnd(g, 40, %(seed)s))::int AS cidx,
                         %(today)s::date - floor(pg_temp.bench_rnd(g, 41, %(seed)s) * %(span)s)::int AS date,
                         ROUND(exp(ln(100) + pg_temp.bench_rnd(g, 42, %(seed)s) * ln(50))::numeric, 2) AS amount
                    FROM generate_series(1, %(extra_payments)s) g
              ) x JOIN bench_cust c ON c.idx = x.cidx;
            CREATE INDEX ON bench_cp (i);
            ALTER TABLE bench_cp ADD COLUMN bal numeric, ADD COLUMN res numeric, ADD COLUMN res_cur numeric,
                ADD COLUMN grp int, ADD COLUMN name varchar, ADD COLUMN prefix varchar, ADD COLUMN seq int;
            UPDATE bench_cp SET bal = pg_temp.bench_cc(d_end, rate, %(digits)s) - pg_temp.bench_cc(d_start, rate,
                %(digits)s);
            """,
            currency=self.currency.id,
            tax_rate=self.tax_rate,
            customers=self.customers,
            seed=self.seed,
            today=self.today,
            span=self.months * 30,
            extra_refunds=extra_refunds,
            extra_payments=extra_payments,
            digits=self.digits,
        )

    def _plan_reconciliations(self):
        self._sql(
            """
            CREATE TEMP TABLE bench_inst AS
            SELECT b.i, k, nextval('account_move_line_id_seq')::int AS line_id,
                   ROUND(b.total / b.n_inst, 2) * (k - 1) AS c_start,
                   CASE WHEN k = b.n_inst THEN b.total ELSE ROUND(b.total / b.n_inst, 2) * k END AS c_end,
                   b.invoice_date + 30 * k AS date_maturity, b.rate
              FROM bench_inv b CROSS JOIN LATERAL generate_series(1, b.n_inst) k;
            CREATE INDEX ON bench_inst (i);
            ALTER TABLE bench_inst ADD COLUMN bal numeric, ADD COLUMN res numeric, ADD COLUMN res_cur numeric,
                ADD COLUMN grp int;
            UPDATE bench_inst SET bal = pg_temp.bench_cc(c_end, rate, %(digits)s) - pg_temp.bench_cc(c_start, rate,
                %(digits)s);

            -- one partial reconciliation per overlap of an installment and a credit note or payment range
            CREATE TEMP TABLE bench_part AS
            SELECT nextval('account_partial_reconcile_id_seq')::int AS id, s.i, s.line_id AS debit_line_id,
                   c.recv_line_id AS credit_line_id, c.currency_id,
                   GREATEST(s.c_start, c.d_start) AS lo, LEAST(s.c_end, c.d_end) AS hi,
                   LEAST(s.c_end, c.d_end) - GREATEST(s.c_start, c.d_start) AS amount_cur,
                   pg_temp.bench_cc(LEAST(s.c_end, c.d_end), s.rate, %(digits)s)
                       - pg_temp.bench_cc(GREATEST(s.c_start, c.d_start), s.rate, %(digits)s) AS amount,
                   GREATEST(b.invoice_date, c.date) AS max_date
              FROM bench_inst s
              JOIN bench_inv b ON b.i = s.i
              JOIN bench_cp c ON c.i = s.i AND LEAST(s.c_end, c.d_end) > GREATEST(s.c_start, c.d_start)
             ORDER BY s.i, s.k, c.d_start;

            -- matching groups: an invoice's reconciliations split where an installment and a
            -- counterpart end at the same point
            ALTER TABLE bench_part ADD COLUMN grp int;
            UPDATE bench_part p SET grp = (
                SELECT COUNT(*) FROM bench_inst s JOIN bench_cp c ON c.i = s.i AND c.d_end = s.c_end
                 WHERE s.i = p.i AND s.c_end <= p.lo)
             WHERE p.lo > 0;
            UPDATE bench_part SET grp = 0 WHERE grp IS NULL;

            UPDATE bench_inst s SET res = s.bal - x.amount, res_cur = (s.c_end - s.c_start) - x.amount_cur, grp = x.grp
              FROM (SELECT debit_line_id, SUM(amount) AS amount, SUM(amount_cur) AS amount_cur, MIN(grp) AS grp
                      FROM bench_part GROUP BY debit_line_id) x
             WHERE x.debit_line_id = s.line_id;
            UPDATE bench_inst SET res = bal, res_cur = c_end - c_start WHERE res IS NULL;
            UPDATE bench_cp c SET res = -(c.bal - x.amount), res_cur = -((c.d_end - c.d_start) - x.amount_cur),
                grp = x.grp
              FROM (SELECT credit_line_id, SUM(amount) AS amount, SUM(amount_cur) AS amount_cur, MIN(grp) AS grp
                      FROM bench_part GROUP BY credit_line_id) x
             WHERE x.credit_line_id = c.recv_line_id;
            UPDATE bench_cp SET res = -bal, res_cur = -(d_end - d_start) WHERE res IS NULL;

            CREATE TEMP TABLE bench_grp AS
            SELECT p.i, p.grp, MIN(p.id) AS min_partial_id,
                   CASE WHEN BOOL_AND(COALESCE(l.zero, TRUE)) THEN nextval('account_full_reconcile_id_seq')::int END
                       AS full_id
              FROM bench_part p
              LEFT JOIN (
                  SELECT s.i, s.grp, BOOL_AND(s.res = 0 AND s.res_cur = 0) AS zero FROM bench_inst s
                   WHERE s.grp IS NOT NULL GROUP BY s.i, s.grp
                  UNION ALL
                  SELECT c.i, c.grp, BOOL_AND(c.res = 0 AND c.res_cur = 0) FROM bench_cp c
                   WHERE c.grp IS NOT NULL GROUP BY c.i, c.grp
              ) l ON l.i = p.i AND l.grp = p.grp
             GROUP BY p.i, p.grp;
            CREATE UNIQUE INDEX ON bench_grp (i, grp);
            """,
            digits=self.digits,
        )
        # names: each journal and prefix continues after its last number
        inv_code = self.sale_journal.code
        refund_code = ("R" if self.sale_journal.refund_sequence else "") + inv_code
        pay_code = ("P" if self.bank_journal.payment_sequence else "") + self.bank_journal.code
        self._sql(
            """
            CREATE TEMP TABLE bench_names AS
            WITH docs AS (
                SELECT 'inv' AS src, i AS key, %(sale)s AS journal_id, %(inv_code)s || '/' || to_char(invoice_date,
                    'YYYY') || '/' AS prefix,
                       invoice_date AS date FROM bench_inv WHERE state = 'posted'
                UNION ALL
                SELECT 'cp', move_id, CASE kind WHEN 'refund' THEN %(sale)s ELSE %(bank)s END,
                       CASE kind WHEN 'refund' THEN %(refund_code)s ELSE %(pay_code)s END || '/' || to_char(date,
                           'YYYY') || '/',
                       date FROM bench_cp
            ), last AS (
                SELECT journal_id, sequence_prefix, MAX(sequence_number) AS n FROM account_move
                 WHERE journal_id IN (%(sale)s, %(bank)s) GROUP BY journal_id, sequence_prefix
            )
            SELECT d.src, d.key, d.prefix,
                   COALESCE(l.n, 0) + ROW_NUMBER() OVER (PARTITION BY d.journal_id, d.prefix ORDER BY d.date, d.src,
                       d.key) AS seq
              FROM docs d LEFT JOIN last l ON l.journal_id = d.journal_id AND l.sequence_prefix = d.prefix;
            UPDATE bench_inv b SET prefix = n.prefix, seq = n.seq,
                   name = n.prefix || CASE WHEN n.seq < 100000 THEN lpad(n.seq::text, 5, '0') ELSE n.seq::text END
              FROM bench_names n WHERE n.src = 'inv' AND n.key = b.i;
            UPDATE bench_inv SET name = '/' WHERE state = 'draft';
            UPDATE bench_cp c SET prefix = n.prefix, seq = n.seq,
                   name = n.prefix || CASE WHEN n.seq < 100000 THEN lpad(n.seq::text, 5, '0') ELSE n.seq::text END
              FROM bench_names n WHERE n.src = 'cp' AND n.key = c.move_id;
            DROP TABLE bench_names;
            """,
            sale=self.sale_journal.id,
            bank=self.bank_journal.id,
            inv_code=inv_code,
            refund_code=refund_code,
            pay_code=pay_code,
        )

    # ------------------------------------------------------------
    # INSERT: journal items, entries, payments, reconciliations
    # ------------------------------------------------------------

    def _insert_lines(self):
        rep_inv, rep_ref = self.tax_rep["invoice"], self.tax_rep["refund"]
        self._sql(
            """
            CREATE TEMP TABLE bench_lines AS
            -- invoices: sold line, tax line
            SELECT nextval('account_move_line_id_seq')::int AS id, b.move_id, %(sale)s AS journal_id,
                b.state AS parent_state,
                   b.name AS move_name, b.invoice_date AS date, b.invoice_date, NULL::date AS date_maturity,
                   'product'::varchar AS display_type, 100 AS sequence, %(income)s AS account_id, b.currency_id,
                       b.commercial_id AS partner_id,
                   %(product_name)s::varchar AS name,
                   -(pg_temp.bench_cc(b.total, b.rate, %(digits)s) - pg_temp.bench_cc(b.tax, b.rate,
                       %(digits)s)) AS balance,
                   -b.untaxed AS amount_currency, 0::numeric AS amount_residual, 0::numeric AS amount_residual_currency,
                   FALSE AS reconciled, NULL::varchar AS matching_number, NULL::int AS full_reconcile_id,
                   1::numeric AS quantity, b.untaxed AS price_unit, b.untaxed AS price_subtotal, b.total AS price_total,
                   NULL::numeric AS tax_base_amount, NULL::int AS tax_line_id, NULL::int AS tax_repartition_line_id,
                   %(product)s AS product_id, %(uom)s AS product_uom_id, TRUE AS tax_tag_invert, NULL::int AS payment_id
              FROM bench_inv b
            UNION ALL
            SELECT nextval('account_move_line_id_seq')::int, b.move_id, %(sale)s, b.state, b.name, b.invoice_date,
                b.invoice_date, NULL,
                   'tax', 10000, %(tax_account)s, b.currency_id, b.commercial_id, %(tax_name)s,
                   -pg_temp.bench_cc(b.tax, b.rate, %(digits)s), -b.tax, 0, 0, FALSE, NULL, NULL,
                   0, 0, 0, 0, pg_temp.bench_cc(b.total, b.rate, %(digits)s) - pg_temp.bench_cc(b.tax, b.rate,
                       %(digits)s),
                   %(tax)s, %(rep_inv)s, NULL, NULL, TRUE, NULL
              FROM bench_inv b
            UNION ALL
            -- invoices: one receivable line per installment
            SELECT s.line_id, b.move_id, %(sale)s, b.state, b.name, b.invoice_date, b.invoice_date, s.date_maturity,
                   'payment_term', 12000, %(receivable)s, b.currency_id, b.commercial_id,
                   CASE WHEN b.state = 'draft' THEN '' WHEN b.n_inst = 1 THEN b.name ELSE b.name || ' installment #'
                       || s.k END,
                   s.bal, s.c_end - s.c_start, s.res, s.res_cur,
                   b.state = 'posted' AND s.res = 0 AND s.res_cur = 0,
                   CASE WHEN g.full_id IS NOT NULL THEN g.full_id::text WHEN g.i IS NOT NULL THEN 'P' ||
                       g.min_partial_id END,
                   g.full_id, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, FALSE, NULL
              FROM bench_inst s JOIN bench_inv b ON b.i = s.i
              LEFT JOIN bench_grp g ON g.i = s.i AND g.grp = s.grp
            UNION ALL
            -- credit notes: sold line, tax line, receivable line
            SELECT c.line2_id, c.move_id, %(sale)s, 'posted', c.name, c.date, c.date, NULL,
                   'product', 100, %(income)s, c.currency_id, c.commercial_id, %(product_name)s,
                   c.bal - pg_temp.bench_cc(c.tax, c.rate, %(digits)s), c.untaxed, 0, 0, FALSE, NULL, NULL,
                   1, c.untaxed, c.untaxed, c.amount, NULL, NULL, NULL, %(product)s, %(uom)s, FALSE, NULL
              FROM bench_cp c WHERE c.kind = 'refund'
            UNION ALL
            SELECT c.line3_id, c.move_id, %(sale)s, 'posted', c.name, c.date, c.date, NULL,
                   'tax', 10000, %(tax_account)s, c.currency_id, c.commercial_id, %(tax_name)s,
                   pg_temp.bench_cc(c.tax, c.rate, %(digits)s), c.tax, 0, 0, FALSE, NULL, NULL,
                   0, 0, 0, 0, c.bal - pg_temp.bench_cc(c.tax, c.rate, %(digits)s), %(tax)s, %(rep_ref)s, NULL, NULL,
                       FALSE, NULL
              FROM bench_cp c WHERE c.kind = 'refund'
            UNION ALL
            SELECT c.recv_line_id, c.move_id, CASE c.kind WHEN 'refund' THEN %(sale)s ELSE %(bank)s END, 'posted',
                c.name,
                   c.date, CASE c.kind WHEN 'refund' THEN c.date END, c.date,
                   CASE c.kind WHEN 'refund' THEN 'payment_term' ELSE 'product' END,
                   CASE c.kind WHEN 'refund' THEN 12000 ELSE 100 END, %(receivable)s, c.currency_id, c.commercial_id,
                   CASE c.kind WHEN 'refund' THEN '' ELSE 'Manual Payment: ' || COALESCE(b.name, 'on account') END,
                   -c.bal, -(c.d_end - c.d_start), c.res, c.res_cur, c.res = 0 AND c.res_cur = 0,
                   CASE WHEN g.full_id IS NOT NULL THEN g.full_id::text WHEN g.i IS NOT NULL THEN 'P' ||
                       g.min_partial_id END,
                   g.full_id, CASE c.kind WHEN 'refund' THEN 0 ELSE 1 END, 0,
                   CASE c.kind WHEN 'refund' THEN 0 ELSE -(c.d_end - c.d_start) END,
                   CASE c.kind WHEN 'refund' THEN 0 ELSE -(c.d_end - c.d_start) END,
                   CASE c.kind WHEN 'refund' THEN 0 END, NULL, NULL, NULL, NULL, FALSE, c.payment_id
              FROM bench_cp c
              LEFT JOIN bench_inv b ON b.i = c.i
              LEFT JOIN bench_grp g ON g.i = c.i AND g.grp = c.grp
            UNION ALL
            -- payments: the cash (outstanding receipts) line
            SELECT c.line2_id, c.move_id, %(bank)s, 'posted', c.name, c.date, NULL, c.date,
                   'product', 100, %(outstanding)s, c.currency_id, c.commercial_id,
                   'Manual Payment: ' || COALESCE(b.name, 'on account'),
                   c.bal, c.d_end - c.d_start, c.bal, c.d_end - c.d_start, FALSE, NULL, NULL,
                   1, 0, c.d_end - c.d_start, c.d_end - c.d_start, NULL, NULL, NULL, NULL, NULL, FALSE, c.payment_id
              FROM bench_cp c LEFT JOIN bench_inv b ON b.i = c.i WHERE c.kind = 'payment';

            INSERT INTO account_move_line (
                id, move_id, journal_id, company_id, company_currency_id, parent_state, move_name, date, invoice_date,
                date_maturity, display_type, sequence, account_id, currency_id, partner_id, name,
                debit, credit, balance, amount_currency, amount_residual, amount_residual_currency, reconciled,
                matching_number, full_reconcile_id, quantity, price_unit, price_subtotal, price_total, discount,
                tax_base_amount, tax_line_id, tax_group_id, tax_repartition_line_id, product_id, product_uom_id,
                tax_tag_invert, payment_id, create_uid, write_uid, create_date, write_date)
            SELECT l.id, l.move_id, l.journal_id, %(company)s, %(currency)s, l.parent_state, l.move_name, l.date,
                l.invoice_date,
                   l.date_maturity, l.display_type, l.sequence, l.account_id, l.currency_id, l.partner_id, l.name,
                   GREATEST(l.balance, 0), GREATEST(-l.balance, 0), l.balance, l.amount_currency,
                   l.amount_residual, l.amount_residual_currency, l.reconciled, l.matching_number, l.full_reconcile_id,
                   l.quantity, l.price_unit, l.price_subtotal, l.price_total, 0, l.tax_base_amount, l.tax_line_id,
                   CASE WHEN l.tax_line_id IS NOT NULL THEN %(tax_group)s END, l.tax_repartition_line_id,
                   l.product_id, l.product_uom_id, l.tax_tag_invert, l.payment_id,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_lines l ORDER BY l.id;

            INSERT INTO account_move_line_account_tax_rel (account_move_line_id, account_tax_id)
            SELECT l.id, %(tax)s FROM bench_lines l WHERE l.display_type = 'product' AND l.product_id IS NOT NULL;
            -- tax grids (none in the generic chart, some in localized ones)
            INSERT INTO account_account_tag_account_move_line_rel (account_move_line_id, account_account_tag_id)
            SELECT l.id, r.account_account_tag_id
              FROM bench_lines l
              JOIN account_tax_repartition_line rl
                ON rl.tax_id = %(tax)s AND rl.repartition_type = 'base'
               AND rl.document_type = CASE WHEN l.tax_tag_invert THEN 'invoice' ELSE 'refund' END
              JOIN account_account_tag_account_tax_repartition_line_rel r ON r.account_tax_repartition_line_id = rl.id
             WHERE l.display_type = 'product' AND l.product_id IS NOT NULL
            UNION ALL
            SELECT l.id, r.account_account_tag_id
              FROM bench_lines l
              JOIN account_account_tag_account_tax_repartition_line_rel r
                ON r.account_tax_repartition_line_id = l.tax_repartition_line_id
             WHERE l.display_type = 'tax';
            """,
            sale=self.sale_journal.id,
            bank=self.bank_journal.id,
            income=self.income_account.id,
            receivable=self.receivable_account.id,
            outstanding=self.outstanding_account.id,
            tax_account=rep_inv.account_id.id,
            tax=self.tax.id,
            tax_group=self.tax.tax_group_id.id,
            rep_inv=rep_inv.id,
            rep_ref=rep_ref.id,
            product=self.product.id,
            product_name=self.product.name,
            uom=self.uom.id,
            tax_name=self.tax.name,
            digits=self.digits,
            company=self.company.id,
            currency=self.currency.id,
            uid=self.env.uid,
        )

    def _insert_moves(self):
        self._sql(
            """
            CREATE TEMP TABLE bench_move_res AS
            SELECT s.i, SUM(s.res) AS res, SUM(s.res_cur) AS res_cur, BOOL_OR(s.grp IS NOT NULL) AS touched
              FROM bench_inst s GROUP BY s.i;
            INSERT INTO account_move (
                id, name, sequence_prefix, sequence_number, journal_id, company_id, currency_id, partner_id,
                commercial_partner_id, partner_shipping_id, invoice_user_id, team_id, invoice_payment_term_id,
                state, move_type, auto_post, payment_reference, payment_state, invoice_partner_display_name,
                date, invoice_date, invoice_date_due, invoice_currency_rate,
                amount_untaxed, amount_tax, amount_total, amount_residual, amount_untaxed_signed,
                amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                amount_total_in_currency_signed, amount_residual_signed,
                is_storno, always_tax_exigible, checked, posted_before, made_sequence_gap, is_manually_modified,
                create_uid, write_uid, create_date, write_date)
            SELECT b.move_id, b.name, CASE WHEN b.state = 'posted' THEN b.prefix END,
                   CASE WHEN b.state = 'posted' THEN b.seq ELSE 0 END,
                   %(sale)s, %(company)s, b.currency_id, b.partner_id, b.commercial_id, b.partner_id, b.user_id,
                       %(team)s,
                   b.term_id, b.state, 'out_invoice', 'no', CASE WHEN b.state = 'posted' THEN b.name END,
                   CASE WHEN b.state = 'draft' OR NOT r.touched THEN 'not_paid'
                        WHEN r.res_cur = 0 AND r.res = 0 AND EXISTS (
                            SELECT 1 FROM bench_cp c WHERE c.i = b.i AND c.kind = 'payment') THEN 'paid'
                        WHEN r.res_cur = 0 AND r.res = 0 THEN 'reversed'
                        ELSE 'partial' END,
                   p.name, b.invoice_date, b.invoice_date, b.date_due, b.rate,
                   b.untaxed, b.tax, b.total, r.res_cur,
                   pg_temp.bench_cc(b.total, b.rate, %(digits)s) - pg_temp.bench_cc(b.tax, b.rate, %(digits)s),
                       b.untaxed,
                   pg_temp.bench_cc(b.tax, b.rate, %(digits)s), pg_temp.bench_cc(b.total, b.rate, %(digits)s),
                       b.total, r.res,
                   FALSE, FALSE, b.state = 'posted', b.state = 'posted', FALSE, FALSE,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_inv b
              JOIN bench_move_res r ON r.i = b.i
              JOIN res_partner p ON p.id = b.partner_id;

            -- credit notes
            INSERT INTO account_move (
                id, name, sequence_prefix, sequence_number, journal_id, company_id, currency_id, partner_id,
                commercial_partner_id, partner_shipping_id, invoice_user_id, team_id, reversed_entry_id, ref,
                state, move_type, auto_post, payment_state, invoice_partner_display_name,
                date, invoice_date, invoice_date_due, invoice_currency_rate,
                amount_untaxed, amount_tax, amount_total, amount_residual, amount_untaxed_signed,
                amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                amount_total_in_currency_signed, amount_residual_signed,
                is_storno, always_tax_exigible, checked, posted_before, made_sequence_gap, is_manually_modified,
                create_uid, write_uid, create_date, write_date)
            SELECT c.move_id, c.name, c.prefix, c.seq, %(sale)s, %(company)s, c.currency_id, c.partner_id,
                c.commercial_id,
                   c.partner_id, c.user_id, %(team)s, b.move_id,
                   CASE WHEN b.name IS NOT NULL THEN 'Reversal of: ' || b.name END,
                   'posted', 'out_refund', 'no',
                   CASE WHEN c.res_cur = 0 AND c.res = 0 THEN 'paid' WHEN c.grp IS NOT NULL THEN 'partial' ELSE
                       'not_paid' END,
                   p.name, c.date, c.date, c.date, c.rate,
                   c.untaxed, c.tax, c.amount, -c.res_cur,
                   -(c.bal - pg_temp.bench_cc(c.tax, c.rate, %(digits)s)), -c.untaxed,
                   -pg_temp.bench_cc(c.tax, c.rate, %(digits)s), -c.bal, -c.amount, c.res,
                   FALSE, FALSE, TRUE, TRUE, FALSE, FALSE,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_cp c
              LEFT JOIN bench_inv b ON b.i = c.i
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.kind = 'refund';

            -- payments' journal entries
            INSERT INTO account_move (
                id, name, sequence_prefix, sequence_number, journal_id, company_id, currency_id, partner_id,
                commercial_partner_id, team_id, ref,
                state, move_type, auto_post, payment_state, invoice_partner_display_name,
                date, invoice_date_due, invoice_currency_rate,
                amount_untaxed, amount_tax, amount_total, amount_residual, amount_untaxed_signed,
                amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                amount_total_in_currency_signed, amount_residual_signed,
                is_storno, always_tax_exigible, checked, posted_before, made_sequence_gap, is_manually_modified,
                create_uid, write_uid, create_date, write_date)
            SELECT c.move_id, c.name, c.prefix, c.seq, %(bank)s, %(company)s, c.currency_id, c.partner_id,
                c.commercial_id,
                   %(team)s, b.name, 'posted', 'entry', 'no', 'not_paid', p.name,
                   c.date, c.date, 0,
                   0, 0, c.d_end - c.d_start, 0, 0, 0, 0, c.bal, c.d_end - c.d_start, 0,
                   FALSE, TRUE, TRUE, TRUE, FALSE, FALSE,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_cp c
              LEFT JOIN bench_inv b ON b.i = c.i
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.kind = 'payment';
            DROP TABLE bench_move_res;
            """,
            sale=self.sale_journal.id,
            bank=self.bank_journal.id,
            company=self.company.id,
            team=self.team.id or None,
            digits=self.digits,
            uid=self.env.uid,
        )

    def _insert_payments(self):
        """Payments and full reconciliations, before the journal items that refer to them."""
        self._sql(
            """
            INSERT INTO account_payment (
                id, move_id, journal_id, company_id, payment_method_line_id, payment_method_id, currency_id,
                partner_id, outstanding_account_id, destination_account_id, name, state, payment_type,
                partner_type, memo, date, amount, amount_company_currency_signed, is_reconciled, is_matched,
                is_sent, create_uid, write_uid, create_date, write_date)
            SELECT c.payment_id, c.move_id, %(bank)s, %(company)s, %(method_line)s, %(method)s, c.currency_id,
                   c.commercial_id, %(outstanding)s, %(receivable)s, c.name, 'in_process', 'inbound', 'customer',
                   b.name, c.date, c.d_end - c.d_start, c.bal, c.res = 0 AND c.res_cur = 0, FALSE, FALSE,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_cp c LEFT JOIN bench_inv b ON b.i = c.i
             WHERE c.kind = 'payment';
            UPDATE account_move m SET origin_payment_id = c.payment_id
              FROM bench_cp c WHERE c.kind = 'payment' AND m.id = c.move_id;
            INSERT INTO account_move__account_payment (invoice_id, payment_id)
            SELECT b.move_id, c.payment_id FROM bench_cp c JOIN bench_inv b ON b.i = c.i WHERE c.kind = 'payment';
            INSERT INTO account_full_reconcile (id, create_uid, write_uid, create_date, write_date)
            SELECT g.full_id, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_grp g WHERE g.full_id IS NOT NULL;
            """,
            bank=self.bank_journal.id,
            company=self.company.id,
            method_line=self.method_line.id,
            method=self.method_line.payment_method_id.id,
            outstanding=self.outstanding_account.id,
            receivable=self.receivable_account.id,
            uid=self.env.uid,
        )

    def _insert_reconciliations(self):
        self._sql(
            """
            INSERT INTO account_partial_reconcile (
                id, debit_move_id, credit_move_id, full_reconcile_id, debit_currency_id, credit_currency_id,
                company_id, max_date, amount, debit_amount_currency, credit_amount_currency,
                create_uid, write_uid, create_date, write_date)
            SELECT p.id, p.debit_line_id, p.credit_line_id, g.full_id, p.currency_id, p.currency_id, %(company)s,
                   p.max_date, p.amount, p.amount_cur, p.amount_cur,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_part p JOIN bench_grp g ON g.i = p.i AND g.grp = p.grp;
            """,
            company=self.company.id,
            uid=self.env.uid,
        )

    # ------------------------------------------------------------
    # SALE ORDERS, DISPUTES, PROMISES
    # ------------------------------------------------------------

    def _orders(self):
        count = max(1, self.invoices // 20)
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "sale.order"), ("company_id", "in", (self.company.id, False))],
                order="company_id",
                limit=1,
            )
        )
        first = sequence.number_next_actual
        prefix, suffix = sequence._get_prefix_suffix()
        sequence.number_next_actual = first + count
        self._sql(
            """
            CREATE TEMP TABLE bench_so AS
            SELECT g, nextval('sale_order_id_seq')::int AS order_id, nextval('sale_order_line_id_seq')::int AS line_id,
                   c.partner_id, c.user_id,
                   (now() AT TIME ZONE 'UTC') - make_interval(days => floor(pg_temp.bench_rnd(g, 50,
                       %(seed)s) * 60)::int)
                       AS date_order,
                   ROUND(exp(ln(200) + pg_temp.bench_rnd(g, 51, %(seed)s) * ln(50))::numeric, 2) AS untaxed
              FROM generate_series(1, %(count)s) g
              JOIN bench_cust c
                ON c.idx = LEAST(%(customers)s, 1 + floor(%(customers)s * power(pg_temp.bench_rnd(g, 52, %(seed)s),
                    1.5)))::int;
            INSERT INTO sale_order (
                id, name, company_id, partner_id, partner_invoice_id, partner_shipping_id, pricelist_id, currency_id,
                user_id, team_id, state, invoice_status, date_order, validity_date, currency_rate,
                amount_untaxed, amount_tax, amount_total, locked, require_signature, require_payment,
                    prepayment_percent,
                create_uid, write_uid, create_date, write_date)
            SELECT s.order_id, %(prefix)s || lpad((%(first)s + s.g - 1)::text, %(padding)s, '0') || %(suffix)s,
                   %(company)s, s.partner_id, s.partner_id, s.partner_id, %(pricelist)s, %(currency)s,
                   s.user_id, %(team)s, 'sale', 'to invoice', s.date_order, s.date_order::date + 30, 1.0,
                   s.untaxed, ROUND(s.untaxed * %(tax_rate)s / 100.0, 2),
                       s.untaxed + ROUND(s.untaxed * %(tax_rate)s / 100.0, 2),
                   FALSE, FALSE, FALSE, 1.0, %(uid)s, %(uid)s, s.date_order, s.date_order
              FROM bench_so s;
            INSERT INTO sale_order_line (
                id, order_id, sequence, company_id, currency_id, order_partner_id, salesman_id, product_id, product_uom,
                state, qty_delivered_method, invoice_status, name, product_uom_qty, price_unit, discount,
                price_subtotal, price_total, price_tax, price_reduce_taxexcl, price_reduce_taxinc, qty_delivered,
                qty_invoiced, qty_to_invoice, untaxed_amount_invoiced, untaxed_amount_to_invoice,
                technical_price_unit, product_packaging_qty, customer_lead,
                create_uid, write_uid, create_date, write_date)
            SELECT s.line_id, s.order_id, 10, %(company)s, %(currency)s, s.partner_id, s.user_id, %(product)s, %(uom)s,
                   'sale', 'manual', 'to invoice', %(product_name)s, 1, s.untaxed, 0,
                   s.untaxed, s.untaxed + ROUND(s.untaxed * %(tax_rate)s / 100.0, 2),
                       ROUND(s.untaxed * %(tax_rate)s / 100.0, 2),
                   s.untaxed, s.untaxed + ROUND(s.untaxed * %(tax_rate)s / 100.0, 2), 0,
                   0, 1, 0, s.untaxed, s.untaxed, 0, 0,
                   %(uid)s, %(uid)s, s.date_order, s.date_order
              FROM bench_so s;
            INSERT INTO account_tax_sale_order_line_rel (sale_order_line_id, account_tax_id)
            SELECT s.line_id, %(tax)s FROM bench_so s;
            """,
            seed=self.seed,
            count=count,
            customers=self.customers,
            prefix=prefix or "",
            suffix=suffix or "",
            first=first,
            padding=sequence.padding,
            company=self.company.id,
            pricelist=self.pricelist.id or None,
            currency=self.currency.id,
            team=self.team.id or None,
            tax_rate=self.tax_rate,
            product=self.product.id,
            product_name=self.product.name,
            uom=self.uom.id,
            tax=self.tax.id,
            uid=self.env.uid,
        )

    def _analyze(self):
        self.env.invalidate_all()
        for table in (
            "res_partner",
            "account_move",
            "account_move_line",
            "account_partial_reconcile",
            "account_full_reconcile",
            "account_payment",
            "sale_order",
            "sale_order_line",
        ):
            self._sql("ANALYZE %(table)s", table=SQL.identifier(table))

    def _disputes_and_promises(self):
        """A few disputes and promises through the ORM: their creation logs on the invoice."""
        env = self.env(context=dict(self.env.context, tracking_disable=True, mail_notrack=True, mail_create_nolog=True))
        self._sql(
            """
            SELECT m.id FROM account_move m JOIN bench_inv b ON b.move_id = m.id
             WHERE b.state = 'posted' AND m.payment_state = 'not_paid' AND m.invoice_date_due < %(today)s
             ORDER BY hashint4(m.id) LIMIT %(n)s
            """,
            today=self.today,
            n=max(1, self.invoices // 300),
        )
        move_ids = [row[0] for row in self.cr.fetchall()]
        if move_ids:
            env["credit.control.dispute"].create(
                [{"move_id": move_id, "reason": "quality", "company_id": self.company.id} for move_id in move_ids]
            )
        self._sql(
            """
            SELECT m.commercial_partner_id, (ARRAY_AGG(m.id ORDER BY m.invoice_date_due))[1:3],
                SUM(m.amount_residual_signed)
              FROM account_move m JOIN bench_inv b ON b.move_id = m.id
             WHERE b.state = 'posted' AND m.payment_state IN ('not_paid', 'partial') AND m.invoice_date_due < %(today)s
               AND m.move_type = 'out_invoice' AND b.cidx <> 1
             GROUP BY m.commercial_partner_id
             ORDER BY hashint4(m.commercial_partner_id) LIMIT %(n)s
            """,
            today=self.today,
            n=max(1, self.customers // 50),
        )
        promises = [
            {
                "partner_id": partner_id,
                "move_ids": [Command.set(ids)],
                "amount": float(amount),
                "date": self.today - timedelta(days=5),
                "date_promised": self.today + timedelta(days=10),
                "company_id": self.company.id,
            }
            for partner_id, ids, amount in self.cr.fetchall()
            if amount and amount > 0
        ]
        if promises:
            env["credit.control.promise"].create(promises)

    # ------------------------------------------------------------
    # RESULT
    # ------------------------------------------------------------

    def _stats(self):
        self._sql(
            """
            SELECT
                (SELECT COUNT(*) FROM bench_cust),
                (SELECT COUNT(*) FROM bench_inv WHERE state = 'posted'),
                (SELECT COUNT(*) FROM bench_inv WHERE state = 'draft'),
                (SELECT COUNT(*) FROM bench_inv WHERE currency_id <> %(currency)s),
                (SELECT COUNT(*) FROM bench_cp WHERE kind = 'refund'),
                (SELECT COUNT(*) FROM bench_cp WHERE kind = 'refund' AND i IS NULL),
                (SELECT COUNT(*) FROM bench_cp WHERE kind = 'payment'),
                (SELECT COUNT(*) FROM bench_cp WHERE kind = 'payment' AND i IS NULL),
                (SELECT COUNT(*) FROM bench_part),
                (SELECT COUNT(*) FROM bench_grp WHERE full_id IS NOT NULL),
                (SELECT COUNT(*) FROM bench_lines),
                (SELECT COUNT(*) FROM bench_so),
                (SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM bench_inv GROUP BY cidx) x),
                (SELECT partner_id FROM bench_cust WHERE idx = 1)
            """,
            currency=self.currency.id,
        )
        row = self.cr.fetchone()
        keys = (
            "customers",
            "invoices_posted",
            "invoices_draft",
            "invoices_foreign_currency",
            "credit_notes",
            "credit_notes_open",
            "payments",
            "payments_unallocated",
            "partial_reconciles",
            "full_reconciles",
            "journal_items",
            "sale_orders",
            "max_invoices_per_customer",
            "heavy_partner_id",
        )
        stats = dict(zip(keys, row, strict=True))
        self._sql(
            """
            SELECT m.payment_state, COUNT(*) FROM account_move m JOIN bench_inv b ON b.move_id = m.id
             WHERE b.state = 'posted' GROUP BY m.payment_state ORDER BY 1
            """
        )
        stats["payment_states"] = dict(self.cr.fetchall())
        stats["company_id"] = self.company.id
        stats["today"] = fields.Date.to_string(self.today)
        stats["seed"] = self.seed
        return stats

    def _drop_temp_tables(self):
        for table in TEMP_TABLES:
            self._sql("DROP TABLE IF EXISTS %(table)s", table=SQL.identifier(table))


# ----------------------------------------------------------------
# CHECKS
# ----------------------------------------------------------------


def check_book(env, company=None, today=None, sample=200):
    """Prove the book's invariants; return {check: value} and raise AssertionError on a broken one.

    Every move balanced; every receivable line's residual equals its balance less what its partial
    reconciliations took; per partner, the receivables' residual equals their balance less the
    reconciled amounts; the aged balance's total equals the receivable ledger; and Odoo's own
    computations, run on a sample of invoices, find the stored residuals and payment states."""
    company = company or env.company
    cr = env.cr
    env.flush_all()
    today = fields.Date.to_date(today) if today else fields.Date.context_today(env["res.partner"])
    problems = []
    results = {}

    def scalar(query, **params):
        cr.execute(SQL(query, **params))
        return cr.fetchone()[0]

    results["unbalanced_moves"] = scalar(
        """
        SELECT COUNT(*) FROM (
            SELECT l.move_id FROM account_move_line l
             WHERE l.company_id = %(company)s
             GROUP BY l.move_id
            HAVING SUM(l.balance) <> 0 OR SUM(l.debit) <> SUM(l.credit)
                OR BOOL_OR(l.balance <> l.debit - l.credit)
                OR (COUNT(DISTINCT l.currency_id) = 1 AND SUM(l.amount_currency) <> 0)
        ) x
        """,
        company=company.id,
    )
    results["lines_with_wrong_residual"] = scalar(
        """
        WITH rec AS (
            SELECT line_id, SUM(amount) AS amount, SUM(amount_cur) AS amount_cur FROM (
                SELECT debit_move_id AS line_id, -amount AS amount, -debit_amount_currency AS amount_cur
                  FROM account_partial_reconcile WHERE company_id = %(company)s
                UNION ALL
                SELECT credit_move_id, amount, credit_amount_currency
                  FROM account_partial_reconcile WHERE company_id = %(company)s
            ) x GROUP BY line_id
        )
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
          LEFT JOIN rec ON rec.line_id = l.id
         WHERE l.company_id = %(company)s
           AND (l.amount_residual <> l.balance + COALESCE(rec.amount, 0)
                OR l.amount_residual_currency <> l.amount_currency + COALESCE(rec.amount_cur, 0)
                OR l.reconciled <> (l.parent_state = 'posted' AND l.amount_residual = 0 AND
                    l.amount_residual_currency = 0)
                OR (l.full_reconcile_id IS NOT NULL AND l.amount_residual <> 0))
        """,
        company=company.id,
    )
    results["partners_with_wrong_residual"] = scalar(
        """
        WITH lines AS (
            SELECT l.id, l.partner_id, l.balance, l.amount_residual
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
        ), taken AS (
            SELECT l.partner_id, SUM(p.amount) AS debit_taken, 0 AS credit_taken
              FROM account_partial_reconcile p JOIN lines l ON l.id = p.debit_move_id GROUP BY l.partner_id
            UNION ALL
            SELECT l.partner_id, 0, SUM(p.amount)
              FROM account_partial_reconcile p JOIN lines l ON l.id = p.credit_move_id GROUP BY l.partner_id
        ), per_partner AS (
            SELECT partner_id, SUM(balance) AS balance, SUM(amount_residual) AS residual FROM lines GROUP BY partner_id
        )
        SELECT COUNT(*) FROM per_partner pp
          LEFT JOIN (SELECT partner_id, SUM(debit_taken) AS d, SUM(credit_taken) AS c FROM taken GROUP BY partner_id) t
                 ON t.partner_id = pp.partner_id
         WHERE pp.residual <> pp.balance - COALESCE(t.d, 0) + COALESCE(t.c, 0)
        """,
        company=company.id,
    )
    results["ledger_receivable"] = float(
        scalar(
            """
            SELECT COALESCE(SUM(l.balance), 0) FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted' AND l.date <= %(today)s
            """,
            company=company.id,
            today=today,
        )
    )
    results["open_receivable"] = float(
        scalar(
            """
            SELECT COALESCE(SUM(l.amount_residual), 0) FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
            """,
            company=company.id,
        )
    )
    totals = env["credit.control.aged.balance"]._cc_totals(as_of=today, companies=company, groupby="company_id")
    results["aged_balance_total"] = round(sum(float(t["residual"] or 0.0) for t in totals), 2)
    buckets = sum(
        float(t[b] or 0.0) for t in totals for b in ("not_due", "period_1", "period_2", "period_3", "period_4")
    )
    for key in ("unbalanced_moves", "lines_with_wrong_residual", "partners_with_wrong_residual"):
        if results[key]:
            problems.append(f"{key}: {results[key]}")
    currency = company.currency_id
    if currency.compare_amounts(results["aged_balance_total"], results["ledger_receivable"]):
        problems.append(
            f"aged balance total {results['aged_balance_total']} != receivable ledger {results['ledger_receivable']}"
        )
    if currency.compare_amounts(results["open_receivable"], results["ledger_receivable"]):
        problems.append(
            f"open receivable {results['open_receivable']} != receivable ledger {results['ledger_receivable']}"
        )
    if currency.compare_amounts(buckets, results["aged_balance_total"]):
        problems.append(f"aged balance buckets {buckets} != its total {results['aged_balance_total']}")
    results["orm_sample"], orm_problems = _check_with_orm(env, company, sample)
    problems += orm_problems
    results["problems"] = problems
    if problems:
        raise AssertionError("The generated book is inconsistent:\n" + "\n".join(problems))
    return results


def _check_with_orm(env, company, sample):
    """Let Odoo recompute residuals and payment states of a sample of documents (in a savepoint
    rolled back afterwards) and compare them with what is stored."""
    cr = env.cr
    cr.execute(
        SQL(
            """
            SELECT id FROM (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY move_type, state ORDER BY hashint4(id)) AS n
                  FROM account_move
                 WHERE company_id = %(company)s AND move_type IN ('out_invoice', 'out_refund')
            ) x WHERE n <= %(per_group)s
            """,
            company=company.id,
            per_group=max(1, sample // 3),
        )
    )
    moves = env["account.move"].browse([row[0] for row in cr.fetchall()])
    lines = moves.line_ids
    lines |= lines.matched_debit_ids.debit_move_id | lines.matched_credit_ids.credit_move_id
    move_fields = ["amount_untaxed", "amount_tax", "amount_total", "amount_residual", "amount_residual_signed"]
    move_fields += ["payment_state"]
    line_fields = ["amount_residual", "amount_residual_currency", "reconciled"]
    stored = {
        "move": {m["id"]: m for m in moves.read(move_fields)},
        "line": {line["id"]: line for line in lines.read(line_fields)},
    }
    computed = {"move": {}, "line": {}}
    problems = []
    cr.execute("SAVEPOINT bench_orm_check")
    try:
        for fname in line_fields:
            env.add_to_compute(lines._fields[fname], lines)
        for fname in move_fields:
            env.add_to_compute(moves._fields[fname], moves)
        computed["line"] = {line.id: {f: line[f] for f in line_fields} for line in lines}
        computed["move"] = {move.id: {f: move[f] for f in move_fields} for move in moves}
        try:
            lines._constrains_matching_number()
        except Exception as error:  # noqa: BLE001 - reported as a problem of the book
            problems.append(f"matching numbers: {error}")
    finally:
        env.clear()
        cr.execute("ROLLBACK TO SAVEPOINT bench_orm_check")
    for kind, fnames in (("move", move_fields), ("line", line_fields)):
        for rec_id, values in computed[kind].items():
            for fname in fnames:
                value, expected = values[fname], stored[kind][rec_id][fname]
                if isinstance(value, str | bool):
                    differs = value != expected
                else:
                    differs = bool(round(float(value) - float(expected), 6))
                if differs:
                    problems.append(f"{kind} {rec_id} {fname}: Odoo computes {value!r}, stored {expected!r}")
    return {"moves": len(moves), "lines": len(lines)}, problems
