"""How many SQL queries the commission hook adds to registering a customer payment.

Registers one payment for 1, 10 and 50 invoices of 3 lines each, in a company without any
commission plan and then with a plan (tiers, a category rule, salesperson 80 % / team leader 20 %),
and prints the queries of the whole registration and of the hook alone (its own queries and the
flushes of pending writes it triggers). Everything is rolled back.

    PYTHONPATH=~/.cache/credit-control/odoo/src ~/.cache/credit-control/venv/bin/python \\
        tests/benchmarks/bench_commission.py -c ~/.cache/credit-control/odoo.conf -d <database>

The database needs credit_control_sales_commission installed. Not collected by pytest.
"""

import argparse
import time

import odoo
from odoo import SUPERUSER_ID
from odoo import Command
from odoo import api


def build(env):
    company = env.company
    categ = env["product.category"].create({"name": "Bench machines"})
    products = env["product.product"].create(
        [
            {"name": "Bench service", "type": "service", "standard_price": 0.0, "taxes_id": [Command.clear()]},
            {
                "name": "Bench machine",
                "type": "consu",
                "standard_price": 300.0,
                "categ_id": categ.id,
                "taxes_id": [Command.clear()],
            },
            {"name": "Bench part", "type": "consu", "standard_price": 5.0, "taxes_id": [Command.clear()]},
        ]
    )
    seller = env["res.users"].create({"name": "Bench seller", "login": "bench_commission_seller"})
    leader = env["res.users"].create({"name": "Bench leader", "login": "bench_commission_leader"})
    env["crm.team"].create(
        {"name": "Bench team", "user_id": leader.id, "crm_team_member_ids": [Command.create({"user_id": seller.id})]}
    )
    customer = env["res.partner"].create({"name": "Bench customer", "is_company": True})
    plan = env["credit.control.commission.plan"].create(
        {
            "name": "Bench plan",
            "company_id": company.id,
            "active": False,
            "share_ids": [
                Command.create({"role": "seller", "share": 80.0}),
                Command.create({"role": "team_leader", "share": 20.0}),
            ],
            "tier_ids": [
                Command.create({"threshold": 0.0, "rate": 2.0}),
                Command.create({"threshold": 10000.0, "rate": 4.0}),
            ],
            "rule_ids": [Command.create({"categ_id": categ.id, "rate": 3.0})],
            "user_ids": [Command.set(seller.ids)],
        }
    )
    return products, seller, customer, plan


def register(env, products, seller, customer, count):
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_user_id": seller.id,
                "invoice_date": "2026-01-05",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 2, "price_unit": 150.0, "tax_ids": [Command.clear()]}
                    )
                    for product in products
                ],
            }
            for _index in range(count)
        ]
    )
    invoices.action_post()
    wizard = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoices.ids)
        .create({"payment_date": "2026-01-20", "group_payment": True})
    )
    env.flush_all()
    env.invalidate_all()
    hook = {"queries": 0}
    Line = env.registry["credit.control.commission.line"]
    original = Line._cc_collect

    def counted(self, partials):
        start = self.env.cr.sql_log_count
        result = original(self, partials)
        hook["queries"] += self.env.cr.sql_log_count - start
        return result

    Line._cc_collect = counted
    try:
        start, clock = env.cr.sql_log_count, time.perf_counter()
        wizard._create_payments()
        env.flush_all()
        total, elapsed = env.cr.sql_log_count - start, time.perf_counter() - clock
    finally:
        Line._cc_collect = original
    lines = env["credit.control.commission.line"].search_count([("invoice_id", "in", invoices.ids)])
    return total, hook["queries"], lines, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        products, seller, customer, plan = build(env)
        register(env, products, seller, customer, 1)  # warm the caches up
        print(f"{'invoices':>8} {'plan':>5} {'queries':>8} {'hook':>5} {'lines':>6} {'seconds':>8}")
        for with_plan in (False, True):
            plan.active = with_plan
            for count in (1, 10, 50):
                total, hook, lines, elapsed = register(env, products, seller, customer, count)
                print(f"{count:>8} {'yes' if with_plan else 'no':>5} {total:>8} {hook:>5} {lines:>6} {elapsed:>8.2f}")
        cr.rollback()


if __name__ == "__main__":
    main()
