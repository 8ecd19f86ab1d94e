#!/usr/bin/env bash
# The whole test suite: lint, migrations in sync, pytest on SQLite. Fails when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORTAL_VAR_DIR=${PORTAL_VAR_DIR:-$(mktemp -d /tmp/portal-test.XXXXXX)}
.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Migrations are out of date: run manage.py makemigrations"; exit 1; }
# pytest exits 5 when it collected nothing: that is a failure here, as is any other non-zero code.
.venv/bin/python -m pytest -q "$@"
