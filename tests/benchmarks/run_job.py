"""Time one job in this process: repetitions, each in a transaction rolled back afterwards.

Prints one JSON line: times (min, median, all), queries, peak memory of the process
(``ru_maxrss``) before and after the job, and the job's own summary.

    python tests/benchmarks/run_job.py --conf odoo.conf --db cc_bench_x --job ours.exposure_all --repeat 5
"""

import argparse
import json
import os
import resource
import statistics
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_env import load_registry  # noqa: E402


def maxrss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def run(conf, db, name, repeat, addons_path=None, extra=None):
    registry = load_registry(conf, db, addons_path)
    import jobs  # pylint: disable=import-outside-toplevel

    from odoo import SUPERUSER_ID  # pylint: disable=import-outside-toplevel
    from odoo import api  # pylint: disable=import-outside-toplevel

    spec = jobs.JOBS[name]
    result = {"job": name, "side": spec.side, "title": spec.title, "db": db, "repeat": repeat}
    with registry.cursor() as cr:
        # the context the web client sends with every call (its language and time zone: without a
        # time zone in the context, "today" is read from the user's record)
        context = {"tracking_disable": True, "mail_notrack": True, "lang": "en_US", "tz": "Europe/Paris"}
        env = api.Environment(cr, SUPERUSER_ID, context)
        # the administrator, without access checks: the jobs run as the scheduled actions do (sudo)
        env = env(user=env.ref("base.user_admin").id, su=True)
        ok, why = jobs.available(env, spec)
        if not ok:
            result.update(status="missing", reason=why)
            return result
        cr.rollback()
        rss_before = maxrss_mb()
        times, queries, summaries = [], [], []
        try:
            budget, spent = float((extra or {}).get("budget", 300)), 0.0
            for _rep in range(repeat):
                if spent > budget:
                    break  # a slow job: fewer repetitions, the lock is not held for long
                ctx = jobs.Ctx(env, extra=dict(extra or {}))
                summary = spec.func(env, ctx)
                per = ctx.extra.get("per") or 1
                spent += ctx.seconds
                times.append(ctx.seconds / per)
                queries.append(ctx.queries / per)
                summaries.append(summary)
                cr.rollback()
                env.clear()
        except Exception as error:  # noqa: BLE001 - a job that fails is reported, the run goes on
            cr.rollback()
            result.update(
                status="error", reason=f"{type(error).__name__}: {error}", trace=traceback.format_exc()[-2000:]
            )
            return result
    result.update(
        status="ok",
        repeat=len(times),
        min=round(min(times), 4),
        median=round(statistics.median(times), 4),
        times=[round(t, 4) for t in times],
        queries=round(statistics.median(queries), 1),
        rss_before_mb=rss_before,
        rss_peak_mb=maxrss_mb(),
        rss_job_mb=round(maxrss_mb() - rss_before, 1),
        summary=summaries[-1],
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--job", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--addons-path")
    parser.add_argument("--extra", default="{}", help="JSON options of the job (render_limit, payments)")
    args = parser.parse_args()
    result = run(args.conf, args.db, args.job, args.repeat, args.addons_path, json.loads(args.extra))
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
