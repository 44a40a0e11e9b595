#!/usr/bin/env bash
# Prepare everything the demo and the tests need, once: PostgreSQL running with a role,
# Odoo 18.0 in the cache, the virtualenv, wkhtmltopdf and chromium. Safe to run again.
# Called by demo.sh and test.sh; you never need to call it by hand.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bootstrap
