#!/usr/bin/env bash
# Run the whole test suite: a fresh database with the three addons installed, then every test
# (each addon's tests/ and the top-level tests/) with pytest and pytest-odoo on real PostgreSQL.
#
#   setup/test.sh [--keep-db] [--db NAME] [pytest arguments...]
#
# Exits with pytest's status; "no test collected" (pytest's 5) counts as a failure.
# In CI (CI=true), or with SCREENSHOTS=1, when Chromium is present and the tests passed, the demo
# database is also built and the key screens are taken into test-artifacts/docs-screenshots/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="credit_control_test_$$"
KEEP=0
PYTEST_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep-db) KEEP=1 ;;
        --db) DB="$2"; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) PYTEST_ARGS+=("$1") ;;
    esac
    shift
done

bootstrap
write_conf "${TEST_HTTP_PORT:-$(( 20000 + RANDOM % 20000 ))}"

cleanup() {
    if [ "$KEEP" = 1 ]; then
        echo "Database kept: $DB"
    else
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
        rm -rf "$CACHE_DIR/filestore/filestore/$DB"
    fi
}
trap cleanup EXIT

TEST_ADDONS="$ADDONS"
TEST_PATHS=(credit_control credit_control_scoring credit_control_sales_commission tests)
if [ -f "$QUEUE_JOB_DIR/addons/queue_job/__manifest__.py" ]; then
    TEST_ADDONS="$TEST_ADDONS,credit_control_queue_job"
    TEST_PATHS+=(credit_control_queue_job)
else
    echo "queue_job is not in the cache: credit_control_queue_job and its tests are left out" >&2
fi
step "Test database $DB with $TEST_ADDONS"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
odoo_bin -d "$DB" -i "$TEST_ADDONS" --without-demo=all --stop-after-init --log-level=warn \
    || die "installing the addons in $DB failed (see the log above)"
done_step

step "pytest"
cd "$PROJECT_DIR"
set +e
PYTHONPATH="$ODOO_DIR/src${PYTHONPATH:+:$PYTHONPATH}" "$VENV_DIR/bin/python" -m pytest \
    --odoo-config="$CONF_FILE" --odoo-database="$DB" --odoo-http \
    --odoo-extra="screenshots=$PROJECT_DIR/test-artifacts/screenshots" \
    "${TEST_PATHS[@]}" "${PYTEST_ARGS[@]}"
status=$?
set -e
done_step
if [ "$status" = 5 ]; then
    echo "pytest collected no test: that is a failure here." >&2
    exit 1
fi
if [ "$status" = 0 ] && { [ "${CI:-}" = true ] || [ "${SCREENSHOTS:-}" = 1 ]; } && command -v chromium >/dev/null; then
    # the demo command's database, built from scratch, and the screens of the README taken from it
    SHOT_DB="credit_control_shots_$$"
    bash "$PROJECT_DIR/setup/screenshots.sh" --db "$SHOT_DB" --out "$PROJECT_DIR/test-artifacts/docs-screenshots" \
        || status=1
    dropdb --if-exists "$SHOT_DB" >/dev/null 2>&1 || true
    rm -rf "$CACHE_DIR/filestore/filestore/$SHOT_DB"
    [ "$status" = 0 ] && echo "Screenshots: $PROJECT_DIR/test-artifacts/docs-screenshots/"
fi
exit "$status"
