#!/usr/bin/env bash
# The whole test suite: lint, migrations in sync, pytest on SQLite, then the workflow, API and WebSocket
# suites again on a real PostgreSQL and Redis (private servers on loopback, see scaled-services.sh).
# Fails when any phase fails or collects no test. Arguments go to the SQLite pytest run.
# PORTAL_TEST_SCALED=0 skips the PostgreSQL + Redis phase (quick local runs; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PORTAL_VAR_DIR=${PORTAL_VAR_DIR:-$(mktemp -d /tmp/portal-test.XXXXXX)}

phase() { printf '\n=== %s ===\n' "$*"; }

phase "lint, format, import layers and migrations"
.venv/bin/ruff check .
# An unformatted file fails the run (as `make lint` does): `ruff format .` fixes it.
.venv/bin/ruff format --check .
# The layer contracts of pyproject.toml ([tool.importlinter]): pages > domain apps > workflows > core.
.venv/bin/lint-imports --no-cache
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Migrations are out of date: run manage.py makemigrations"; exit 1; }

phase "pytest on SQLite, in-memory channel layer"
# pytest exits 5 when it collected nothing: that is a failure here, as is any other non-zero code.
env -u DATABASE_URL -u REDIS_URL .venv/bin/python -m pytest -q "$@"

if [ "${PORTAL_TEST_SCALED:-1}" = 0 ]; then
  echo "PORTAL_TEST_SCALED=0: PostgreSQL + Redis phase skipped"
  exit 0
fi

# The suites that must also pass on PostgreSQL + Redis: whole directories of the workflow (tests/workflows*),
# request, notification (and recipient) and scaled tests, plus every API test module (tests/<app>/test_api*.py) of the
# other apps and the prepared reads. Directories that do not exist yet are left out; SCALED_TEST_PATHS overrides the selection.
if [ -n "${SCALED_TEST_PATHS:-}" ]; then
  read -r -a paths <<<"$SCALED_TEST_PATHS"
else
  paths=()
  for dir in tests/workflows tests/workflows_* tests/requests_app tests/notifications tests/notification_recipients tests/scaled; do
    [ -d "$dir" ] && paths+=("$dir")
  done
  # SQL built once per connection (its locking, converters and RETURNING differ by database), statements
  # prepared by the server, the HTTP bench's count of PostgreSQL's CPU, the payment-day move, one
  # statement on PostgreSQL, the unused-upload clean-up (rows taken under lock, skipping locked ones) and
  # the second-factor reset (its user row lock), and bad input PostgreSQL refuses where SQLite does not
  # (ids out of range, the NUL character in queries, forms and JSON bodies; every page form with hostile values).
  for module in tests/core/test_prepared_reads.py tests/core/test_prepared_writes.py tests/core/test_database_url.py tests/bench/test_database_cpu.py tests/contracts/test_change_payment_day.py tests/documents/test_unused_uploads.py tests/accounts_two_factor/test_reset.py tests/hardening/test_bad_input.py tests/hardening/test_nul_input.py tests/core/test_parsers.py tests/security/test_page_forms.py tests/sso/test_odd_claims.py; do
    [ -f "$module" ] && paths+=("$module")
  done
  for module in tests/*/test_api*.py; do
    [ -f "$module" ] || continue
    case "$module" in tests/workflows*/* | tests/requests_app/* | tests/notifications/* | tests/scaled/*) continue ;; esac
    paths+=("$module")
  done
fi
if [ ${#paths[@]} -eq 0 ]; then
  echo "No workflow, API or WebSocket test suite found for the PostgreSQL + Redis phase"; exit 1
fi

phase "starting private PostgreSQL and Redis on loopback"
export PORTAL_SCALED_DIR
PORTAL_SCALED_DIR=$(mktemp -d /tmp/portal-scaled.XXXXXX)
trap 'scripts/scaled-services.sh stop' EXIT
eval "$(scripts/scaled-services.sh start </dev/null)"
echo "DATABASE_URL=$DATABASE_URL REDIS_URL=$REDIS_URL"

phase "pytest on PostgreSQL + Redis: ${paths[*]}"
# Scaled tests fail instead of skipping when this phase cannot give them the servers they need.
# The race tests hold one connection per racing thread besides the test's own: a pool that fits them.
PORTAL_SCALED_REQUIRED=1 DATABASE_POOL_MAX_SIZE=${DATABASE_POOL_MAX_SIZE:-16} .venv/bin/python -m pytest -q -rs -m "not browser" "${paths[@]}"
