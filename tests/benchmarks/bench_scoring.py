"""Benchmark of credit_control_scoring: score 10,000 customers with the standard model.

Creates the customers and their history by SQL in one transaction (6 invoices each over the last
11 months, a revenue line and a receivable line per invoice, payments reconciled with partials:
60 % of the customers pay on time, 20 % 20 days late, 10 % 60 days late, 10 % never), a financial
statement and a bureau score for half of them, analyses the tables, then times each factor's
measure, the change detection and the whole scoring (review mode, then applying the decisions), and
rolls everything back unless --keep is given.

    flock /tmp/cc-odoo.lock ~/.cache/credit-control/venv/bin/python tests/benchmarks/bench_scoring.py \\
        -c ~/.cache/credit-control/odoo.conf -d cc_scoring [--customers 10000] [--keep]

The database needs credit_control_scoring installed (with the main company's standard model).
"""

import argparse
import os
import resource
import sys
import time

from dateutil.relativedelta import relativedelta


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="commit the generated data instead of rolling back")
    parser.add_argument("--no-apply", action="store_true", help="skip applying the decisions")
    return parser.parse_args()


def main():
    args = parse_args()
    src = os.path.expanduser("~/.cache/credit-control/odoo/src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import odoo
    from odoo import SUPERUSER_ID
    from odoo import api
    from odoo import fields
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.modules.module.initialize_sys_path()
    from odoo.addons.credit_control_scoring.models.credit_control_scoring_measure import MeasureContext

    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        env = env(context={"allowed_company_ids": [company.id]})
        model = env["credit.control.scoring.model"].search(
            [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
        )
        if not model:
            sys.exit("No default scoring model in the main company: install credit_control_scoring first.")
        model.decision_mode = "review"

        started = time.perf_counter()
        partner_ids = create_history(env, SQL, fields, company, args.customers)
        elapsed = time.perf_counter() - started
        print(f"data: {args.customers} customers, {6 * args.customers} invoices created in {elapsed:.1f} s")
        # a real book is analysed by autovacuum; ANALYZE sees this transaction's own rows
        for table in ("account_move", "account_move_line", "account_partial_reconcile", "res_partner"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        partners = env["res.partner"].browse(partner_ids)
        env.invalidate_all()

        def timed(label, function, *fargs):
            env.invalidate_all()
            before_queries, before = cr.sql_log_count, time.perf_counter()
            result = function(*fargs)
            env.flush_all()
            elapsed, queries = time.perf_counter() - before, cr.sql_log_count - before_queries
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"{label:<38} {elapsed:8.2f} s {queries:6d} queries  (peak memory {peak} MB)")
            return result

        print(f"\nmodel {model.name!r}: {len(model.factor_ids)} factors, {args.customers} customers")
        today = fields.Date.context_today(model)
        Measure = env["credit.control.scoring.measure"].with_company(company)
        Measure._flush_sources()
        registry_measures = Measure._scoring_factor_measures()
        ctx = MeasureContext(
            company=company,
            scoring_model=model,
            partner_ids=partner_ids,
            today=today,
            date_from=today - relativedelta(months=model.window_months),
            months=model.window_months,
        )
        for factor in model.factor_ids:
            ctx.cache.clear()
            measured = timed(
                f"  measure {factor.factor}",
                getattr(Measure, registry_measures[factor.factor]["measure"]),
                ctx,
            )
            print(f"{'':<40}{len(measured)} customers measured")
        timed("change detection (all customers)", model._changed_partner_ids, partner_ids)
        scores = timed("score all (review: record + propose)", model._score_partners, partners)
        states = {}
        for state in scores.mapped("state"):
            states[state] = states.get(state, 0) + 1
        print(f"{'':<40}states: {states}")
        print(
            f"{'':<40}mean score {sum(scores.mapped('score')) / len(scores):.1f}, "
            f"mean confidence {sum(scores.mapped('confidence')) / len(scores):.1f} %"
        )
        if not args.no_apply:
            to_apply = scores.filtered(lambda s: s.state == "to_review")
            timed(f"apply {len(to_apply)} decisions (write + chatter)", to_apply._apply)
        timed("change detection after scoring", model._changed_partner_ids, partner_ids)
        if args.keep:
            cr.commit()
            print("\ndata kept (committed)")
        else:
            cr.rollback()
            print("\nrolled back")


def create_history(env, SQL, fields, company, count):
    cr = env.cr
    today = fields.Date.context_today(env["res.partner"])
    currency = company.currency_id.id
    Account = env["account.account"].with_company(company)
    receivable = Account.search([("account_type", "=", "asset_receivable")], limit=1)
    income = Account.search([("account_type", "=", "income")], limit=1)
    bank = Account.search([("account_type", "=", "asset_cash")], limit=1) or Account.search(
        [("account_type", "=", "asset_current")], limit=1
    )
    sale_journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    bank_journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    env.flush_all()
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, customer_rank, type, autopost_bills,
                                     lang, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, TRUE, 1, 'contact', 'ask', 'en_US',
                   1, 1, now() at time zone 'utc', now() at time zone 'utc'
              FROM generate_series(1, %(count)s) g
            RETURNING id
            """,
            count=count,
        )
    )
    partner_ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", partner_ids))
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_inv ON COMMIT DROP AS
            SELECT p.id AS partner_id, p.rn, j,
                   (%(today)s::date - (j * 55 + mod(p.rn, 30) + 5)::int) AS inv_date,
                   (500 + mod(p.rn * 37 + j * 101, 5000))::numeric AS amount,
                   CASE WHEN mod(p.rn, 10) < 6 THEN -5 WHEN mod(p.rn, 10) < 8 THEN 20
                        WHEN mod(p.rn, 10) = 8 THEN 60 END AS delay,
                   'BENCH/' || p.id || '/' || j AS name
              FROM (SELECT id, row_number() OVER (ORDER BY id)::int AS rn FROM res_partner WHERE id = ANY(%(ids)s)) p
             CROSS JOIN generate_series(0, 5) j;
            ALTER TABLE bench_inv ADD COLUMN due date, ADD COLUMN pay_date date, ADD COLUMN move_id int,
                ADD COLUMN line_id int, ADD COLUMN pay_move_id int, ADD COLUMN pay_line_id int;
            UPDATE bench_inv SET due = inv_date + 30;
            UPDATE bench_inv SET pay_date = due + delay WHERE delay IS NOT NULL AND due + delay <= %(today)s;
            """,
            today=today,
            ids=partner_ids,
        )
    )
    common = SQL(
        "%(company)s, %(currency)s, 1, 1, now() at time zone 'utc', now() at time zone 'utc'",
        company=company.id,
        currency=currency,
    )
    cr.execute(
        SQL(
            """
            INSERT INTO account_move (name, move_type, state, date, invoice_date, invoice_date_due, partner_id,
                                      commercial_partner_id, journal_id, auto_post, amount_untaxed, amount_total,
                                      amount_untaxed_signed, amount_total_signed, amount_total_in_currency_signed,
                                      amount_residual, amount_residual_signed, payment_state,
                                      company_id, currency_id, create_uid, write_uid, create_date, write_date)
            SELECT name, 'out_invoice', 'posted', inv_date, inv_date, due, partner_id, partner_id, %(journal)s, 'no',
                   amount, amount, amount, amount, amount,
                   CASE WHEN pay_date IS NULL THEN amount ELSE 0 END, CASE WHEN pay_date IS NULL THEN amount ELSE 0 END,
                   CASE WHEN pay_date IS NULL THEN 'not_paid' ELSE 'paid' END, %(common)s
              FROM bench_inv;
            UPDATE bench_inv b SET move_id = m.id FROM account_move m WHERE m.name = b.name;
            INSERT INTO account_move (name, move_type, state, date, partner_id, commercial_partner_id, journal_id,
                                      auto_post, amount_total, amount_total_signed, payment_state,
                                      company_id, currency_id, create_uid, write_uid, create_date, write_date)
            SELECT 'PAY' || name, 'entry', 'posted', pay_date, partner_id, partner_id, %(bank_journal)s, 'no',
                   amount, amount, 'not_paid', %(common)s
              FROM bench_inv WHERE pay_date IS NOT NULL;
            UPDATE bench_inv b SET pay_move_id = m.id FROM account_move m WHERE m.name = 'PAY' || b.name;
            """,
            journal=sale_journal.id,
            bank_journal=bank_journal.id,
            common=common,
        )
    )
    line_columns = SQL(
        "move_id, move_name, journal_id, account_id, partner_id, name, display_type, date, date_maturity, "
        "parent_state, balance, debit, credit, amount_currency, amount_residual, amount_residual_currency, "
        "reconciled, company_id, currency_id, create_uid, write_uid, create_date, write_date, company_currency_id"
    )
    cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (%(columns)s)
            SELECT move_id, name, %(journal)s, %(receivable)s, partner_id, name, 'payment_term', inv_date, due,
                   'posted', amount, amount, 0, amount,
                   CASE WHEN pay_date IS NULL THEN amount ELSE 0 END, CASE WHEN pay_date IS NULL THEN amount ELSE 0 END,
                   pay_date IS NOT NULL, %(common)s, %(currency)s
              FROM bench_inv
            RETURNING id, move_id;
            """,
            columns=line_columns,
            journal=sale_journal.id,
            receivable=receivable.id,
            common=common,
            currency=currency,
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE bench_inv b SET line_id = l.id
              FROM account_move_line l WHERE l.move_id = b.move_id AND l.display_type = 'payment_term';
            INSERT INTO account_move_line (%(columns)s)
            SELECT move_id, name, %(journal)s, %(income)s, partner_id, name, 'product', inv_date, NULL,
                   'posted', -amount, 0, amount, -amount, 0, 0, FALSE, %(common)s, %(currency)s
              FROM bench_inv;
            INSERT INTO account_move_line (%(columns)s)
            SELECT pay_move_id, 'PAY' || name, %(bank_journal)s, %(receivable)s, partner_id, 'payment', 'payment_term',
                   pay_date, pay_date, 'posted', -amount, 0, amount, -amount, 0, 0, TRUE, %(common)s, %(currency)s
              FROM bench_inv WHERE pay_date IS NOT NULL;
            UPDATE bench_inv b SET pay_line_id = l.id
              FROM account_move_line l WHERE l.move_id = b.pay_move_id AND l.account_id = %(receivable)s;
            INSERT INTO account_move_line (%(columns)s)
            SELECT pay_move_id, 'PAY' || name, %(bank_journal)s, %(bank)s, partner_id, 'payment', 'product',
                   pay_date, NULL, 'posted', amount, amount, 0, amount, 0, 0, FALSE, %(common)s, %(currency)s
              FROM bench_inv WHERE pay_date IS NOT NULL;
            INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, debit_amount_currency,
                                                   credit_amount_currency, debit_currency_id, credit_currency_id,
                                                   company_id, max_date, create_uid, write_uid,
                                                   create_date, write_date)
            SELECT line_id, pay_line_id, amount, amount, amount, %(currency)s, %(currency)s,
                   %(company)s, GREATEST(inv_date, pay_date), 1, 1, now() at time zone 'utc', now() at time zone 'utc'
              FROM bench_inv WHERE pay_date IS NOT NULL;
            INSERT INTO credit_control_financial_statement (partner_id, company_id, year, currency_id, revenue, equity,
                                                            total_assets, total_debts, net_debt, net_cash, net_result,
                                                            create_uid, write_uid, create_date, write_date)
            SELECT p.id, %(company)s, %(year)s, %(currency)s,
                   1000000 + mod(p.id, 97) * 50000, 200000 + mod(p.id, 13) * 20000, 900000,
                   600000 + mod(p.id, 7) * 50000, 100000 + mod(p.id, 11) * 30000, 50000,
                   20000 - mod(p.id, 9) * 5000,
                   1, 1, now() at time zone 'utc', now() at time zone 'utc'
              FROM res_partner p WHERE p.id = ANY(%(ids)s) AND mod(p.id, 2) = 0;
            UPDATE res_partner SET cc_bureau_score = mod(id, 100), cc_bureau_date = %(today)s::date - 30,
                                   cc_bureau_provider = 'Bench'
             WHERE id = ANY(%(ids)s) AND mod(id, 2) = 1;
            """,
            columns=line_columns,
            journal=sale_journal.id,
            bank_journal=bank_journal.id,
            receivable=receivable.id,
            income=income.id,
            bank=bank.id,
            common=common,
            currency=currency,
            company=company.id,
            year=today.year - 1,
            today=today,
            ids=partner_ids,
        )
    )
    env.invalidate_all()
    return partner_ids


if __name__ == "__main__":
    main()
