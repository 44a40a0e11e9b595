#!/usr/bin/env bash
# Benchmark the credit control addons against OCA's addons, native Odoo and the plain SQL floor,
# on a generated book (see docs/benchmarks.md).
#
#   setup/bench.sh [--invoices N] [--customers M] [--repeat R] [--oca] [--jobs PREFIXES] [--keep] [--reuse]
#
# --invoices/--customers  size of the generated book (default 20000 / 2000)
# --repeat                repetitions of each job; the table gives the median, the JSON every time
# --oca                   also install OCA's 18.0 addons from PyPI (account_credit_control,
#                         account_financial_risk, sale_financial_risk, commission_oca,
#                         account_commission_oca) into a copy of the book and time the same jobs
# --jobs                  only the jobs whose names start with these comma-separated prefixes
# --keep / --reuse        keep the cc_bench_* databases / reuse those of a previous run
# Results: a table on the terminal and tests/benchmarks/results/bench-N.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

INVOICES=20000
CUSTOMERS=2000
OCA=0
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --invoices) INVOICES="$2"; shift ;;
        --customers) CUSTOMERS="$2"; shift ;;
        --repeat|--jobs|--seed|--render-limit|--payments) ARGS+=("$1" "$2"); shift ;;
        --oca) OCA=1 ;;
        --keep|--reuse) ARGS+=("$1") ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see setup/bench.sh --help)" ;;
    esac
    shift
done

bootstrap
write_conf "${BENCH_HTTP_PORT:-$(( 20000 + RANDOM % 20000 ))}"

OCA_DIR="$CACHE_DIR/oca"
OCA_CONF="$OCA_DIR/odoo-oca.conf"
fetch_oca() {
    # OCA's wheels from PyPI, unzipped into a cache folder: never into the repository
    step "OCA 18.0 addons from PyPI"
    mkdir -p "$OCA_DIR/wheels" "$OCA_DIR/addons"
    local pkgs=(account-credit-control account-financial-risk sale-financial-risk commission-oca
        account-commission-oca account-invoice-overdue-reminder queue-job)
    local missing=()
    for p in "${pkgs[@]}"; do
        ls "$OCA_DIR/wheels/odoo_addon_${p//-/_}-18.0."*.whl >/dev/null 2>&1 || missing+=("odoo-addon-$p==18.0.*")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        "$VENV_DIR/bin/pip" download --no-deps -q -d "$OCA_DIR/wheels" "${missing[@]}" \
            || die "pip download of OCA's wheels failed: check the access to PyPI"
    fi
    local tmp; tmp=$(mktemp -d)
    for w in "$OCA_DIR"/wheels/*.whl; do
        "$VENV_DIR/bin/python" -m zipfile -e "$w" "$tmp" >/dev/null
    done
    cp -r "$tmp"/odoo/addons/* "$OCA_DIR/addons/"
    rm -rf "$tmp"
    sed "s#^addons_path = \(.*\)#addons_path = \1,$OCA_DIR/addons#" "$CONF_FILE" > "$OCA_CONF"
    info "$(ls "$OCA_DIR/addons" | tr '\n' ' ')"
    done_step
}

if [ "$OCA" = 1 ]; then
    fetch_oca
    ARGS+=(--oca --oca-conf "$OCA_CONF")
fi

step "Benchmark: $INVOICES invoices, $CUSTOMERS customers"
cd "$PROJECT_DIR"
ODOO_SRC="$ODOO_DIR/src" "$VENV_DIR/bin/python" tests/benchmarks/bench.py --conf "$CONF_FILE" --odoo-src "$ODOO_DIR/src" \
    --invoices "$INVOICES" --customers "$CUSTOMERS" "${ARGS[@]}"
done_step
