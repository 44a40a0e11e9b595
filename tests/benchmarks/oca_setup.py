"""Configure OCA's addons, installed in a copy of a generated book, the way a user of them would
to do the same jobs as ours; commits.

- account_credit_control: the company's policy ("3 time policy") follows the receivable account;
- account_financial_risk / sale_financial_risk: every customer counts draft, open and unpaid
  invoices, unallocated entries and orders in its risk, with the same limit as in our book (the
  risk class's limit or the customer's own);
- account_commission_oca: one "paid invoices" commission of 5 %, the salespeople as agents, an
  agent line on every sold invoice line; the lines of invoices paid before last month are already
  settled (the steady state of a monthly settlement), so the job settles one month like ours.

    python tests/benchmarks/oca_setup.py --conf odoo-oca.conf --db cc_bench_20000_oca
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_env import odoo_env  # noqa: E402


def setup(env):
    import jobs  # pylint: disable=import-outside-toplevel

    from odoo import Command  # pylint: disable=import-outside-toplevel
    from odoo.tools import SQL  # pylint: disable=import-outside-toplevel

    cr = env.cr
    company = env.company
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    receivable = env["res.partner"].with_company(company).new({"name": "x"}).property_account_receivable_id
    # our own check must not run in OCA's database: confirmations measure OCA's check only
    if "cc_enabled" in company._fields:
        company.cc_enabled = False
    company_key = str(company.id)
    if "account_credit_control" in installed:
        policy = company.credit_policy_id
        policy.account_ids = [Command.set(receivable.ids)]
    if "account_financial_risk" in installed:
        includes = [
            "risk_invoice_draft_include",
            "risk_invoice_open_include",
            "risk_invoice_unpaid_include",
            "risk_account_amount_include",
        ]
        if "sale_financial_risk" in installed:
            includes.append("risk_sale_order_include")
        cr.execute(
            SQL(
                "UPDATE res_partner SET %s WHERE customer_rank > 0 AND (is_company OR parent_id IS NULL)",
                SQL(", ").join(SQL("%s = TRUE", SQL.identifier(name)) for name in includes),
            )
        )
    cr.execute(
        SQL(
            """SELECT data_type FROM information_schema.columns
                WHERE table_name = 'res_partner' AND column_name = 'credit_limit'"""
        )
    )
    credit_limit_type = cr.fetchone()[0]
    limit = SQL(
        """CASE WHEN (p.cc_use_custom_limit ->> %(key)s)::boolean THEN (p.cc_credit_limit ->> %(key)s)::numeric
                ELSE rc.credit_limit END""",
        key=company_key,
    )
    value = SQL("jsonb_build_object(%s, %s)", company_key, limit) if credit_limit_type == "jsonb" else limit
    cr.execute(
        SQL(
            """UPDATE res_partner p SET credit_limit = %(value)s
                 FROM credit_control_risk_class rc
                WHERE rc.id = (p.cc_risk_class_id ->> %(key)s)::int""",
            value=value,
            key=company_key,
        )
    )
    if "account_commission_oca" in installed:
        commission = env["commission"].create(
            {
                "name": "Benchmark 5 % on paid invoices",
                "commission_type": "fixed",
                "fix_qty": 5.0,
                "invoice_state": "paid",
            }
        )
        users = env["res.users"].search([("login", "=like", "cc_bench_sales_%")])
        users.partner_id.write({"agent": True, "commission_id": commission.id})
        start, _end = jobs.last_month(env)
        cr.execute(
            SQL(
                """
                INSERT INTO account_invoice_line_agent (
                    object_id, invoice_id, invoice_date, agent_id, commission_id, amount, company_id,
                    settled, create_uid, write_uid, create_date, write_date)
                SELECT l.id, m.id, m.invoice_date, u.partner_id, %(commission)s, ROUND(l.price_subtotal * 0.05, 2),
                       m.company_id,
                       m.payment_state IN ('paid', 'reversed') AND COALESCE(pay.last_date, m.invoice_date) < %(start)s,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_users u ON u.id = m.invoice_user_id AND u.id = ANY(%(users)s)
                  LEFT JOIN LATERAL (
                      SELECT MAX(p.max_date) AS last_date FROM account_move_line r
                        JOIN account_partial_reconcile p ON p.debit_move_id = r.id
                       WHERE r.move_id = m.id AND r.display_type = 'payment_term'
                  ) pay ON TRUE
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND l.display_type = 'product'
                """,
                commission=commission.id,
                start=start,
                users=users.ids,
                uid=env.uid,
            )
        )
        cr.execute("ANALYZE account_invoice_line_agent")
    env.invalidate_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path")
    args = parser.parse_args()
    with odoo_env(args.conf, args.db, addons_path=args.addons_path, commit=True) as env:
        setup(env)
    print("OCA addons configured in", args.db)


if __name__ == "__main__":
    main()
