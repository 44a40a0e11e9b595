"""Generate a book into a database where the credit control addons are installed, commit it and
check it; prints the statistics as JSON on the last line.

    python tests/benchmarks/build_book.py --conf odoo.conf --db cc_bench_20000 --invoices 20000 --customers 2000
    python tests/benchmarks/build_book.py --conf odoo.conf --db cc_bench_20000 --check-only
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_env import odoo_env  # noqa: E402


def generate(args):
    with odoo_env(args.conf, args.db, commit=True, context={"tracking_disable": True}) as env:
        from generator import BookGenerator  # pylint: disable=import-outside-toplevel

        gen = BookGenerator(
            env,
            invoices=args.invoices,
            customers=args.customers,
            seed=args.seed,
            today=args.today,
            log=lambda msg: print(msg, flush=True),
        )
        return gen.run(), gen.today


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--invoices", type=int, default=0)
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", help="the book's today (YYYY-MM-DD); default: today")
    parser.add_argument("--no-check", action="store_true")
    parser.add_argument("--check-only", action="store_true", help="only check the book already in the database")
    args = parser.parse_args()

    start = time.perf_counter()
    stats, today = {}, args.today
    if not args.check_only:
        stats, today = generate(args)
        print(f"  generated and committed in {time.perf_counter() - start:.1f} s", flush=True)
    if not args.no_check:
        check_start = time.perf_counter()
        with odoo_env(args.conf, args.db) as env:
            from generator import check_book  # pylint: disable=import-outside-toplevel

            stats["check"] = check_book(env, today=today)
        stats["check_seconds"] = round(time.perf_counter() - check_start, 1)
        print(f"  checked in {stats['check_seconds']} s: {stats['check']}", flush=True)
    stats["total_seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(stats, default=str))


if __name__ == "__main__":
    main()
