#!/usr/bin/env bash
# A private PostgreSQL cluster and Redis server on loopback for the scaled test run and the benches.
#
#   scripts/scaled-services.sh start   install (Debian packages) if missing, start, print the exports
#   scripts/scaled-services.sh env     print the exports of the running services (exit 1 if not running)
#   scripts/scaled-services.sh stop    stop both and delete their data
#
# Usage: eval "$(scripts/scaled-services.sh start)". Only the export line goes to stdout; progress goes
# to stderr. Both servers listen on 127.0.0.1 on free ports chosen at start, never the system default
# ports, so a PostgreSQL or Redis service of the machine cannot clash. Data lives in PORTAL_SCALED_DIR
# (default /tmp/portal-scaled.<uid>); give each concurrent run its own directory.
# The cluster trades durability for speed (fsync off): it is for tests and benches, never for data.
set -euo pipefail

STATE_DIR=${PORTAL_SCALED_DIR:-/tmp/portal-scaled.$(id -u)}
PG_DATA=$STATE_DIR/pgdata
REDIS_DIR=$STATE_DIR/redis
ENV_FILE=$STATE_DIR/env
DB_NAME=portal
DB_USER=portal
DB_PASSWORD=portal

log() { echo "scaled-services: $*" >&2; }

# Root cannot run postgres: as root, run the cluster as the `postgres` system user the package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

install_missing() {
  local missing=()
  pg_bin_dir >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

free_port() {
  local py
  py=$(command -v python3 || echo "$(dirname "$0")/../.venv/bin/python")
  "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The exports, read back from the state file of a run that is still alive.
running() {
  [ -f "$ENV_FILE" ] || return 1
  local PG_PORT REDIS_PORT
  PG_PORT=$(sed -n 's/^PG_PORT=//p' "$ENV_FILE")
  REDIS_PORT=$(sed -n 's/^REDIS_PORT=//p' "$ENV_FILE")
  [ -n "$PG_PORT" ] && [ -n "$REDIS_PORT" ] || return 1
  "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d "$DB_NAME" -U "$DB_USER" || return 1
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG || return 1
}

print_env() {
  local PG_PORT REDIS_PORT
  PG_PORT=$(sed -n 's/^PG_PORT=//p' "$ENV_FILE")
  REDIS_PORT=$(sed -n 's/^REDIS_PORT=//p' "$ENV_FILE")
  echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME" \
    "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

wait_until() {
  local what=$1; shift
  for _ in $(seq 1 120); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  log "$what did not become ready in 30 s"
  return 1
}

stop_services() {
  [ -d "$STATE_DIR" ] || return 0
  local bin
  bin=$(pg_bin_dir || true)
  if [ -n "$bin" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 30 >/dev/null 2>&1 || true
  fi
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    local pid
    pid=$(cat "$REDIS_DIR/redis.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
  fi
  rm -rf "$STATE_DIR"
}

start_services() {
  if running; then
    log "already running (state in $STATE_DIR)"
    print_env
    return 0
  fi
  # A state directory without live servers is left over from a crash or a reboot: start afresh.
  stop_services
  install_missing
  local bin pg_port redis_port
  bin=$(pg_bin_dir) || { log "PostgreSQL binaries not found under /usr/lib/postgresql"; exit 1; }
  mkdir -p "$STATE_DIR" "$PG_DATA" "$REDIS_DIR"
  chmod 755 "$STATE_DIR"
  chmod 700 "$PG_DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DATA"

  log "initialising PostgreSQL cluster in $PG_DATA"
  local pwfile=$STATE_DIR/pgpass.tmp
  echo "$DB_PASSWORD" >"$pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
  as_owner "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STATE_DIR/initdb.log" 2>&1 || {
    cat "$STATE_DIR/initdb.log" >&2; exit 1; }
  rm -f "$pwfile"

  pg_port=$(free_port)
  # The socket directory is the data directory: no /var/run/postgresql needed, no clash with a system
  # cluster. fsync and friends are off: a crashed test cluster is thrown away, never repaired.
  cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$PG_DATA'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
dynamic_shared_memory_type = mmap
log_min_messages = warning
EOF
  log "starting PostgreSQL on 127.0.0.1:$pg_port"
  as_owner "$bin/pg_ctl" start -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 >/dev/null || {
    cat "$PG_DATA/server.log" >&2; exit 1; }
  wait_until PostgreSQL "$bin/pg_isready" -h 127.0.0.1 -p "$pg_port"
  # CREATEDB: pytest-django creates and drops test_<name> itself.
  as_owner "$bin/psql" -q -h "$PG_DATA" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<EOF >/dev/null
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
EOF

  redis_port=$(free_port)
  log "starting Redis on 127.0.0.1:$redis_port"
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --dir "$REDIS_DIR" \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no \
    --protected-mode yes </dev/null >/dev/null
  wait_until Redis sh -c "redis-cli -h 127.0.0.1 -p $redis_port ping | grep -q PONG"

  printf 'PG_PORT=%s\nREDIS_PORT=%s\n' "$pg_port" "$redis_port" >"$ENV_FILE"
  running || { log "services started but do not answer"; exit 1; }
  print_env
}

case "${1:-}" in
  start) start_services ;;
  stop) stop_services; log "stopped" ;;
  env)
    running || { log "not running (state dir $STATE_DIR)"; exit 1; }
    print_env
    ;;
  *) echo "Usage: $0 start|stop|env" >&2; exit 2 ;;
esac
