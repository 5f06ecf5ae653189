#!/bin/sh
# Data suites of the definition loader (STYLE.md section 6):
#  - every tests/defs/valid/*.xml validates with no findings (`validate --werror`),
#    alone and all together, and against schemas/process.xsd with xmllint;
#  - processes/*.xml validate together without errors (and with xmllint);
#  - every tests/defs/invalid/<case>/ gives exactly the lines in `expected` when
#    `zaakflow validate input.xml` runs inside the case directory (or with the
#    arguments in the case's `args` file, e.g. `--strict input.xml` or several
#    files), with exit status 2 for ZF_EIO, 1 for other errors, 0 for warnings only;
#  - every tests/defs/valid/<case>/ directory validates cleanly (`validate --werror`
#    with its `args`, or all its *.xml files);
#  - hostile files too large to keep in the tree are generated here.
# Uses $ZF_CLI (exported by tests/Makefile.am) and $ZF_SRCDIR.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${ZF_SRCDIR:-$(cd "$here/../.." && pwd)}
cli=${ZF_CLI:-}
if [ -z "$cli" ] || [ ! -x "$cli" ]; then
    echo "run-suite.sh: set ZF_CLI to the zaakflow program" >&2
    exit 99
fi
defs=$srcdir/tests/defs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zf-defs.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}

have_xmllint=no
if command -v xmllint >/dev/null 2>&1; then
    have_xmllint=yes
fi
schema_check() {
    [ "$have_xmllint" = yes ] || return 0
    if xmllint --noout --nonet --schema "$srcdir/schemas/process.xsd" "$1" >"$tmp/xmllint" 2>&1; then
        pass
    else
        fail "xmllint --schema $1"
        cat "$tmp/xmllint"
    fi
}

# Expected exit status of `validate` from the expected lines.
expected_status() {
    if grep -q '\[ZF_EIO\]$' "$1"; then
        echo 2
    elif grep -q ': error: ' "$1"; then
        echo 1
    else
        echo 0
    fi
}

# ---- valid definitions ---------------------------------------------------------------
valid_files=
for f in "$defs"/valid/*.xml; do
    [ -f "$f" ] || continue
    valid_files="$valid_files $f"
    if "$cli" validate --werror "$f" >"$tmp/out" 2>"$tmp/err"; then
        pass
    else
        fail "valid/$(basename "$f") does not validate cleanly"
        cat "$tmp/err"
    fi
    schema_check "$f"
done
# shellcheck disable=SC2086
if "$cli" validate --werror $valid_files >"$tmp/out" 2>"$tmp/err"; then
    pass
else
    fail "valid/*.xml together"
    cat "$tmp/err"
fi

# The twins of the invalid cases that need more than one file, or options.
for d in "$defs"/valid/*/; do
    [ -d "$d" ] || continue
    name=$(basename "$d")
    args=
    if [ -f "$d/args" ]; then
        args=$(cat "$d/args")
    else
        args=$(cd "$d" && ls ./*.xml)
    fi
    # shellcheck disable=SC2086
    if (cd "$d" && "$cli" validate --werror $args) >"$tmp/out" 2>"$tmp/err"; then
        pass
    else
        fail "valid/$name/ does not validate cleanly"
        cat "$tmp/err"
    fi
done

# ---- the shipped processes ---------------------------------------------------------------
proc_files=
for f in "$srcdir"/processes/*.xml; do
    [ -f "$f" ] || continue
    proc_files="$proc_files $f"
    schema_check "$f"
done
if [ -n "$proc_files" ]; then
    # shellcheck disable=SC2086
    if "$cli" validate --werror $proc_files >"$tmp/out" 2>"$tmp/err"; then
        pass
    else
        fail "processes/*.xml do not validate together"
        cat "$tmp/err"
    fi
    # Each alone: what it spawns is found beside it.
    for f in $proc_files; do
        if "$cli" validate --werror --strict "$f" >"$tmp/out" 2>"$tmp/err"; then
            pass
        else
            fail "$(basename "$f") alone does not validate cleanly"
            cat "$tmp/err"
        fi
    done
fi

# ---- invalid definitions ---------------------------------------------------------------
for d in "$defs"/invalid/*/; do
    [ -f "$d/expected" ] || continue
    name=$(basename "$d")
    want=$(expected_status "$d/expected")
    args=input.xml
    [ -f "$d/args" ] && args=$(cat "$d/args")
    # shellcheck disable=SC2086
    (cd "$d" && "$cli" validate $args) >"$tmp/out" 2>"$tmp/err"
    got=$?
    if ! diff -u "$d/expected" "$tmp/err" >"$tmp/diff"; then
        fail "invalid/$name: diagnostics differ"
        cat "$tmp/diff"
    elif [ "$got" != "$want" ]; then
        fail "invalid/$name: exit status $got, expected $want"
    else
        pass
    fi
done

# ---- generated hostile files ------------------------------------------------------------
# gen_case NAME EXPECTED-LINE AWK-PROGRAM
gen_case() {
    mkdir -p "$tmp/$1"
    awk -v head="$head" "$3" </dev/null >"$tmp/$1/input.xml"
    printf '%s\n' "$2" >"$tmp/$1/expected"
    (cd "$tmp/$1" && "$cli" validate input.xml) >"$tmp/out" 2>"$tmp/err"
    got=$?
    if ! diff -u "$tmp/$1/expected" "$tmp/err" >"$tmp/diff"; then
        fail "generated/$1: diagnostics differ"
        cat "$tmp/diff"
    elif [ "$got" != 1 ]; then
        fail "generated/$1: exit status $got, expected 1"
    else
        pass
    fi
    rm -rf "${tmp:?}/$1"
}

head='<process xmlns="urn:zaakflow:process:1" id="p">'
gen_case deep-nesting \
    'input.xml:1:3618: error: elements are nested deeper than 256 levels [ZF_EPARSE]' \
    "BEGIN { printf \"%s\", head; for (i = 0; i < 200000; i++) printf \"<state id=\\\"x\\\">\";
             for (i = 0; i < 200000; i++) printf \"</state>\"; print \"</process>\" }"
gen_case huge-attribute \
    'input.xml: error: file is larger than 16 MiB [ZF_EPARSE]' \
    "BEGIN { s = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\";
             s = s s s s s s s s s s; printf \"<process xmlns=\\\"urn:zaakflow:process:1\\\" id=\\\"p\\\" title=\\\"\";
             for (i = 0; i < 30000; i++) printf \"%s\", s; print \"\\\"><state id=\\\"x\\\"/></process>\" }"
gen_case long-attribute \
    'input.xml:1:1: error: value of attribute '\''title'\'' is longer than 64 KiB [ZF_EPARSE]' \
    "BEGIN { s = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\";
             printf \"<process xmlns=\\\"urn:zaakflow:process:1\\\" id=\\\"p\\\" title=\\\"\";
             for (i = 0; i < 1000; i++) printf \"%s\", s; print \"\\\"><state id=\\\"x\\\"/></process>\" }"
gen_case too-many-elements \
    'input.xml:1:800040: error: more than 100000 elements [ZF_EPARSE]' \
    "BEGIN { printf \"%s\", head; for (i = 0; i < 100001; i++) printf \"<basis/>\";
             print \"<state id=\\\"x\\\"/></process>\" }"

# ---- command line ---------------------------------------------------------------------
"$cli" validate >"$tmp/out" 2>"$tmp/err"
if [ $? = 2 ]; then pass; else fail "validate without files must exit 2"; fi
(cd "$defs/invalid/unknown-target" && "$cli" validate --json input.xml) >"$tmp/out" 2>"$tmp/err"
if [ $? = 1 ] && grep -q '"check": "unknown-target"' "$tmp/out" && [ ! -s "$tmp/err" ]; then
    pass
else
    fail "validate --json"
    cat "$tmp/out" "$tmp/err"
fi
(cd "$defs/invalid/warn-unused-event" && "$cli" validate --werror input.xml) >/dev/null 2>&1
if [ $? = 1 ]; then pass; else fail "validate --werror with warnings must exit 1"; fi
"$cli" dot "$defs/valid/statechart.xml" >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ] && grep -q 'subgraph "cluster_p"' "$tmp/out"; then
    pass
else
    fail "dot"
    cat "$tmp/err"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || exit 1
exit 0
