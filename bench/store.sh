#!/bin/sh
# The case store's figures (make bench): bench_store on a SQLite file (synchronous
# full, the default, and normal) and on a PostgreSQL server started here with its
# default durability (fsync on), stopped afterwards. Figures only.
#   BENCH_STORE=./bench_store ZF_SRCDIR=... sh bench/store.sh [CASES]
set -u
: "${ZF_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${BENCH_STORE:=./bench_store}"
cases=${1:-4000}
tmp=$(mktemp -d /tmp/zf-bench-store.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo "== the case store: $cases cases =="
"$BENCH_STORE" "sqlite:$tmp/full.db" "$ZF_SRCDIR/processes" "$cases"
"$BENCH_STORE" "sqlite:$tmp/normal.db?synchronous=normal" "$ZF_SRCDIR/processes" "$cases"
ZF_PG_DURABLE=1
export ZF_PG_DURABLE
. "$ZF_SRCDIR/tests/pg-server.sh"
if pg_start 2>"$tmp/pg.err"; then
    trap 'pg_stop; rm -rf "$tmp"' EXIT
    "$BENCH_STORE" "$ZF_PG_URL" "$ZF_SRCDIR/processes" "$cases"
else
    cat "$tmp/pg.err"
    echo "(no PostgreSQL: its figures are left out)"
fi
