#!/bin/sh
# Quick start, first command: install what the build needs (when missing), build
# zaakflow in _build/, and run the main job on real examples.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# One interpreter for configure, the binding and its tests: Debian's, not whatever
# python3 comes first on PATH (a pyenv python3 may shadow it).
PYTHON=${PYTHON:-/usr/bin/python3}
export PYTHON
"$top/scripts/install-deps.sh"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    autoreconf -fi >/dev/null 2>&1
fi
mkdir -p _build
cd _build
[ -f Makefile ] || ../configure --prefix="$top/_build/inst" PYTHON="$PYTHON" >configure.out 2>&1 ||
    { tail -n 30 configure.out; exit 1; }
make -j"$(nproc 2>/dev/null || echo 2)" >make.out 2>&1 || { tail -n 40 make.out; exit 1; }
zf=./tools/zaakflow
run() { printf '\n$ zaakflow %s\n' "$*"; $zf "$@"; }
# The main job: one citizen's case from a Wmo melding through a late decision (dwangsom),
# bezwaar and beroep to hoger beroep, every spawned case followed, real dates across holidays.
run run ../processes/wmo_melding.xml --scenario ../tests/scenarios/keten_wmo_tot_hoger_beroep.xml
run deadline --from 2026-04-03 --length 6w --explain
run deadline --from 2025-09-03 --length 2w --suspend 2025-09-08..2025-09-11 --explain
run deadline --from 2025-02-28 --length 1y --explain
[ -f ../processes/bezwaar.xml ] && run validate ../processes/bezwaar.xml && echo "(valid)"

# A small municipality's day on the embedded case store (a SQLite file): the
# definitions kept, cases started and changed, the worker moving the calendar
# (it expires what is due, one transaction per case), and the due report: who
# must act on what, by when. The dates are fixed, so the output is too.
if $zf store --help >/dev/null 2>&1; then
    rm -rf demo-store && mkdir demo-store
    ZAAKFLOW_STORE=sqlite:demo-store/gemeente.db
    export ZAAKFLOW_STORE
    run store add ../processes/wmo_melding.xml ../processes/bezwaar.xml ../processes/beroep.xml \
        ../processes/hoger_beroep.xml ../processes/dwangsom.xml
    run case start wmo_melding --date 2026-03-02 --var gemeld=2026-03-02
    run case start bezwaar --date 2026-03-02 --var verzonden=2026-02-26 --var commissie_gemeld=true
    run case start bezwaar --date 2026-03-03 --var verzonden=2026-01-20 --var commissie_gemeld=true
    run case start dwangsom --date 2026-03-03 --var beslistermijn_einde=2026-02-20 \
        --var ontvangen=2026-03-03
    run case fire 3 bezwaarschrift_ontvangen --date 2026-03-03 --actor jan --role behandelaar \
        --param ontvangen=2026-03-02 --param per_post=false --revision 1
    run due --until 2026-04-30
    run worker --until 2026-03-31
    run case list
    run due --until 2026-04-30
    run due --until 2026-06-30 --party bestuursorgaan
    run outbox list --status pending
    run case show 4
fi
exit 0
