#!/usr/bin/env bash
# Quality gates: ruff (lint + format check) and pylint-odoo's mandatory checks on the three addons.
#   setup/lint.sh          both
#   setup/lint.sh ruff     ruff only
#   setup/lint.sh pylint   pylint-odoo only
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$CACHE_DIR"
LINT_VENV="$CACHE_DIR/lint-venv"
if [ ! -x "$LINT_VENV/bin/pylint" ] || ! cmp -s "$PROJECT_DIR/setup/lint-requirements.txt" "$LINT_VENV/.requirements"; then
    step "Lint virtualenv"
    "$PYTHON_BIN" -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install -q -r "$PROJECT_DIR/setup/lint-requirements.txt" 2>&1 | grep -v "^WARNING: Location" || true
    "$LINT_VENV/bin/pylint" --version >/dev/null || die "installing the lint tools failed"
    cp "$PROJECT_DIR/setup/lint-requirements.txt" "$LINT_VENV/.requirements"
    done_step
fi
cd "$PROJECT_DIR"
what="${1:-all}"
status=0
if [ "$what" = all ] || [ "$what" = ruff ]; then
    step "ruff check + ruff format --check"
    "$LINT_VENV/bin/ruff" check . || status=1
    "$LINT_VENV/bin/ruff" format --check . || status=1
fi
if [ "$what" = all ] || [ "$what" = pylint ]; then
    step "pylint-odoo mandatory checks"
    "$LINT_VENV/bin/pylint" --rcfile=.pylintrc-mandatory credit_control credit_control_scoring credit_control_sales_commission \
        credit_control_queue_job || status=1
fi
exit $status
