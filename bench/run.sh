#!/bin/sh
# Run the benchmarks and print a table with ratios against zaakflow (journal off).
# Figures only: nothing here asserts on time. Peers are skipped when missing.
#   BENCH_FIRE=path/to/bench_fire ZF_SRCDIR=path/to/source sh bench/run.sh [EVENTS]
: "${ZF_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${BENCH_FIRE:=./bench_fire}"
N=${1:-1200000}
out=${TMPDIR:-/tmp}/zf-bench.$$
trap 'rm -f "$out"' EXIT INT TERM

echo "== zaakflow (C) =="
"$BENCH_FIRE" "$N" "$ZF_SRCDIR/processes/bezwaar.xml" | tee "$out" || exit 1
zf=$(awk '/journal off/ {print $4}' "$out")

echo "== XState (node) =="
xs=
if command -v node >/dev/null 2>&1; then
    dir=$ZF_SRCDIR/bench/xstate
    if [ ! -d "$dir/node_modules/xstate" ] && command -v npm >/dev/null 2>&1; then
        (cd "$dir" && npm ci --no-audit --no-fund >/dev/null 2>&1)
    fi
    if [ -d "$dir/node_modules/xstate" ]; then
        node --expose-gc "$dir/bench.mjs" "$((N / 2))" | tee "$out"
        xs=$(awk '/ns\/event/ {print $2}' "$out")
    else
        echo "skipped: xstate not installed (cd bench/xstate && npm ci)"
    fi
else
    echo "skipped: no node"
fi

echo "== transitions (Python) =="
tr=
for py in /usr/bin/python3 python3; do
    if "$py" -c 'import transitions' >/dev/null 2>&1; then
        "$py" "$ZF_SRCDIR/bench/bench_transitions.py" "$((N / 10))" | tee "$out"
        tr=$(awk '/ns\/event/ {print $2}' "$out")
        break
    fi
done
[ -n "$tr" ] || echo "skipped: python3-transitions not installed (apt-get install python3-transitions)"

echo
printf '%-26s %12s %10s\n' "engine (same chart)" "ns/event" "vs zaakflow"
printf '%-26s %12s %10s\n' "zaakflow, journal off" "$zf" "1.0x"
for row in "XState 5:$xs" "Python transitions:$tr"; do
    name=${row%%:*}
    v=${row#*:}
    [ -n "$v" ] || continue
    printf '%-26s %12s %10s\n' "$name" "$v" "$(awk -v a="$v" -v b="$zf" 'BEGIN { printf "%.0fx", a / b }')"
done
