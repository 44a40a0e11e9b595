#!/usr/bin/env bash
# Shared helpers of the setup scripts: logging, the cache, PostgreSQL, Odoo's source and the virtualenv.
# Sourced by bootstrap.sh, demo.sh and test.sh; every function is idempotent.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${CREDIT_CONTROL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/credit-control}"
ODOO_DIR="$CACHE_DIR/odoo"
VENV_DIR="$CACHE_DIR/venv"
PYTHON_BIN="${PYTHON:-python3}"
ODOO_SRC_DEFAULT="https://github.com/odoo/odoo.git"
ODOO_REF_DEFAULT="18.0"
# one configuration per clone (its addons_path points into the clone)
CONF_FILE="$CACHE_DIR/conf/odoo-$(printf '%s' "$PROJECT_DIR" | sha256sum | cut -c1-12).conf"

_t0=0
step() { _t0=$(date +%s); printf '\033[1m==> %s\033[0m\n' "$*"; }
done_step() { printf '    done in %ss\n' "$(( $(date +%s) - _t0 ))"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
info() { printf '    %s\n' "$*"; }

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
    # apt_install PKG... : install Debian packages when missing (root only)
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! is_root; then
        die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
    fi
    info "installing Debian packages: ${missing[*]}"
    if [ ! -f "$CACHE_DIR/.apt-updated" ] || [ -n "$(find "$CACHE_DIR/.apt-updated" -mmin +1440 2>/dev/null)" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed: check the network access to Debian's mirrors"
        touch "$CACHE_DIR/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------- PostgreSQL
PG_PRIVATE_DIR="$CACHE_DIR/pg"
pg_ok() { psql -X -q -d postgres -tAc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
    step "PostgreSQL"
    if [ -n "${PGHOST:-}" ]; then
        pg_ok || die "PostgreSQL is not reachable at PGHOST=$PGHOST${PGUSER:+ as $PGUSER}: start that server, fix PGHOST/PGUSER, or unset PGHOST to use the local one"
        info "using the server at PGHOST=$PGHOST"; done_step; return
    fi
    if [ -d "$PG_PRIVATE_DIR/data" ] && ! is_root; then
        export PGHOST="$PG_PRIVATE_DIR/socket"
    fi
    if pg_ok; then info "server reachable"; done_step; return; fi
    command -v psql >/dev/null || apt_install postgresql postgresql-client
    if is_root; then
        command -v pg_ctlcluster >/dev/null || apt_install postgresql
        local ver cluster
        ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
        [ -n "$ver" ] || apt_install postgresql
        ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
        cluster=$(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1==v {print $2; exit}')
        if [ -z "$cluster" ]; then
            pg_createcluster "$ver" main >/dev/null || die "could not create a PostgreSQL $ver cluster"
            cluster=main
        fi
        pg_ctlcluster "$ver" "$cluster" start 2>/dev/null || true
        for _ in $(seq 1 30); do su postgres -c "psql -X -q -tAc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
        su postgres -c "psql -X -q -tAc 'select 1'" >/dev/null 2>&1 \
            || die "PostgreSQL $ver/$cluster does not start: see 'pg_lsclusters' and /var/log/postgresql/"
        local me; me=$(id -un)
        su postgres -c "psql -X -q -tAc \"select 1 from pg_roles where rolname='$me'\"" | grep -q 1 \
            || su postgres -c "createuser -s '$me'" || die "could not create the PostgreSQL role $me"
    else
        # a normal user: a private cluster in the cache, on a Unix socket only
        local bindir
        bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
        [ -n "$bindir" ] || die "PostgreSQL is not installed: sudo apt-get install postgresql (or set PGHOST to a reachable server)"
        mkdir -p "$PG_PRIVATE_DIR/socket"
        if [ ! -d "$PG_PRIVATE_DIR/data" ]; then
            "$bindir/initdb" -D "$PG_PRIVATE_DIR/data" -A trust -U "$(id -un)" >/dev/null || die "initdb failed in $PG_PRIVATE_DIR"
        fi
        "$bindir/pg_ctl" -D "$PG_PRIVATE_DIR/data" -l "$PG_PRIVATE_DIR/log" -w \
            -o "-k $PG_PRIVATE_DIR/socket -c listen_addresses=''" start >/dev/null || die "the private PostgreSQL did not start: see $PG_PRIVATE_DIR/log"
        export PGHOST="$PG_PRIVATE_DIR/socket"
    fi
    pg_ok || die "PostgreSQL is not reachable: start it, or set PGHOST/PGUSER to a server where $(id -un) is a superuser"
    done_step
}

# ---------------------------------------------------------------- Odoo source
ensure_odoo() {
    step "Odoo 18.0 source"
    local src="${ODOO_SRC:-}" ref="${ODOO_REF:-}" marker="$ODOO_DIR/.credit-control-source"
    if [ -z "$src" ] && [ -f "$marker" ]; then
        info "cached: $(cat "$marker")"; done_step; return
    fi
    src="${src:-$ODOO_SRC_DEFAULT}"; ref="${ref:-$ODOO_REF_DEFAULT}"
    if [ -f "$marker" ] && [ "$(cat "$marker")" = "$src@$ref" ]; then
        info "cached: $src@$ref"; done_step; return
    fi
    rm -rf "$ODOO_DIR.tmp"; mkdir -p "$ODOO_DIR.tmp"
    if [ -f "$src/odoo-bin" ]; then
        info "using the source folder $src"
        ln -s "$(cd "$src" && pwd)" "$ODOO_DIR.tmp/src"
    elif git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1 || git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
        local gd; gd=$(git -C "$src" rev-parse --absolute-git-dir 2>/dev/null || (cd "$src" && pwd))
        info "extracting $ref from the git directory $src"
        git --git-dir="$gd" rev-parse --verify -q "$ref^{commit}" >/dev/null || die "ODOO_REF=$ref is not a commit of $src"
        mkdir -p "$ODOO_DIR.tmp/src"
        git --git-dir="$gd" archive "$ref" | tar -x -C "$ODOO_DIR.tmp/src" || die "could not extract $ref from $src"
    else
        info "cloning $src (branch $ref, shallow)"
        git clone -q --depth 1 --branch "$ref" "$src" "$ODOO_DIR.tmp/src" \
            || die "no Odoo source reachable at ODOO_SRC=$src (ref $ref): set ODOO_SRC to a git URL, a local git directory or an Odoo source folder"
    fi
    [ -f "$ODOO_DIR.tmp/src/odoo-bin" ] || die "$src@$ref is not an Odoo source tree (no odoo-bin)"
    grep -q "version_info = (18, 0" "$ODOO_DIR.tmp/src/odoo/release.py" || die "$src@$ref is not Odoo 18.0"
    echo "$src@$ref" > "$ODOO_DIR.tmp/.credit-control-source"
    rm -rf "$ODOO_DIR"; mv "$ODOO_DIR.tmp" "$ODOO_DIR"
    done_step
}

# ---------------------------------------------------------------- virtualenv
ensure_venv() {
    step "Python virtualenv"
    local reqs="$PROJECT_DIR/setup/requirements.txt" key
    key=$( { "$PYTHON_BIN" --version; cat "$ODOO_DIR/src/requirements.txt" "$reqs" "$PROJECT_DIR/setup/constraints.txt"; } | sha256sum | cut -c1-16)
    if [ -f "$VENV_DIR/.credit-control-key" ] && [ "$(cat "$VENV_DIR/.credit-control-key")" = "$key" ]; then
        info "up to date ($VENV_DIR)"; done_step; return
    fi
    "$PYTHON_BIN" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' \
        || die "Odoo 18 needs Python 3.10 to 3.12; set PYTHON=/path/to/python3.11"
    apt_install libpq-dev
    [ -x "$VENV_DIR/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV_DIR" || die "could not create the virtualenv $VENV_DIR"
    # python-ldap only serves auth_ldap and needs system headers: left out.
    grep -v -i '^python-ldap' "$ODOO_DIR/src/requirements.txt" > "$CACHE_DIR/odoo-requirements.txt"
    # setuptools<70: an Odoo requirement still imports pkg_resources in its build (see setup/constraints.txt)
    info "pip install: Odoo's requirements and setup/requirements.txt (log: $CACHE_DIR/pip.log)"
    if ! PIP_CONSTRAINT="$PROJECT_DIR/setup/constraints.txt" "$VENV_DIR/bin/pip" install \
            -r "$CACHE_DIR/odoo-requirements.txt" -r "$reqs" >"$CACHE_DIR/pip.log" 2>&1; then
        grep -v "^WARNING: Location" "$CACHE_DIR/pip.log" | tail -30
        die "pip install failed (see above): check the access to PyPI and the build headers (libpq-dev)"
    fi
    echo "$key" > "$VENV_DIR/.credit-control-key"
    done_step
}

ensure_debs() {
    step "System packages (wkhtmltopdf for PDF letters, chromium for browser tests)"
    command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf
    command -v chromium >/dev/null || apt_install chromium
    command -v pdftotext >/dev/null || apt_install poppler-utils
    done_step
}

write_conf() {
    # write_conf PORT : the Odoo configuration used by the scripts
    local port="${1:-8069}"
    mkdir -p "$(dirname "$CONF_FILE")"
    cat > "$CONF_FILE" <<CONF
[options]
addons_path = $(addons_path)
data_dir = $CACHE_DIR/filestore
db_host = ${PGHOST:-False}
db_user = ${PGUSER:-False}
http_port = $port
http_interface = 127.0.0.1
list_db = True
log_level = warn
max_cron_threads = 0
without_demo = False
CONF
}

odoo_bin() { "$VENV_DIR/bin/python" "$ODOO_DIR/src/odoo-bin" -c "$CONF_FILE" "$@"; }

QUEUE_JOB_DIR="$CACHE_DIR/queue_job"
# the last 18.0 release that runs on Odoo 18.0 as of 2024-11 (later ones use api.private, added to
# Odoo 18.0 afterwards); set QUEUE_JOB_VERSION to follow a newer Odoo 18.0
QUEUE_JOB_VERSION="${QUEUE_JOB_VERSION:-18.0.1.7.0}"
ensure_queue_job() {
    # OCA's queue_job 18.0 (PyPI wheel, unzipped into the cache, never into the repository): the
    # glue addon credit_control_queue_job turns the dunning chunks into its jobs. Optional: without
    # access to PyPI the glue addon and its tests are left out.
    step "OCA queue_job 18.0 (optional: dunning chunks as jobs)"
    local wheel="$QUEUE_JOB_DIR/wheels/odoo_addon_queue_job-$QUEUE_JOB_VERSION-py3-none-any.whl"
    if [ ! -f "$QUEUE_JOB_DIR/addons/.version-$QUEUE_JOB_VERSION" ]; then
        mkdir -p "$QUEUE_JOB_DIR/wheels"
        if [ ! -f "$wheel" ]; then
            "$VENV_DIR/bin/pip" download --no-deps -q -d "$QUEUE_JOB_DIR/wheels" \
                "odoo-addon-queue-job==$QUEUE_JOB_VERSION" >/dev/null 2>&1 && [ -f "$wheel" ] \
                || { info "not downloaded (no access to PyPI?): left out"; done_step; return; }
        fi
        local tmp; tmp=$(mktemp -d)
        "$VENV_DIR/bin/python" -m zipfile -e "$wheel" "$tmp"
        rm -rf "$QUEUE_JOB_DIR/addons"
        mkdir -p "$QUEUE_JOB_DIR/addons"
        cp -r "$tmp/odoo/addons/queue_job" "$QUEUE_JOB_DIR/addons/"
        touch "$QUEUE_JOB_DIR/addons/.version-$QUEUE_JOB_VERSION"
        rm -rf "$tmp"
    fi
    info "queue_job $QUEUE_JOB_VERSION in $QUEUE_JOB_DIR/addons"
    done_step
}

# the addons path: Odoo, this project, and queue_job when it is there
addons_path() {
    local path="$ODOO_DIR/src/addons,$PROJECT_DIR"
    [ -f "$QUEUE_JOB_DIR/addons/queue_job/__manifest__.py" ] && path="$path,$QUEUE_JOB_DIR/addons"
    echo "$path"
}

bootstrap() {
    mkdir -p "$CACHE_DIR"
    ensure_debs
    ensure_postgres
    ensure_odoo
    ensure_venv
    ensure_queue_job
}

ADDONS="credit_control,credit_control_scoring,credit_control_sales_commission"
