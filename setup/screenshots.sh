#!/usr/bin/env bash
# Screenshots of the key screens, from the demo database, into docs/screenshots/ (shown in the README).
#
#   setup/screenshots.sh [--db NAME] [--out DIR]
#
# Builds or updates the demo database (setup/demo.sh --no-serve), serves it on a free local port,
# drives headless Chromium through the screens, then stops the server.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB=credit_control_demo
OUT="$PROJECT_DIR/docs/screenshots"
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB="$2"; shift ;;
        --out) OUT="$2"; shift ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
bash "$PROJECT_DIR/setup/demo.sh" --db "$DB" --no-serve
PORT=$("$PYTHON_BIN" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
write_conf "$PORT"
step "Screenshots from $DB on port $PORT"
# the server itself in the background (not through the odoo_bin function: $! must be its pid)
"$VENV_DIR/bin/python" "$ODOO_DIR/src/odoo-bin" -c "$CONF_FILE" -d "$DB" --db-filter="^$DB\$" --max-cron-threads=0 \
    >"$CACHE_DIR/screenshots-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/web/login" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || die "the server stopped: see $CACHE_DIR/screenshots-server.log"
    sleep 0.5
done
"$VENV_DIR/bin/python" "$PROJECT_DIR/setup/screenshots.py" --url "http://127.0.0.1:$PORT" --db "$DB" \
    --out "$OUT"
done_step
