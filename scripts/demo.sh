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
exit 0
