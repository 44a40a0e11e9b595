"""Benchmark of the dunning level selection of credit_control on a generated book.

Generates a book (``generator.BookGenerator``) in one transaction, then times the set-based
selection of the run (one SQL query over the receivables of the company) against the same
selection one installment at a time (the floor of what a per-move-line loop costs, as OCA's
account_credit_control does), the creation of the lines and communications, and the rendering of
100 communications. Everything is rolled back.

    flock /tmp/cc-odoo.lock ~/.cache/credit-control/venv/bin/python tests/benchmarks/bench_dunning.py \\
        -c ~/.cache/credit-control/odoo.conf -d cc_dunning [--invoices 20000]

The database needs credit_control installed (the main company gets the default French policy).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_env import odoo_env  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with odoo_env(args.config, args.database, context={"tracking_disable": True}) as env:
        from generator import BookGenerator  # pylint: disable=import-outside-toplevel

        start = time.perf_counter()
        gen = BookGenerator(env, invoices=args.invoices, customers=max(10, args.invoices // 10), seed=42)
        gen.run()
        print(f"book of {args.invoices} invoices generated in {time.perf_counter() - start:.1f} s", flush=True)
        env = env(context={"allowed_company_ids": [gen.company.id]})
        run = env["credit.control.dunning.run"].create({"company_id": gen.company.id, "date": gen.today})
        env.flush_all()

        timings = []
        for _index in range(args.repeat):
            start = time.perf_counter()
            rows = run._select_installments()
            timings.append(time.perf_counter() - start)
        ours = min(timings)
        to_dun = [row for row in rows if not row["skip"]]
        print(
            f"set-based selection: {len(rows)} installments reached a level ({len(to_dun)} to dun) "
            f"in {ours * 1000:.0f} ms (best of {args.repeat})"
        )

        env.cr.execute(
            """SELECT l.id FROM account_move_line l
                 JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                 JOIN account_move m ON m.id = l.move_id AND m.move_type = 'out_invoice'
                WHERE l.company_id = %s AND l.parent_state = 'posted' AND NOT l.reconciled
                  AND l.amount_residual > 0 AND l.date_maturity <= %s""",
            [gen.company.id, gen.today],
        )
        line_ids = [row[0] for row in env.cr.fetchall()]
        start = time.perf_counter()
        found = sum(len(run._select_installments(move_line_ids=[line_id])) for line_id in line_ids)
        per_line = time.perf_counter() - start
        print(
            f"one installment at a time: {len(line_ids)} installments, {found} reached a level, "
            f"{per_line * 1000:.0f} ms, {per_line / ours:.1f} times slower"
        )

        start = time.perf_counter()
        comms = run._create_communications(to_dun)
        env.flush_all()
        print(
            f"lines and communications: {len(comms)} communications, {len(comms.line_ids)} lines "
            f"in {time.perf_counter() - start:.1f} s"
        )
        sample = comms[:100]
        start = time.perf_counter()
        sample._render_contents(force=True)
        print(f"texts of {len(sample)} communications rendered in {time.perf_counter() - start:.1f} s")
        env.cr.rollback()


if __name__ == "__main__":
    main()
