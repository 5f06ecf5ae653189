# A PostgreSQL server of its own for the tests, sourced by the test scripts:
#   . pg-server.sh; pg_start || exit $?; ... "$ZF_PG_URL" ...; (stopped on exit)
# initdb and pg_ctl of the Debian package `postgresql` (/usr/lib/postgresql/N/bin)
# run in a temporary directory, listening only on a Unix socket there, under an
# unprivileged user: the current one, or, for root (as in CI), the user
# zaakflow-test, created here when missing (else nobody). The server is stopped
# and its directory removed when the sourcing script exits, also on failure.
# Without PostgreSQL the test is skipped (77), loudly; with ZF_REQUIRE_POSTGRESQL=1
# (CI) it fails instead. Durability settings are off (this server holds test
# data) unless ZF_PG_DURABLE=1 (the benchmarks).

pg_bin=
pg_dir=
pg_user=

pg_as() {
    if [ -n "$pg_user" ]; then
        runuser -u "$pg_user" -- "$@"
    else
        "$@"
    fi
}

pg_stop() {
    if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
        if [ -f "$pg_dir/data/postmaster.pid" ]; then
            pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
        fi
        rm -rf "$pg_dir"
    fi
    pg_dir=
}

pg_absent() {
    echo "SKIP: $1" >&2
    echo "***********************************************************************" >&2
    echo "*** PostgreSQL tests NOT RUN: install 'postgresql' (scripts/install-deps.sh)" >&2
    echo "***********************************************************************" >&2
    if [ "${ZF_REQUIRE_POSTGRESQL:-0}" = 1 ]; then
        echo "FAIL: ZF_REQUIRE_POSTGRESQL=1 and PostgreSQL is not available" >&2
        return 1
    fi
    return 77
}

# The URL of database NAME on the server.
pg_url() {
    echo "postgresql://zaakflow@/$1?host=$pg_dir&port=5432"
}

# Create database NAME on the running server (another empty store).
pg_createdb() {
    pg_as "$pg_bin/createdb" -h "$pg_dir" -p 5432 -U zaakflow "$1" >/dev/null 2>&1 || {
        echo "FAIL: createdb $1" >&2
        return 1
    }
}

pg_start() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            pg_bin=$d
            break
        fi
    done
    [ -n "$pg_bin" ] || { pg_absent "no initdb/pg_ctl under /usr/lib/postgresql"; return $?; }
    if [ "$(id -u)" = 0 ]; then
        pg_user=zaakflow-test
        if ! id "$pg_user" >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$pg_user" >/dev/null 2>&1 || pg_user=nobody
        fi
        command -v runuser >/dev/null 2>&1 || { pg_absent "runuser not found"; return $?; }
    fi
    pg_dir=$(mktemp -d /tmp/zf-pg.XXXXXX) || return 1
    trap 'pg_stop' EXIT
    trap 'pg_stop; exit 1' INT TERM HUP
    chmod 700 "$pg_dir"
    [ -n "$pg_user" ] && chown "$pg_user" "$pg_dir"
    if ! pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U zaakflow -A trust -E UTF8 --locale=C \
        --no-sync >"$pg_dir/initdb.log" 2>&1; then
        cat "$pg_dir/initdb.log" >&2
        echo "FAIL: initdb" >&2
        return 1
    fi
    pg_fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${ZF_PG_DURABLE:-0}" = 1 ] && pg_fast=
    if ! pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$pg_dir' -p 5432 \
            $pg_fast -c max_connections=60 ${ZF_PG_SETTINGS:-}" start >/dev/null 2>&1; then
        cat "$pg_dir/server.log" >&2
        echo "FAIL: pg_ctl start" >&2
        return 1
    fi
    if ! pg_as "$pg_bin/createdb" -h "$pg_dir" -p 5432 -U zaakflow zaakflow >/dev/null 2>&1; then
        cat "$pg_dir/server.log" >&2
        echo "FAIL: createdb" >&2
        return 1
    fi
    ZF_PG_URL=$(pg_url zaakflow)
    export ZF_PG_URL
    echo "PostgreSQL $("$pg_bin/postgres" --version | sed 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/') running in $pg_dir" \
        "as ${pg_user:-$(id -un)}" >&2
    return 0
}
