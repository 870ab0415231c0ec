#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the indexer's tests and bench.
#
#   scripts/pg-test-cluster.sh start [port]   # prints the URL (postgres://postgres@127.0.0.1:<port>/postgres)
#   scripts/pg-test-cluster.sh stop  [port]   # stops it by its pid (pg_ctl) and deletes its data directory
#
# The cluster lives in /tmp/openledger-pg-<port> (its own data directory, trust auth, loopback
# only, no unix socket in a shared place). PostgreSQL refuses to run as root: as root it runs as
# the `postgres` user. Installs Debian's `postgresql` package when no initdb is found (CI).
set -euo pipefail
cmd=${1:-start}
port=${2:-${PG_TEST_PORT:-55441}}
dir=/tmp/openledger-pg-$port
url="postgres://postgres@127.0.0.1:$port/postgres"

bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
if [ -z "$bindir" ] && [ "$cmd" = start ]; then
  echo "pg-test-cluster: no PostgreSQL found, installing Debian's postgresql package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
fi
[ -n "$bindir" ] || { echo "pg-test-cluster: PostgreSQL is not installed" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

case "$cmd" in
  start)
    if [ -f "$dir/data/postmaster.pid" ] && kill -0 "$(head -1 "$dir/data/postmaster.pid")" 2>/dev/null; then
      echo "$url"
      exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "'$bindir/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --no-sync >'$dir/initdb.log' 2>&1"
    as_pg "'$bindir/pg_ctl' -D '$dir/data' -w -t 60 -o \"-k '$dir' -h 127.0.0.1 -p $port -c fsync=on -c max_connections=50\" -l '$dir/log' start >/dev/null"
    echo "$url"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_pg "'$bindir/pg_ctl' -D '$dir/data' -w -t 60 -m fast stop >/dev/null" || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [port]" >&2
    exit 2
    ;;
esac
