from odoo.tools import SQL


def pre_init_hook(env):
    """Create the new stored computed columns of account_move empty, so that installing on a big
    database does not recompute them for every journal entry (their value is the default)."""
    env.cr.execute(
        SQL(
            """
            ALTER TABLE account_move ADD COLUMN IF NOT EXISTS cc_commission_excluded boolean DEFAULT FALSE;
            ALTER TABLE account_move ALTER COLUMN cc_commission_excluded DROP DEFAULT;
            ALTER TABLE account_move ADD COLUMN IF NOT EXISTS cc_commission_agent_id int4;
            """
        )
    )
