"""The sending of one dunning run as queue_job jobs, run by queue_job's own runner with a channel
capacity of 1, then 2 (issue 9, scale-out).

On a copy of a generated book (``setup/bench.sh ... --keep`` leaves ``cc_bench_<N>``), OCA's
queue_job and credit_control_queue_job are installed, the run of the day is generated, ``--communications``
of its communications with an email are released, and the scheduled action's path
(``_send_pending(commit=True)``) turns them into jobs of root.credit_control_dunning, by chunks of
``--chunk`` (committed). Then, for each capacity, a fresh copy of that state is served by a real
Odoo server in prefork mode (``--workers`` = the capacity, ``--load=base,web,queue_job``) whose
queue_job runner dispatches the jobs to its HTTP workers; the script waits until no job is left
and stops the server. Reported: the wall time from the first job started to the last job done (as
queue_job records them), the jobs done and failed, and the checks that every released
communication was sent exactly once and the run closed.

    flock /tmp/cc-odoo.lock python tests/benchmarks/bench_queue_job.py --conf ~/.cache/credit-control/odoo.conf \\
        --db cc_bench_100000 --queue-job-addons ~/.cache/credit-control/queue_job/addons --capacities 1,2
"""

import argparse
import configparser
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_workers import checks  # noqa: E402
from bench_workers import copy_db  # noqa: E402
from bench_workers import discard  # noqa: E402
from bench_workers import prepare  # noqa: E402
from bench_workers import release  # noqa: E402
from bench_workers import sh  # noqa: E402
from odoo_env import ensure_odoo_on_path  # noqa: E402
from odoo_env import odoo_env  # noqa: E402

TEMPLATE = "cc_bench_queue_job_tpl"
CHANNEL = "root.credit_control_dunning"


def addons_path_with(conf, extra):
    parser = configparser.ConfigParser()
    parser.read(conf)
    path = parser.get("options", "addons_path", fallback="")
    return ",".join(p for p in [*path.split(","), os.path.abspath(os.path.expanduser(extra))] if p)


def odoo_bin():
    ensure_odoo_on_path()
    src = os.environ.get("ODOO_SRC") or os.path.expanduser("~/.cache/credit-control/odoo/src")
    return [sys.executable, os.path.join(src, "odoo-bin")]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def install(conf, db, addons_path):
    started = time.perf_counter()
    sh(
        odoo_bin()
        + ["-c", conf, "--addons-path", addons_path, "-d", db, "-i", "credit_control_queue_job"]
        + ["--stop-after-init", "--log-level=warn", "--no-http"]
    )
    return time.perf_counter() - started


def enqueue(conf, db, count, chunk, addons_path):
    """The run of the day, ``count`` communications released, their chunks enqueued as jobs."""
    setup, generation = prepare(conf, db, count, addons_path=addons_path)
    with odoo_env(conf, db, addons_path=addons_path, commit=True) as env:
        env["ir.config_parameter"].set_param("credit_control.dunning_chunk_size", chunk)
        env["ir.config_parameter"].set_param("credit_control.dunning_use_jobs", "1")
        run = env["credit.control.dunning.run"].browse(setup["run_id"])
        run._send_pending(commit=True)
        env.cr.execute("SELECT COUNT(*) FROM queue_job WHERE channel = %s AND state = 'pending'", [CHANNEL])
        setup["jobs"] = env.cr.fetchone()[0]
    return setup, generation


def psql(db, query):
    return subprocess.run(["psql", "-d", db, "-At", "-c", query], check=True, capture_output=True, text=True).stdout


def job_states(db):
    out = psql(db, f"SELECT state, COUNT(*) FROM queue_job WHERE channel = '{CHANNEL}' GROUP BY 1")
    return {line.split("|")[0]: int(line.split("|")[1]) for line in out.split()}


def serve_until_done(conf, db, addons_path, capacity, timeout, logfile):
    """Serve ``db`` with ``capacity`` HTTP workers and queue_job's runner until no job is left."""
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=f"root:{capacity}")
    port = free_port()
    args = odoo_bin() + ["-c", conf, "--addons-path", addons_path, "-d", db, f"--db-filter=^{db}$"]
    args += ["--workers", str(capacity), "--max-cron-threads=0", "--load=base,web,queue_job"]
    args += ["--http-interface=127.0.0.1", "--http-port", str(port), "--gevent-port", str(free_port())]
    args += ["--limit-time-real=1200", "--limit-time-cpu=1200", "--log-level=warn", "--logfile", logfile]
    server = subprocess.Popen(args, env=env, start_new_session=True)
    started = time.perf_counter()
    try:
        while True:
            states = job_states(db)
            if not any(n for state, n in states.items() if state not in ("done", "failed")):
                return states
            if server.poll() is not None:
                raise SystemExit(f"the server stopped ({server.returncode}), see {logfile}")
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"jobs still waiting after {timeout} s: {states}, see {logfile}")
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def job_span(db):
    out = psql(
        db,
        "SELECT EXTRACT(EPOCH FROM MAX(date_done) - MIN(date_started)), "
        "EXTRACT(EPOCH FROM AVG(date_done - date_started)), COUNT(DISTINCT worker_pid) "
        f"FROM queue_job WHERE channel = '{CHANNEL}' AND state = 'done'",
    ).strip()
    wall, per_job, pids = out.split("|")
    return float(wall or 0), float(per_job or 0), int(pids or 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True, help="a generated book (setup/bench.sh --keep)")
    parser.add_argument("--queue-job-addons", required=True, help="the folder holding OCA's queue_job")
    parser.add_argument("--communications", type=int, default=40)
    parser.add_argument("--chunk", type=int, default=5, help="communications per job")
    parser.add_argument("--capacities", default="1,2")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--logdir", default="test-artifacts")
    args = parser.parse_args()
    addons_path = addons_path_with(args.conf, args.queue_job_addons)
    os.makedirs(args.logdir, exist_ok=True)
    copy_db(args.db, TEMPLATE)
    installed = install(args.conf, TEMPLATE, addons_path)
    setup, generation = enqueue(args.conf, TEMPLATE, args.communications, args.chunk, addons_path)
    release(TEMPLATE)
    results = {
        "book": args.db,
        "install_seconds": round(installed, 1),
        "generation_seconds": round(generation, 2),
        "chunk": args.chunk,
        **setup,
        "runs": [],
    }
    for capacity in [int(c) for c in args.capacities.split(",")]:
        name = f"cc_bench_queue_job_{capacity}"
        copy_db(TEMPLATE, name)
        logfile = os.path.abspath(os.path.join(args.logdir, f"bench-queue-job-{capacity}.log"))
        states = serve_until_done(args.conf, name, addons_path, capacity, args.timeout, logfile)
        wall, per_job, pids = job_span(name)
        results["runs"].append(
            {
                "capacity": capacity,
                "seconds": round(wall, 2),
                "seconds_per_job": round(per_job, 2),
                "worker_processes": pids,
                "jobs": states,
                **checks(args.conf, name, setup["run_id"], addons_path=addons_path),
            }
        )
        discard(name)
    discard(TEMPLATE)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
