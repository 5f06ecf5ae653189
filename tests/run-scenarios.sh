#!/bin/sh
# Run every scenario in tests/scenarios with `zaakflow test --coverage --min-transitions 100`:
# fails when a scenario fails, when a definition used has a transition no scenario takes, or
# when a definition in processes/ is used by no scenario at all.
# ZF_CLI and ZF_SRCDIR come from tests/Makefile.am (AM_TESTS_ENVIRONMENT).
: "${ZF_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${ZF_CLI:=zaakflow}"
set -- "$ZF_SRCDIR"/tests/scenarios/*.xml
if [ ! -f "$1" ]; then
    echo "no scenarios found in $ZF_SRCDIR/tests/scenarios" >&2
    exit 77
fi
out=$(mktemp "${TMPDIR:-/tmp}/zf-scenarios.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT INT TERM
"$ZF_CLI" test --coverage --min-transitions 100 --base "$ZF_SRCDIR" "$@" >"$out"
status=$?
cat "$out"
for f in "$ZF_SRCDIR"/processes/*.xml; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    if ! grep -q "/processes/$name): states" "$out"; then
        echo "run-scenarios.sh: no scenario uses processes/$name" >&2
        status=1
    fi
done
# --min-transitions: a scenario that takes only some transitions of bezwaar is below 100%.
one=$ZF_SRCDIR/tests/scenarios/bezwaar_te_laat.xml
if [ -f "$one" ]; then
    "$ZF_CLI" test --min-transitions 100 "$one" >/dev/null 2>&1
    if [ $? != 1 ]; then
        echo "run-scenarios.sh: --min-transitions 100 must fail for $one alone" >&2
        status=1
    fi
    if ! "$ZF_CLI" test --min-transitions 0 "$one" >/dev/null 2>&1; then
        echo "run-scenarios.sh: --min-transitions 0 must pass for $one alone" >&2
        status=1
    fi
fi
exit $status
