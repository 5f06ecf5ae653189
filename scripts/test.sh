#!/bin/sh
# The whole test suite, as CI runs it (README "Quick start", second command):
#   1. installs missing Debian build packages (scripts/install-deps.sh),
#   2. builds with -Wall -Wextra -Werror and runs `make check` (Check suites, data
#      suites, scenario tests, CLI tests, Python binding tests),
#   3. builds again with -fsanitize=address,undefined and runs the C tests,
#   4. runs the CLI under valgrind on every shipped process, the fuzzers for a
#      bounded time (when clang is present), an install + pkg-config smoke test,
#      and `make distcheck`.
# Prints "N passed, N failed" last and exits non-zero when anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
# One interpreter throughout (configure, the binding, its tests, pip): Debian's, not
# whatever python3 comes first on PATH (a pyenv python3 shadows it on some machines).
PYTHON=${PYTHON:-/usr/bin/python3}
export PYTHON
passed=0
failed=0
failures=""

note() { printf '\n==> %s\n' "$*"; }
ok() { passed=$((passed + 1)); printf 'PASS: %s\n' "$1"; }
bad() { failed=$((failed + 1)); failures="$failures\n  $1"; printf 'FAIL: %s\n' "$1"; }

# Add the counts of an automake test-suite.log tree to the totals.
count_suite() {
    dir=$1
    label=$2
    for log in $(find "$dir" -name test-suite.log 2>/dev/null); do
        p=$(sed -n 's/^# PASS: *//p' "$log" | head -n1)
        f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n1)
        e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n1)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0} + ${e:-0}))
        if [ "$((${f:-0} + ${e:-0}))" -gt 0 ]; then
            failures="$failures\n  $label: $(grep -E '^(FAIL|ERROR):' "$log" | tr '\n' ' ')"
            grep -E '^(FAIL|ERROR):' "$log"
        fi
    done
}

note "installing build dependencies"
"$top/scripts/install-deps.sh" || { echo "cannot install dependencies" >&2; exit 1; }

note "bootstrapping"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }
fi

note "build with -Werror and make check"
rm -rf _build && mkdir _build
if (cd _build && ../configure --enable-werror --prefix="$top/_build/inst" PYTHON="$PYTHON" >configure.out 2>&1 &&
    make -j"$jobs" >make.out 2>&1); then
    ok "build (-Wall -Wextra -Werror)"
    (cd _build && make -j"$jobs" check >check.out 2>&1) || true
    count_suite _build/tests "make check"
    [ -n "$(find _build/tests -name test-suite.log)" ] || bad "make check produced no test-suite.log"
else
    bad "build (-Wall -Wextra -Werror): see _build/make.out"
    tail -n 40 _build/configure.out _build/make.out 2>/dev/null
fi

note "build with -fsanitize=address,undefined and run the C tests"
rm -rf _build-asan && mkdir _build-asan
san="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
if (cd _build-asan && ../configure --disable-shared --disable-python --disable-java CFLAGS="$san" \
        LDFLAGS="-fsanitize=address,undefined" >configure.out 2>&1 &&
    make -j"$jobs" >make.out 2>&1); then
    ok "build (sanitizers)"
    (cd _build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        make -j"$jobs" check >check.out 2>&1) || true
    count_suite _build-asan/tests "sanitizer make check"
else
    bad "build (sanitizers): see _build-asan/make.out"
    tail -n 40 _build-asan/make.out 2>/dev/null
fi

if [ -x _build/tools/zaakflow ]; then
    note "valgrind: the CLI on the shipped processes"
    vg="_build/libtool --mode=execute valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
    for f in processes/*.xml; do
        [ -f "$f" ] || continue
        $vg _build/tools/zaakflow validate "$f" >/dev/null 2>_build/vg.out
        if [ $? -eq 99 ]; then bad "valgrind validate $f"; cat _build/vg.out; else ok "valgrind validate $f"; fi
    done
    $vg _build/tools/zaakflow validate tests/defs/invalid/*/input.xml >/dev/null 2>_build/vg.out
    if [ $? -eq 99 ]; then bad "valgrind validate invalid definitions"; cat _build/vg.out; else ok "valgrind validate invalid definitions"; fi
    $vg _build/tools/zaakflow deadline --from 2026-04-03 --length 6w --explain >/dev/null 2>_build/vg.out
    if [ $? -eq 99 ]; then bad "valgrind deadline"; cat _build/vg.out; else ok "valgrind deadline"; fi
    if ls tests/scenarios/*.xml >/dev/null 2>&1; then
        $vg _build/tools/zaakflow test tests/scenarios/*.xml >/dev/null 2>_build/vg.out
        if [ $? -eq 99 ]; then bad "valgrind test scenarios"; cat _build/vg.out; else ok "valgrind test scenarios"; fi
    fi
fi

if command -v clang >/dev/null 2>&1 && [ -d fuzz ]; then
    note "fuzzing (bounded)"
    if (cd _build && make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-30}" >fuzz.out 2>&1); then
        ok "fuzz targets"
    else
        bad "fuzz targets: see _build/fuzz.out"
        tail -n 30 _build/fuzz.out
    fi
fi

note "install and build a program with pkg-config"
if (cd _build && make install >install.out 2>&1); then
    cat >_build/smoke.c <<'CEOF'
#include <zaakflow.h>
#include <stdio.h>
int main(void) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT; zf_term_result res; char buf[ZF_DATE_BUFSIZE];
    if (zf_date_parse(&spec.trigger, "2026-04-03", NULL) != ZF_OK) return 1;
    spec.length.n = 6; spec.length.unit = ZF_UNIT_WEEK;
    if (zf_term_compute(&res, &spec, NULL) != ZF_OK) return 1;
    puts(zf_date_format(buf, res.end));
    return 0;
}
CEOF
    pc="PKG_CONFIG_PATH=$top/_build/inst/lib/pkgconfig"
    if env $pc sh -c 'cc -std=c11 -o _build/smoke _build/smoke.c $(pkg-config --cflags --libs zaakflow)' &&
        [ "$(LD_LIBRARY_PATH=$top/_build/inst/lib _build/smoke)" = "2026-05-18" ]; then
        ok "installed library via pkg-config"
    else
        bad "installed library via pkg-config"
    fi
    # The Python package as installed: named with the interpreter's ABI tag, in the
    # directory configure chose (the prefix here is one Python does not search).
    pyrel=$("$PYTHON" build-aux/python-sitedir.py "$top/_build/inst" | sed -n 1p)
    if [ -d _build/bindings/python/stage ]; then
        if (cd _build && env -u LD_LIBRARY_PATH PYTHONPATH="$top/_build/inst/$pyrel" "$PYTHON" -c '
import os, sys, sysconfig, zaakflow
pkg = os.path.dirname(zaakflow.__file__)
assert pkg.startswith(sys.argv[1]), pkg
assert os.path.exists(os.path.join(pkg, "_core" + sysconfig.get_config_var("EXT_SUFFIX")))
' "$top/_build/inst/"); then
            ok "installed Python package ($pyrel)"
        else
            bad "installed Python package ($pyrel)"
        fi
        # pip install ./bindings/python: offline, in a fresh venv, against the
        # installed library found through pkg-config.
        rm -rf _build/venv bindings/python/build bindings/python/*.egg-info
        if "$PYTHON" -m venv --system-site-packages _build/venv >_build/venv.out 2>&1 &&
            env -u PYTHONPATH PKG_CONFIG_PATH="$top/_build/inst/lib/pkgconfig" \
                _build/venv/bin/python -m pip install --no-build-isolation --no-index \
                ./bindings/python >_build/pip.out 2>&1 &&
            (cd _build && env -u PYTHONPATH -u LD_LIBRARY_PATH venv/bin/python -c '
import datetime, zaakflow
assert zaakflow.deadline(datetime.date(2026, 4, 3), "6w").last_day == datetime.date(2026, 5, 18)
print(zaakflow.__file__)'); then
            ok "pip install ./bindings/python (offline venv, installed libzaakflow)"
        else
            bad "pip install ./bindings/python: see _build/pip.out"
            tail -n 30 _build/venv.out _build/pip.out 2>/dev/null
        fi
        rm -rf bindings/python/build bindings/python/*.egg-info
    fi
else
    bad "make install: see _build/install.out"
fi

if [ "${ZF_SKIP_DISTCHECK:-0}" != 1 ]; then
    note "make distcheck"
    if (cd _build && make -j"$jobs" distcheck >distcheck.out 2>&1); then
        ok "make distcheck"
    else
        bad "make distcheck: see _build/distcheck.out"
        tail -n 40 _build/distcheck.out
    fi
fi

printf '\n'
[ "$failed" -eq 0 ] || printf 'failures:%b\n' "$failures"
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
