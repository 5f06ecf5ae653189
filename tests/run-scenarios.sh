#!/bin/sh
# Run every scenario in tests/scenarios with `zaakflow test --coverage`.
# ZF_CLI and ZF_SRCDIR come from tests/Makefile.am (AM_TESTS_ENVIRONMENT).
: "${ZF_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${ZF_CLI:=zaakflow}"
set -- "$ZF_SRCDIR"/tests/scenarios/*.xml
if [ ! -f "$1" ]; then
    echo "no scenarios found in $ZF_SRCDIR/tests/scenarios" >&2
    exit 77
fi
exec "$ZF_CLI" test --coverage --base "$ZF_SRCDIR" "$@"
