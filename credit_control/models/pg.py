"""PostgreSQL settings for the analytic queries of the addon (no Odoo model here)."""

from contextlib import contextmanager

from odoo.tools import SQL

# below this number of customers the credit figures query stays far under PostgreSQL's
# jit_above_cost: the settings are left alone and the query count of a single check does not change
JIT_FREE_PARTNERS = 500


@contextmanager
def without_jit(cr):
    """Run the queries of the block with PostgreSQL's JIT compilation off, for this transaction
    only, then put the previous setting back.

    The aggregations over every customer join CTEs whose row estimates are far above the real
    rows: their estimated cost crosses ``jit_above_cost`` and PostgreSQL spends seconds compiling
    a query that executes in a fraction of a second (measured at 100,000 invoices: 0.5 s of
    execution, 3.5 s of JIT). Two queries of overhead, whatever the data."""
    cr.execute(SQL("SELECT current_setting('jit'), set_config('jit', 'off', true)"))
    previous = cr.fetchone()[0]
    try:
        yield
    finally:
        if previous != "off":
            cr.execute(SQL("SELECT set_config('jit', %s, true)", previous))
