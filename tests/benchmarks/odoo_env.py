"""Open an Odoo 18 registry from a script: ``with odoo_env(conf, db) as env: ...``.

The benchmark scripts run outside odoo-bin, one process per measured job, so that each job's peak
memory is its own."""

import contextlib
import logging
import os
import sys


def ensure_odoo_on_path():
    src = os.environ.get("ODOO_SRC") or os.path.expanduser("~/.cache/credit-control/odoo/src")
    if src not in sys.path:
        sys.path.insert(0, src)


_CONFIGURED = []


def load_registry(conf, db, addons_path=None):
    ensure_odoo_on_path()
    import odoo  # pylint: disable=import-outside-toplevel
    from odoo.tools import config  # pylint: disable=import-outside-toplevel

    if not _CONFIGURED:
        args = ["-c", conf, "-d", db, "--log-level=warn", "--no-http"]
        if addons_path:
            args.append(f"--addons-path={addons_path}")
        config.parse_config(args)
        logging.getLogger("odoo").setLevel(logging.WARNING)
        odoo.service.server.load_server_wide_modules()
        _CONFIGURED.append((conf, addons_path))
    return odoo.modules.registry.Registry(db)


@contextlib.contextmanager
def odoo_env(conf, db, addons_path=None, commit=False, context=None):
    """An environment as superuser on ``db``; commits at the end if ``commit`` else rolls back."""
    registry = load_registry(conf, db, addons_path)
    from odoo import SUPERUSER_ID  # pylint: disable=import-outside-toplevel
    from odoo import api  # pylint: disable=import-outside-toplevel

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(context or {}))
        try:
            yield env
        except BaseException:
            cr.rollback()
            raise
        if commit:
            env.flush_all()
            cr.commit()
        else:
            cr.rollback()
