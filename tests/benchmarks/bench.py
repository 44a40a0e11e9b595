"""Drive a benchmark run: install, generate, copy, measure, compare; write a table and JSON.

    python tests/benchmarks/bench.py --conf odoo.conf --invoices 20000 --customers 2000 --repeat 3 \
        [--oca --oca-addons ~/.cache/credit-control/oca/addons] [--jobs ours.,sql.] [--reuse]

Databases (all named cc_bench_*): cc_bench_base (the addons installed, no data), cc_bench_<N>
(the generated book, the template of every measured copy), cc_bench_<N>_oca (the book with OCA's
addons installed and configured). Each job runs in its own process on a fresh copy
(``createdb -T``), holding the shared lock /tmp/cc-odoo.lock only while it runs."""

import argparse
import contextlib
import fcntl
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from odoo_env import ensure_odoo_on_path  # noqa: E402  pylint: disable=wrong-import-position

ensure_odoo_on_path()

from jobs import JOBS  # noqa: E402  pylint: disable=wrong-import-position

OUR_ADDONS = "credit_control,credit_control_scoring,credit_control_sales_commission"
OCA_ADDONS = [
    "account_credit_control",
    "account_financial_risk",
    "sale_financial_risk",
    "commission_oca",
    "account_commission_oca",
]
SIDES = ("ours", "oca", "native", "sql")


def log(msg):
    print(msg, flush=True)


@contextlib.contextmanager
def lock(path):
    """The machine's shared lock around PostgreSQL-heavy work (taken per step, never for long)."""
    if not path:
        yield
        return
    with open(path, "a") as handle:
        start = time.perf_counter()
        fcntl.flock(handle, fcntl.LOCK_EX)
        waited = time.perf_counter() - start
        if waited > 1:
            log(f"    (waited {waited:.0f} s for the lock)")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sh(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def db_exists(name):
    out = subprocess.run(
        ["psql", "-X", "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def drop(name):
    if not name.startswith("cc_bench_"):
        raise ValueError(f"refusing to drop {name}: benchmark databases start with cc_bench_")
    subprocess.run(["dropdb", "--if-exists", name], check=True, capture_output=True)


def copy(template, name):
    drop(name)
    start = time.perf_counter()
    sh(["createdb", "-T", template, name])
    return time.perf_counter() - start


def odoo_bin(args, conf, db, *extra):
    python = sys.executable
    return [python, os.path.join(args.odoo_src, "odoo-bin"), "-c", conf, "-d", db, *extra]


def python_script(script, *extra):
    return [sys.executable, os.path.join(HERE, script), *extra]


def last_json(output):
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in:\n{output[-3000:]}")


# ----------------------------------------------------------------
# STEPS
# ----------------------------------------------------------------


def build_base(args):
    name = "cc_bench_base"
    if args.reuse and db_exists(name):
        log(f"==> {name}: reused")
        update_addons(args, name)
        return name
    log(f"==> {name}: installing {OUR_ADDONS} (no demo data)")
    drop(name)
    start = time.perf_counter()
    with lock(args.lock):
        sh(
            odoo_bin(
                args, args.conf, name, "-i", OUR_ADDONS, "--without-demo=all", "--stop-after-init", "--log-level=warn"
            )
        )
    log(f"    done in {time.perf_counter() - start:.0f} s")
    return name


def update_addons(args, name):
    """A reused database is brought to the code of the checkout (new fields, indexes, views)."""
    log(f"==> {name}: updating {OUR_ADDONS}")
    start = time.perf_counter()
    with lock(args.lock):
        sh(odoo_bin(args, args.conf, name, "-u", OUR_ADDONS, "--stop-after-init", "--log-level=warn"))
    log(f"    done in {time.perf_counter() - start:.0f} s")


def build_book(args, base):
    name = f"cc_bench_{args.invoices}"
    if args.reuse and db_exists(name):
        log(f"==> {name}: reused")
        update_addons(args, name)
        return name, None
    log(f"==> {name}: generating {args.invoices} invoices for {args.customers} customers (seed {args.seed})")
    with lock(args.lock):
        copy(base, name)
        out = sh(
            python_script(
                "build_book.py",
                "--conf",
                args.conf,
                "--db",
                name,
                "--invoices",
                str(args.invoices),
                "--customers",
                str(args.customers),
                "--seed",
                str(args.seed),
            ),
            capture_output=True,
        ).stdout
    stats = last_json(out)
    log(
        f"    generated in {stats.get('seconds')} s, checked in {stats.get('check_seconds')} s: "
        f"{stats.get('payment_states')}"
    )
    return name, stats


def build_oca(args, book):
    name = f"cc_bench_{args.invoices}_oca"
    if args.reuse and db_exists(name):
        log(f"==> {name}: reused")
        return name, None
    log(f"==> {name}: installing {', '.join(OCA_ADDONS)} from PyPI wheels")
    timings = {}
    with lock(args.lock):
        copy(book, name)
        start = time.perf_counter()
        sh(odoo_bin(args, args.oca_conf, name, "-i", ",".join(OCA_ADDONS), "--stop-after-init", "--log-level=warn"))
        timings["install_seconds"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        sh(python_script("oca_setup.py", "--conf", args.oca_conf, "--db", name))
        timings["setup_seconds"] = round(time.perf_counter() - start, 1)
    log(f"    installed in {timings['install_seconds']} s, configured in {timings['setup_seconds']} s")
    return name, timings


class LockHolder:
    """Hold the shared lock over a few consecutive jobs, never longer than ``max_hold`` seconds:
    taking it back for every job costs more waiting than the jobs themselves on a busy machine."""

    def __init__(self, path, max_hold):
        self.path, self.max_hold = path, max_hold
        self.handle, self.since = None, 0.0

    def acquire(self):
        if not self.path:
            return
        if self.handle and time.perf_counter() - self.since > self.max_hold:
            self.release()
        if not self.handle:
            self.handle = open(self.path, "a")  # noqa: SIM115 - released by release()
            start = time.perf_counter()
            fcntl.flock(self.handle, fcntl.LOCK_EX)
            if time.perf_counter() - start > 1:
                log(f"    (waited {time.perf_counter() - start:.0f} s for the lock)")
            self.since = time.perf_counter()

    def release(self):
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def run_jobs(args, templates):
    results = []
    selected = [
        spec
        for spec in JOBS.values()
        if (not args.jobs or any(spec.name.startswith(prefix) for prefix in args.jobs))
        and (spec.db != "oca" or args.oca)
    ]
    holder = LockHolder(args.lock, args.max_hold)
    try:
        for spec in selected:
            results.append(run_one(args, templates, spec, holder))
    finally:
        holder.release()
    return results


def run_one(args, templates, spec, holder):
    template = templates.get(spec.db)
    if not template:
        return {"job": spec.name, "side": spec.side, "title": spec.title, "status": "missing", "reason": "no database"}
    conf = args.oca_conf if spec.db == "oca" else args.conf
    run_db = f"cc_bench_{args.invoices}_run"
    holder.acquire()
    copy_seconds = copy(template, run_db)
    extra = json.dumps({"render_limit": args.render_limit, "payments": args.payments, "budget": args.budget})
    proc = subprocess.run(
        python_script(
            "run_job.py",
            "--conf",
            conf,
            "--db",
            run_db,
            "--job",
            spec.name,
            "--repeat",
            str(args.repeat),
            "--extra",
            extra,
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    drop(run_db)
    try:
        result = last_json(proc.stdout)
    except RuntimeError:
        result = {
            "job": spec.name,
            "side": spec.side,
            "title": spec.title,
            "status": "error",
            "reason": proc.stderr[-1500:],
        }
    result["copy_seconds"] = round(copy_seconds, 1)
    if result.get("status") == "ok":
        log(
            f"    {spec.name:38} min {result['min']:9.4f} s  median {result['median']:9.4f} s  "
            f"queries {result['queries']:>8}  rss +{result['rss_job_mb']} MB  {result['summary']}"
        )
    else:
        log(f"    {spec.name:38} {result.get('status')}: {str(result.get('reason'))[:300]}")
    return result


# ----------------------------------------------------------------
# REPORT
# ----------------------------------------------------------------


def fmt(seconds):
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def table(results):
    """Markdown: one row per task, the median time of each side, the ratios ours/OCA, ours/native
    and ours/SQL floor, our query count and memory."""
    rows = {}
    for res in results:
        if res.get("status") != "ok":
            continue
        rows.setdefault(res["title"], {})[res["side"]] = res
    lines = [
        "| job | ours | OCA | native | SQL floor | ours/OCA | ours/native | ours/floor | our queries "
        "| our peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for title, sides in rows.items():
        ours = sides.get("ours")

        def ratio(other, ours=ours):
            if not ours or not other or not other["median"]:
                return "–"
            return f"{ours['median'] / other['median']:.2f}"

        lines.append(
            "| "
            + " | ".join(
                [
                    title,
                    *(fmt(sides[s]["median"]) if s in sides else "–" for s in SIDES),
                    ratio(sides.get("oca")),
                    ratio(sides.get("native")),
                    ratio(sides.get("sql")),
                    f"{ours['queries']:g}" if ours else "–",
                    f"+{ours['rss_job_mb']} MB" if ours else "–",
                ]
            )
            + " |"
        )
    missing = [r for r in results if r.get("status") != "ok"]
    if missing:
        lines.append("")
        lines.append(
            "Not measured: "
            + "; ".join(f"{r['job']} ({r.get('status')}: {str(r.get('reason'))[:120]})" for r in missing)
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True, help="Odoo configuration with the project's addons")
    parser.add_argument("--oca-conf", help="the same with OCA's addons on the addons path")
    parser.add_argument("--odoo-src", default=os.path.expanduser("~/.cache/credit-control/odoo/src"))
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--oca", action="store_true", help="also measure OCA's addons")
    parser.add_argument("--jobs", type=lambda s: [x for x in s.split(",") if x], help="job name prefixes")
    parser.add_argument("--render-limit", type=int, default=100, help="communications rendered by the render jobs")
    parser.add_argument("--payments", type=int, default=10, help="payments registered by the commission jobs")
    parser.add_argument("--reuse", action="store_true", help="reuse the databases of a previous run")
    parser.add_argument("--keep", action="store_true", help="keep the databases at the end")
    parser.add_argument("--lock", default="/tmp/cc-odoo.lock")
    parser.add_argument("--max-hold", type=float, default=300, help="seconds the lock is kept over consecutive jobs")
    parser.add_argument("--budget", type=float, default=300, help="a job stops repeating after this many seconds")
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    args = parser.parse_args()
    if args.oca and not args.oca_conf:
        parser.error("--oca needs --oca-conf")

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    base = build_base(args)
    book, book_stats = build_book(args, base)
    templates = {"ours": book}
    oca_stats = None
    if args.oca:
        templates["oca"], oca_stats = build_oca(args, book)
    log("==> jobs")
    results = run_jobs(args, templates)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"bench-{args.invoices}.json")
    if args.jobs and os.path.exists(path):
        # a partial run completes the previous one: its jobs replace theirs
        with open(path) as handle:
            previous = json.load(handle)
        done = {r["job"] for r in results}
        results = [r for r in previous.get("results", []) if r["job"] not in done] + results
        book_stats = book_stats or previous.get("book")
        oca_stats = oca_stats or previous.get("oca")
    report = table(results)
    log("")
    log(report)
    with open(path, "w") as handle:
        json.dump(
            {
                "started": started,
                "invoices": args.invoices,
                "customers": args.customers,
                "seed": args.seed,
                "repeat": args.repeat,
                "book": book_stats,
                "oca": oca_stats,
                "results": results,
                "table": report,
            },
            handle,
            indent=1,
            default=str,
        )
    log(f"\nJSON results: {path}")
    if not args.keep:
        for name in (f"cc_bench_{args.invoices}_oca", f"cc_bench_{args.invoices}"):
            drop(name)


if __name__ == "__main__":
    main()
