#!/usr/bin/env bash
# Refresh the translation templates of addons and merge them into their French translation.
#
#   setup/i18n.sh [--db NAME] [addon ...]     (default: the three addons)
#
# Installs or updates the addons in a scratch database (default credit_control_i18n), exports
# i18n/<addon>.pot with Odoo, and merges it into i18n/fr.po keeping the existing translations.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB=credit_control_i18n
addons=()
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB="$2"; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) addons+=("$1") ;;
    esac
    shift
done
[ ${#addons[@]} -gt 0 ] || addons=(credit_control credit_control_scoring credit_control_sales_commission)
bootstrap
write_conf 8069
step "Scratch database $DB"
list="$(IFS=,; echo "${addons[*]}")"
if [ -z "$(psql -X -tAc "select 1 from pg_database where datname = '$DB'" postgres)" ]; then
    odoo_bin -d "$DB" -i "$list" --without-demo=all --stop-after-init || die "install failed"
else
    # an existing database: install what it lacks, update the rest (an export of an addon that is
    # not installed would be empty and empty the translation with it)
    odoo_bin -d "$DB" -i "$list" -u "$list" --stop-after-init || die "update failed"
fi
done_step
for addon in "${addons[@]}"; do
    step "$addon"
    mkdir -p "$PROJECT_DIR/$addon/i18n"
    odoo_bin -d "$DB" --i18n-export="$PROJECT_DIR/$addon/i18n/$addon.pot" --modules="$addon" --stop-after-init \
        || die "export of $addon failed"
    "$VENV_DIR/bin/python" "$PROJECT_DIR/setup/i18n.py" "$PROJECT_DIR/$addon/i18n/$addon.pot" "$PROJECT_DIR/$addon/i18n/fr.po"
    done_step
done
