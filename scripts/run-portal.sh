#!/usr/bin/env bash
# Start the embedded portal with demo data: the web server, a Celery worker and Celery beat.
# Prints a line per phase; the banner only once the server answers. Ctrl-C stops all three and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${PORTAL_HOST:-127.0.0.1}
PORT=${PORTAL_PORT:-8000}
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://$HOST:$PORT}
phase() { printf '==> %s\n' "$*"; }

# Before anything slow: a taken port would make the server fail after a minute of set-up.
if ! $PY - "$HOST" "$PORT" <<'PYEOF'
import socket, sys
with socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET) as probe:
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((sys.argv[1], int(sys.argv[2])))
    except OSError:
        sys.exit(1)
PYEOF
then
  echo "Port $PORT on $HOST is already in use (is the portal already running?)."
  echo "Stop that program, or start on another port: PORTAL_PORT=8001 make run"
  exit 1
fi

phase "System packages for PDF rendering (Pango, DejaVu fonts)"
bash scripts/system-deps.sh run
# Name the database migrated: PostgreSQL's address without its user and password, or the SQLite file.
if [ -n "${DATABASE_URL:-}" ]; then DB_NAMED="PostgreSQL ${DATABASE_URL##*@}"
else DB_NAMED="${SQLITE_PATH:-${PORTAL_VAR_DIR:-var}/portal.sqlite3}"; fi
phase "Database: applying migrations ($DB_NAMED)"
$PY manage.py migrate --noinput -v0
phase "Demo data: ${DEMO_CLIENTS:-40} client companies with contracts, invoices and documents"
$PY manage.py seed_demo --clients "${DEMO_CLIENTS:-40}" --seed 1
$PY manage.py seed_bank_links
# Pages name static files by the hashed names of this manifest (backend/core/static_storage.py); only
# changed files are compressed again, so only a fresh folder takes long.
phase "Static files: hashed names, gzip and brotli copies (${PORTAL_VAR_DIR:-var}/static; the first time about a minute)"
$PY manage.py collectstatic --noinput -v0
LOG_DIR=${PORTAL_VAR_DIR:-var}/log
phase "Starting the web server, the Celery worker and beat (logs: $LOG_DIR/)"
mkdir -p "$LOG_DIR"
pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping the portal..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT
# Each process in a process group of its own: Ctrl-C reaches only this script, which stops them in order
# and exits 0 (instead of every process dying at once and make reporting "Error 130").
set -m
# The worker and beat are started again when they stop on their own (a crash, a fatal broker error): the
# portal keeps serving, and the stop is printed here and in their log. One that keeps stopping within
# seconds of its start waits longer each time (2 s, doubled up to a minute). A stop asked for (TERM, from
# stop_all) is passed to the process and ends the loop.
keep_running() {  # name, log file, command...
  local name=$1 log=$2 child="" status started pause=2
  shift 2
  trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" || true; fi; exit 0' TERM INT
  while true; do
    started=$SECONDS
    "$@" >>"$log" 2>&1 &
    child=$!
    status=0
    wait "$child" || status=$?
    if ((SECONDS - started >= 30)); then pause=2; fi
    # Warsaw time, as the portal's own log lines (TIME_ZONE), so the two can be read side by side.
    echo "The $name stopped (exit status $status) at $(TZ=Europe/Warsaw date '+%H:%M:%S'); starting it again in $pause s" \
      "(log: $log)." | tee -a "$log"
    sleep "$pause" &  # waited for like the process, so a stop asked for meanwhile ends it at once
    child=$!
    wait "$child" || true
    pause=$((pause * 2 > 60 ? 60 : pause * 2))
  done
}
: >"$LOG_DIR/worker.log"
: >"$LOG_DIR/beat.log"
keep_running "Celery worker" "$LOG_DIR/worker.log" $PY -m celery -A backend.config worker --loglevel=INFO --concurrency=2 &
pids+=($!)
keep_running "Celery beat" "$LOG_DIR/beat.log" $PY -m celery -A backend.config beat --loglevel=INFO &
pids+=($!)
# The web server as scripts/serve_web.py starts it (HTTP on a WSGI thread pool, WebSockets over ASGI);
# PORTAL_WEB_PROCESSES=2 serves with two processes (live push reaches every process's sockets).
$PY scripts/serve_web.py --host "$HOST" --port "$PORT" & server=$!
pids+=("$server")

for _ in $(seq 1 120); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "The web server stopped before answering; its messages are above."
    exit 1
  fi
  if $PY -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://$HOST:$PORT/healthz" 2>/dev/null; then
    $PY manage.py portal_banner --url "$PORTAL_BASE_URL"
    echo "Logs of the worker and beat: $LOG_DIR/. Press Ctrl-C to stop."
    set +e
    wait -n "${pids[@]}"
    echo "A portal process stopped; see $LOG_DIR/ and the messages above."
    exit 1
  fi
  sleep 0.5
done
echo "The web server did not answer within 60 s."
exit 1
