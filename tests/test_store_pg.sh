#!/bin/sh
# The case store on a real PostgreSQL server, started here (pg-server.sh) and
# stopped afterwards: the Check suite test_store once more, against it, the CLI
# test test_store_cli.sh on a database of its own, and the workers of
# store-workers.sh (4 at a time).
# Skipped (77) without PostgreSQL, unless ZF_REQUIRE_POSTGRESQL=1 (CI).
set -u
src=${ZF_SRCDIR:?}
. "$src/tests/pg-server.sh"
pg_start
rc=$?
[ $rc -eq 0 ] || exit $rc
./test_store || exit 1
pg_createdb zaakflow_cli || exit 1
ZF_STORE_URL=$(pg_url zaakflow_cli) sh "$src/tests/test_store_cli.sh" || exit 1
sh "$src/tests/store-workers.sh" postgresql
