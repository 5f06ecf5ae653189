#!/bin/sh
# Line and branch coverage of the library under `make check` (gcov + lcov from Debian).
# Builds in _build-cov/ with --coverage -O0, runs the whole suite (Check suites, data
# suites, scenarios, CLI and Python tests), and prints lcov's summary for lib/;
# the HTML report goes to _build-cov/coverage/index.html.
# Usage: scripts/coverage.sh   (or `make coverage` from a configured tree)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
command -v lcov >/dev/null 2>&1 || { echo "coverage needs lcov (apt-get install lcov)" >&2; exit 1; }
[ -x configure ] || autoreconf -fi >/dev/null
rm -rf _build-cov && mkdir _build-cov && cd _build-cov
../configure --disable-java CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage" \
    PYTHON="${PYTHON:-/usr/bin/python3}" >configure.out
make -j"$(nproc 2>/dev/null || echo 2)" >make.out 2>&1
make -j"$(nproc 2>/dev/null || echo 2)" check >check.out 2>&1 || {
    echo "make check failed: see _build-cov/check.out" >&2
    exit 1
}
rc="--rc lcov_branch_coverage=1"
lcov -q $rc --capture --directory lib --base-directory lib --output-file all.info 2>/dev/null
# Only the library's own sources: not the embedded data tables nor system headers.
lcov -q $rc --extract all.info "$top/lib/*" --output-file lib.info
lcov -q $rc --remove lib.info '*_data.c' --output-file lib.info
lcov $rc --summary lib.info 2>&1 | sed -n '/lines\|functions\|branches/p'
if command -v genhtml >/dev/null 2>&1; then
    genhtml -q $rc --output-directory coverage lib.info >/dev/null 2>&1 &&
        echo "report: _build-cov/coverage/index.html"
fi
