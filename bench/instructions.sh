#!/bin/sh
# Instructions per event on the fire path, counted by callgrind (repeatable, unlike
# time): only the instructions inside zf_instance_fire() are collected, divided by the
# number of events fired. Use it before and after a change to the fire path.
#   [LIBTOOL=libtool] BENCH_STEPS=path/to/bench_steps [BEZWAAR=processes/bezwaar.xml] sh bench/instructions.sh
: "${ZF_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${BENCH_STEPS:=./bench_steps}"
: "${BEZWAAR:=$ZF_SRCDIR/processes/bezwaar.xml}"
command -v valgrind >/dev/null 2>&1 || { echo "instructions.sh needs valgrind" >&2; exit 1; }
out=${TMPDIR:-/tmp}/zf-instr.$$
trap 'rm -f "$out" "$out".*' EXIT INT TERM
count() { # count LABEL EVENTS ARGS...: instructions inside zf_instance_fire per event
    label=$1 events=$2
    shift 2
    ${LIBTOOL:+$LIBTOOL --mode=execute} valgrind --tool=callgrind --callgrind-out-file="$out.cg" --toggle-collect=zf_instance_fire \
        "$BENCH_STEPS" "$@" >/dev/null 2>"$out.log" || { cat "$out.log" >&2; exit 1; }
    ir=$(sed -n 's/^summary: *//p' "$out.cg")
    awk -v l="$label" -v ir="$ir" -v n="$events" \
        'BEGIN { printf "%-40s %8.0f instructions/event (%d events)\n", l, ir / n, n }'
}
count "bench chart, journal off" 60000 chart 60000
count "bezwaar.xml scenario, journal off" 7000 bezwaar 1000 "$BEZWAAR"
count "bench chart, journal on" 20000 chart 20000 journal
count "bezwaar.xml scenario, journal on" 7000 bezwaar 1000 "$BEZWAAR" journal
