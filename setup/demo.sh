#!/usr/bin/env bash
# Build (or reuse) the demo database with the three addons and their demo data, then serve Odoo.
#
#   setup/demo.sh [--db NAME] [--port PORT] [--rebuild] [--no-serve]
#
#   --db NAME    database name (default: credit_control_demo)
#   --port PORT  HTTP port (default: 8069)
#   --rebuild    drop the database and build it again
#   --no-serve   build or update the database, then stop
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=credit_control_demo
PORT=8069
REBUILD=0
SERVE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB="$2"; shift ;;
        --port) PORT="$2"; shift ;;
        --rebuild) REBUILD=1 ;;
        --no-serve) SERVE=0 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see setup/demo.sh --help)" ;;
    esac
    shift
done
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port takes a number, not '$PORT'"

if [ "$SERVE" = 1 ] && "$PYTHON_BIN" - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
then
    die "port $PORT is in use: stop what listens there, or choose another with --port"
fi

bootstrap
write_conf "$PORT"

exists=$(psql -X -tAc "select 1 from pg_database where datname = '$DB'" postgres)
if [ "$REBUILD" = 1 ] || [ -z "$exists" ] || \
   [ -z "$(psql -X -tAc "select 1 from ir_module_module where name = 'credit_control' and state = 'installed'" "$DB" 2>/dev/null)" ]; then
    step "Demo database $DB (French company, demo data)"
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$CACHE_DIR/filestore/filestore/$DB"
    PYTHONPATH="$ODOO_DIR/src" "$VENV_DIR/bin/python" "$PROJECT_DIR/setup/create_db.py" "$CONF_FILE" "$DB" --demo --country FR --lang fr_FR \
        || die "creating the database $DB failed (see the log above)"
    # accounting first, so that the company's chart of accounts (French) exists when the demo data loads
    odoo_bin -d "$DB" -i account --stop-after-init || die "installing accounting in $DB failed (see the log above)"
    odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init || die "installing the addons in $DB failed (see the log above)"
    [ -n "$(psql -X -tAc "select 1 from ir_model_data where module = 'credit_control' and name = 'demo_quotation_centrale'" "$DB")" ] \
        || die "the demo data of credit_control did not load (see the log above); rebuild with --rebuild once fixed"
    done_step
else
    step "Demo database $DB exists: updating the addons (use --rebuild to start over)"
    odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init || die "updating the addons in $DB failed (see the log above)"
    done_step
fi

if [ "$SERVE" = 0 ]; then
    echo "Demo database $DB is ready. Serve it with: setup/demo.sh --db $DB --port $PORT"
    exit 0
fi
echo
echo "Odoo is starting on http://localhost:$PORT  (database $DB)"
echo "Log in as admin / admin (credit manager), claire / claire (credit manager), sophie / sophie and marc / marc (salespeople)."
echo "Then: Accounting > Credit Control. Stop with Ctrl-C."
echo
exec "$VENV_DIR/bin/python" "$ODOO_DIR/src/odoo-bin" -c "$CONF_FILE" -d "$DB" --db-filter="^$DB\$" --log-level=info
