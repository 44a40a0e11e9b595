"""The sending of one dunning run shared by 1, then 2, worker processes (issue 9, scale-out).

On a copy of a generated book (``setup/bench.sh ... --keep`` leaves ``cc_bench_<N>``): the run of
the day is generated once and committed, ``--communications`` of its communications (those with
an email, so each renders its PDF letter and queues its email) are released for sending, then for
each worker count a fresh copy of that state is sent by that many processes at once, each running
what the scheduled action runs (``_send_pending(commit=True)``, chunks FOR UPDATE SKIP LOCKED,
committed one by one) and the run is closed by the last one. Reported: the wall time from the
moment every worker is ready (its registry loaded) to the last worker's end, and the checks that
every released communication was sent exactly once.

    python tests/benchmarks/bench_workers.py --conf ~/.cache/credit-control/odoo.conf \\
        --db cc_bench_100000 --communications 60 --workers 1,2

Hold the shared lock /tmp/cc-odoo.lock while it runs (``flock /tmp/cc-odoo.lock python ...``).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_env import odoo_env  # noqa: E402

TEMPLATE = "cc_bench_workers_tpl"


def sh(args):
    subprocess.run(args, check=True, capture_output=True)


def release(db):
    """Close this process's connections to ``db`` (a template must have none)."""
    from odoo.modules.registry import Registry  # pylint: disable=import-outside-toplevel
    from odoo.sql_db import close_db  # pylint: disable=import-outside-toplevel

    Registry.delete(db)
    close_db(db)


def discard(db):
    """Close this process's connections to a copy and drop it."""
    release(db)
    sh(["dropdb", "--if-exists", db])


def copy_db(template, name):
    started = time.perf_counter()
    sh(["dropdb", "--if-exists", name])
    sh(["createdb", "-T", template, name])
    print(f"copied {template} to {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def prepare(conf, db, count, addons_path=None):
    """Generate the run of the day and release ``count`` communications with an email."""
    with odoo_env(conf, db, addons_path=addons_path, commit=True, context={"tracking_disable": True}) as env:
        env["ir.config_parameter"].set_param("credit_control.dunning_chunk_size", 5)
        run = env["credit.control.dunning.run"].create({"company_id": env.company.id})
        run._lock()
        run.write({"state": "running"})
        started = time.perf_counter()
        run._generate()
        generation = time.perf_counter() - started
        comms = run.communication_ids.filtered(lambda c: c.channel_email and c.state == "draft")
        chosen = comms.sorted("id")[:count]
        chosen.write({"state": "to_send"})
        return {"run_id": run.id, "generated": len(run.communication_ids), "released": len(chosen)}, generation


def worker(conf, db, run_id, ready_dir, index, workers):
    """One worker: load the registry, wait for the others, send chunks until none is left."""
    with odoo_env(conf, db, commit=True) as env:
        env["res.partner"].search([], limit=1)  # warm the registry
        open(os.path.join(ready_dir, f"ready-{index}"), "w").close()
        while len([n for n in os.listdir(ready_dir) if n.startswith("ready-")]) < workers:
            time.sleep(0.01)
        started = time.time()
        run = env["credit.control.dunning.run"].browse(run_id)
        run._send_pending(commit=True)
        env.cr.commit()
        run._finish()
        env.flush_all()
        env.cr.commit()
        print(json.dumps({"start": started, "end": time.time()}))


def measure(conf, db, run_id, workers):
    ready_dir = tempfile.mkdtemp(prefix="cc-workers-")
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--conf", conf, "--db", db, "--worker", str(index)]
            + ["--run", str(run_id), "--ready", ready_dir, "--workers", str(workers)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for index in range(workers)
    ]
    spans = []
    for proc in procs:
        out, _err = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"a worker failed ({proc.returncode})")
        spans.append(json.loads(out.strip().splitlines()[-1]))
    wall = max(s["end"] for s in spans) - min(s["start"] for s in spans)
    return {"workers": workers, "seconds": round(wall, 2), **checks(conf, db, run_id)}


def checks(conf, db, run_id, addons_path=None):
    """What the sending left: sent, in error, still to send, emailed twice, the run's state."""
    with odoo_env(conf, db, addons_path=addons_path) as env:
        run = env["credit.control.dunning.run"].browse(run_id)
        comms = run.communication_ids
        sent = comms.filtered(lambda c: c.state == "sent")
        env.cr.execute(
            "SELECT m.res_id, COUNT(*) FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id "
            "WHERE m.model = %s AND m.res_id = ANY(%s) GROUP BY m.res_id",
            ["credit.control.dunning.communication", sent.ids],
        )
        mails = dict(env.cr.fetchall())
        return {
            "sent": len(sent),
            "errors": len(comms.filtered(lambda c: c.state == "error")),
            "left_to_send": len(comms.filtered(lambda c: c.state == "to_send")),
            "sent_twice": sum(1 for n in mails.values() if n > 1),
            "run_state": run.state,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--communications", type=int, default=60)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--worker", type=int)
    parser.add_argument("--run", type=int)
    parser.add_argument("--ready")
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.conf, args.db, args.run, args.ready, args.worker, int(args.workers))
        return
    copy_db(args.db, TEMPLATE)
    setup, generation = prepare(args.conf, TEMPLATE, args.communications)
    release(TEMPLATE)
    results = {"book": args.db, "generation_seconds": round(generation, 2), **setup, "runs": []}
    for workers in [int(w) for w in args.workers.split(",")]:
        name = f"cc_bench_workers_{workers}"
        copy_db(TEMPLATE, name)
        results["runs"].append(measure(args.conf, name, setup["run_id"], workers))
        discard(name)
    discard(TEMPLATE)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
