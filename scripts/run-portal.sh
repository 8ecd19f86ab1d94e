#!/usr/bin/env bash
# Start the embedded portal: ASGI server, a Celery worker and Celery beat. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${PORTAL_HOST:-127.0.0.1}
PORT=${PORTAL_PORT:-8000}
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://$HOST:$PORT}
mkdir -p var/log
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
.venv/bin/celery -A backend.config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 & pids+=($!)
.venv/bin/celery -A backend.config beat --loglevel=INFO >var/log/beat.log 2>&1 & pids+=($!)
.venv/bin/uvicorn backend.config.asgi:application --host "$HOST" --port "$PORT" --lifespan off & pids+=($!)
$PY manage.py portal_banner --url "$PORTAL_BASE_URL"
echo "Logs of the worker and beat: var/log/. Press Ctrl-C to stop."
wait -n "${pids[@]}"
