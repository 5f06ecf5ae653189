#!/bin/sh
# The round-trip law over every shipped scenario: at the start of every case and after
# every step, snapshot -> restore -> snapshot is byte-identical, with the journal on (and
# the journal-on snapshot restored with the journal off) and with the journal off; the
# restored instance runs the next step. `zaakflow test --roundtrip` fails a scenario on a
# refusal or a difference.
# ZF_CLI and ZF_SRCDIR come from tests/Makefile.am (AM_TESTS_ENVIRONMENT).
: "${ZF_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${ZF_CLI:=zaakflow}"
set -- "$ZF_SRCDIR"/tests/scenarios/*.xml
if [ ! -f "$1" ]; then
    echo "no scenarios found in $ZF_SRCDIR/tests/scenarios" >&2
    exit 77
fi
status=0
for mode in "" --no-journal; do
    out=$("$ZF_CLI" test --roundtrip $mode --base "$ZF_SRCDIR" "$@") || status=1
    printf '%s\n' "$out" | grep -v '^PASS '
done
exit $status
