"""SQL helpers of the addon: PostgreSQL settings for the analytic queries, sequence numbers drawn
in one query, residuals of the invoices linked to records (no Odoo model here)."""

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


def next_sequence_numbers(env, code, count):
    """``count`` numbers of the sequence ``code`` (for the current company), drawn in one query
    when it is a standard sequence without date ranges: ``ir.sequence.next_by_code`` costs two
    queries a number, which a run creating thousands of records feels. Other sequences (no gap,
    date ranges) draw their numbers one by one, as Odoo does."""
    if count <= 0:
        return []
    Sequence = env["ir.sequence"]
    Sequence.browse().check_access("read")
    sequence = Sequence.search(
        [("code", "=", code), ("company_id", "in", [env.company.id, False])], order="company_id", limit=1
    )
    if not sequence:
        return ["/"] * count
    if sequence.implementation != "standard" or sequence.use_date_range:
        return [sequence._next() for _index in range(count)]
    env.cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"ir_sequence_{sequence.id:03d}",
            count,
        )
    )
    return [sequence.get_next_char(number) for number in sorted(row[0] for row in env.cr.fetchall())]


def residuals_by_record(records, fname="move_ids"):
    """{record id: amount still due, company currency} on the invoices of ``records``' many2many
    ``fname``: the posted receivable items of those invoices, summed in one query."""
    if not records.ids:
        return {}
    field = records._fields[fname]
    records.env["account.move.line"].flush_model(["amount_residual", "move_id", "account_id", "parent_state"])
    records.flush_model([fname])
    records.env.cr.execute(
        SQL(
            """SELECT r.%(owner)s, COALESCE(SUM(l.amount_residual), 0)
                 FROM %(relation)s r
                 JOIN account_move_line l ON l.move_id = r.%(move)s
                 JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
                WHERE r.%(owner)s = ANY(%(ids)s) AND l.parent_state = 'posted'
                GROUP BY r.%(owner)s""",
            owner=SQL.identifier(field.column1),
            relation=SQL.identifier(field.relation),
            move=SQL.identifier(field.column2),
            ids=records.ids,
        )
    )
    return {record_id: float(amount) for record_id, amount in records.env.cr.fetchall()}
