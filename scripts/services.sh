#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 or Redis for the tests and the benchmarks, and print the
# URL to reach it. Installs the Debian package first when it is missing (as root with apt-get).
#
#   scripts/services.sh postgres NAME   start PostgreSQL, create the throwaway database NAME
#                                       (dropped first if it exists), print its DATABASE_URL
#   scripts/services.sh redis [DB]      start redis-server on 127.0.0.1:6379 if none answers,
#                                       print its REDIS_URL (database DB, default 15)
set -euo pipefail
cd "$(dirname "$0")/.."

PG_VERSION=15
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
ROLE=advisor

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

start_postgres() {
    local name="$1"
    scripts/ensure-system-deps.sh postgresql >&2
    if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
        pg_ctlcluster "$PG_VERSION" main start >&2
    fi
    for _ in $(seq 1 30); do
        as_postgres pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
        sleep 1
    done
    as_postgres psql -q -p "$PG_PORT" -v ON_ERROR_STOP=1 -c \
        "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
           CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$ROLE'; END IF; END \$\$;" >&2
    as_postgres dropdb -p "$PG_PORT" --if-exists --force "$name" >&2
    as_postgres createdb -p "$PG_PORT" -O "$ROLE" "$name" >&2
    echo "postgres://$ROLE:$ROLE@127.0.0.1:$PG_PORT/$name"
}

start_redis() {
    local db="${1:-15}"
    scripts/ensure-system-deps.sh redis >&2
    if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' \
            --appendonly no --logfile "${TMPDIR:-/tmp}/advisor-redis-$REDIS_PORT.log" >&2
        for _ in $(seq 1 30); do
            redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
            sleep 0.5
        done
    fi
    echo "redis://127.0.0.1:$REDIS_PORT/$db"
}

case "${1:-}" in
    postgres) start_postgres "${2:?usage: $0 postgres DATABASE_NAME}" ;;
    redis) start_redis "${2:-15}" ;;
    *) echo "usage: $0 postgres NAME | redis [DB]" >&2; exit 2 ;;
esac
