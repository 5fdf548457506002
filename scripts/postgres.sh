#!/usr/bin/env bash
# A throwaway PostgreSQL server for Pulumi's PostgreSQL DIY backend (tests, demos, a team trying it).
#
#   scripts/postgres.sh start DIR [PORT]   create (first time) and start a cluster in DIR, listening on
#                                          127.0.0.1 only (PORT, or a free port); prints the backend URL
#                                          postgres://pulumi:...@127.0.0.1:PORT/pulumi?sslmode=disable
#                                          as its last line. Idempotent: a running cluster is reused.
#   scripts/postgres.sh DIR [PORT]         the same as `start`.
#   scripts/postgres.sh url DIR            print the URL of the cluster in DIR (it must be running).
#   scripts/postgres.sh psql DIR [ARGS...] run psql as the backend's user, e.g. to inspect `pulumi_state`.
#   scripts/postgres.sh stop DIR           stop the cluster in DIR (nothing to do if it is not running).
#
# The server binaries come from Debian's `postgresql` package; when they are missing the script
# installs it with apt-get (as root; `apt-get update` first). PostgreSQL refuses to run as root, so
# when root runs this script the server runs as the `postgres` system user the package creates, and
# DIR (whose parents must be traversable by that user, e.g. a directory under /tmp) is handed to it.
#
# The cluster is for throwaway use: durability is switched off (fsync=off) to keep tests fast. Its
# password is random, kept in DIR/password (mode 600), and only ever printed as part of the URL.
set -euo pipefail

say() { printf 'postgres: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

DB_USER="pulumi"
DB_NAME="pulumi"

# ---- locating (or installing) the server binaries -------------------------------------------------

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    [[ -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" ]] || die "PG_BINDIR=$PG_BINDIR holds no initdb/pg_ctl"
    echo "$PG_BINDIR"; return 0
  fi
  local dir
  # Debian installs each major version under /usr/lib/postgresql/<major>/bin; take the newest.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" && -x "$dir/psql" ]]; then
      echo "$dir"; return 0
    fi
  done
  return 1
}

install_server() {
  if [[ "$(id -u)" != "0" ]]; then
    die "the PostgreSQL server is not installed and this is not root: run \`sudo apt-get install postgresql\` (Debian/Ubuntu) and try again"
  fi
  command -v apt-get >/dev/null 2>&1 || die "the PostgreSQL server is not installed and apt-get is not available: install PostgreSQL >= 13 and set PG_BINDIR to its bin directory"
  say "PostgreSQL server binaries not found: installing Debian's postgresql package..."
  local start=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends postgresql >&2 || die "apt-get install postgresql failed"
  say "  installed in $((SECONDS - start)) s"
}

# ---- running commands as the server's owner -------------------------------------------------------

RUN_AS=()   # prefix that runs a command as the cluster owner
setup_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    if ! id postgres >/dev/null 2>&1; then
      say "creating the postgres system user"
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi
    if command -v runuser >/dev/null 2>&1; then
      RUN_AS=(runuser -u postgres --)
    else
      RUN_AS=(su postgres -s /bin/sh -c '"$0" "$@"' --)
    fi
  fi
}
as_owner() { "${RUN_AS[@]}" "$@"; }

# ---- helpers --------------------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local port tries=0
  while (( tries++ < 50 )); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  die "found no free TCP port on 127.0.0.1"
}

is_running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

current_port() { cat "$DIR/port" 2>/dev/null || die "no port recorded in $DIR/port"; }

print_url() {
  [[ -f "$DIR/password" ]] || die "no cluster in $DIR (no password file)"
  printf 'postgres://%s:%s@127.0.0.1:%s/%s?sslmode=disable\n' "$DB_USER" "$(cat "$DIR/password")" "$(current_port)" "$DB_NAME"
}

# Admin SQL as the superuser over the cluster's private unix socket (trust auth, owner-only directory).
admin_psql() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR/run" -p "$(current_port)" -U postgres -d postgres "$@"; }

resolve_dir() {
  [[ -n "${1:-}" ]] || usage
  mkdir -p "$1"
  DIR="$(cd "$1" && pwd -P)"
  DATA="$DIR/data"
}

# ---- subcommands ----------------------------------------------------------------------------------

cmd_start() {
  local requested_port="${2:-}"
  resolve_dir "${1:-}"
  if [[ -n "$requested_port" && ! "$requested_port" =~ ^[0-9]+$ ]]; then die "PORT must be a number, got '$requested_port'"; fi
  local start=$SECONDS
  BIN="$(find_bindir)" || { install_server; BIN="$(find_bindir)" || die "postgresql was installed but no server binaries were found under /usr/lib/postgresql"; }
  setup_owner

  if [[ ${#RUN_AS[@]} -gt 0 ]]; then
    chown postgres: "$DIR"
    chmod 700 "$DIR"
    as_owner test -x "$DIR" || die "the postgres user cannot reach $DIR: use a directory whose parents are world-traversable (e.g. under /tmp)"
  fi
  (( ${#DIR} < 90 )) || die "$DIR is too long for a unix socket path: use a shorter directory"
  as_owner mkdir -p "$DIR/run"

  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    say "creating a cluster in $DATA ($("$BIN/postgres" --version))"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    as_owner sh -c "cat >> '$DATA/postgresql.conf'" <<CONF

# --- scripts/postgres.sh: a throwaway cluster for the Pulumi backend ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/run'
max_connections = 50
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    umask 077
    od -An -N18 -tx1 /dev/urandom | tr -d ' \n' > "$DIR/password"
  fi

  if is_running; then
    if [[ -n "$requested_port" && "$requested_port" != "$(current_port)" ]]; then
      die "the cluster in $DIR is already running on port $(current_port), not $requested_port: stop it first"
    fi
    say "cluster in $DIR already running on 127.0.0.1:$(current_port)"
  else
    local attempt port
    for attempt in 1 2 3 4 5; do
      if [[ -n "$requested_port" ]]; then
        port="$requested_port"
        port_in_use "$port" && die "port $port on 127.0.0.1 is already in use"
      else
        port="$(pick_port)"
      fi
      echo "$port" > "$DIR/port"
      if as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -o "-p $port" -w -t 60 start >/dev/null; then
        break
      fi
      [[ -z "$requested_port" && $attempt -lt 5 ]] || { tail -n 20 "$DIR/postgres.log" >&2 || true; die "the server did not start (log: $DIR/postgres.log)"; }
      say "could not start on port $port, trying another"
    done
    say "server started on 127.0.0.1:$port"
  fi

  # The backend's role and database (created once; the password never appears on a command line).
  if [[ "$(admin_psql -tA -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]]; then
    printf "CREATE ROLE %s LOGIN PASSWORD '%s';\n" "$DB_USER" "$(cat "$DIR/password")" | admin_psql
  fi
  if [[ "$(admin_psql -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]]; then
    admin_psql -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
  say "ready in $((SECONDS - start)) s"
  print_url
}

cmd_stop() {
  resolve_dir "${1:-}"
  [[ -f "$DATA/PG_VERSION" ]] || { say "no cluster in $DIR"; return 0; }
  BIN="$(find_bindir)" || die "no PostgreSQL binaries found"
  setup_owner
  if is_running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    say "stopped the cluster in $DIR"
  else
    say "the cluster in $DIR is not running"
  fi
}

cmd_url() {
  resolve_dir "${1:-}"
  BIN="$(find_bindir)" || die "no PostgreSQL binaries found"
  setup_owner
  is_running || die "the cluster in $DIR is not running: run \`$0 start $DIR\`"
  print_url
}

cmd_psql() {
  resolve_dir "${1:-}"
  shift || true
  BIN="$(find_bindir)" || die "no PostgreSQL binaries found"
  setup_owner
  is_running || die "the cluster in $DIR is not running"
  PGPASSWORD="$(cat "$DIR/password")" "$BIN/psql" -X -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$(current_port)" -U "$DB_USER" -d "$DB_NAME" "$@"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  url) shift; cmd_url "$@" ;;
  psql) shift; cmd_psql "$@" ;;
  ""|-h|--help|help) usage ;;
  *) cmd_start "$@" ;;
esac
