"""Benchmark of the credit control addons against OCA's addons, native Odoo and the SQL floor.

generator.py builds a realistic receivable book with set-based SQL, jobs.py holds the measured
jobs, run_job.py times one job in its own process, bench.py drives a whole run (see
docs/benchmarks.md and setup/bench.sh)."""
