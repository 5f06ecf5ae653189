#!/bin/sh
# `zaakflow snapshot info`: what a snapshot is of, without its definition; the digest
# and, with --key-file, the MAC checked; JSON; exit status 1 for a refused snapshot and 2
# for bad usage. Needs $ZF_CLI (set by tests/Makefile.am) and $ZF_SRCDIR.
set -u
cli=${ZF_CLI:-../tools/zaakflow}
srcdir=${ZF_SRCDIR:-..}
data=$srcdir/tests/data
pass=0
fail=0
tmp=${TMPDIR:-/tmp}/zf-snapcli-$$
mkdir -p "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
[ -x "$cli" ] || { echo "no CLI at $cli"; exit 99; }

# expect NAME STATUS ARGS...: the exit status; output in $tmp/out, $tmp/err
expect() {
    name=$1
    want=$2
    shift 2
    "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    if [ "$st" -eq "$want" ]; then ok; else bad "$name: exit $st, want $want: $(cat "$tmp/err")"; fi
}
has() { # has NAME FILE LINE
    if grep -Fxq -- "$3" "$2"; then ok; else bad "$1: no line '$3' in: $(cat "$2")"; fi
}

expect "info" 0 snapshot info "$data/snapshot-bezwaar.xml"
has "process" "$tmp/out" "process   bezwaar"
has "version" "$tmp/out" "version   2026.1"
has "date" "$tmp/out" "date      2026-05-12"
has "steps" "$tmp/out" "steps     2"
has "open" "$tmp/out" "case      open"
has "next due" "$tmp/out" "next due  2026-08-10 (beslistermijn)"
has "journal" "$tmp/out" "journal   2 entries"
has "not sealed" "$tmp/out" "sealed    no (sha256 digest only)"

expect "json" 0 snapshot info --json "$data/snapshot-bezwaar.xml"
if grep -q '"process": "bezwaar", "version": "2026.1", "hash": "[0-9a-f]\{64\}", "date": "2026-05-12", "steps": 2, "finished": false, "outcome": null, "next_due": "2026-08-10", "next_term": "beslistermijn", "journal_entries": 2, "sealed": false}' "$tmp/out"; then ok; else bad "json: $(cat "$tmp/out")"; fi
if command -v python3 >/dev/null 2>&1; then
    if python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out"; then ok; else bad "json does not parse"; fi
fi

# The key: its MAC checked; a snapshot without one, or under another key, refused.
expect "sealed" 0 snapshot info --key-file "$data/snapshot.key" "$data/snapshot-bezwaar-sealed.xml"
has "sealed yes" "$tmp/out" "sealed    yes (hmac-sha256)"
expect "sealed, no key" 0 snapshot info "$data/snapshot-bezwaar-sealed.xml"
expect "unsealed with a key" 1 snapshot info --key-file "$data/snapshot.key" "$data/snapshot-bezwaar.xml"
if grep -q "not sealed with a key" "$tmp/err"; then ok; else bad "unsealed: $(cat "$tmp/err")"; fi
printf 'another key' >"$tmp/key"
expect "other key" 1 snapshot info --key-file "$tmp/key" "$data/snapshot-bezwaar-sealed.xml"
if grep -q "HMAC does not match" "$tmp/err"; then ok; else bad "other key: $(cat "$tmp/err")"; fi

# A changed byte: corrupt (file:line:column, the code).
sed 's/date="2026-05-12" seq/date="2026-05-13" seq/' "$data/snapshot-bezwaar.xml" >"$tmp/changed.xml"
expect "corrupt" 1 snapshot info "$tmp/changed.xml"
if grep -q "changed.xml:[0-9]*:[0-9]*: error: the snapshot is corrupt.*\[ZF_ESNAPSHOT\]" "$tmp/err"; then ok; else bad "corrupt: $(cat "$tmp/err")"; fi
printf '<snapshot' >"$tmp/cut.xml"
expect "not XML" 1 snapshot info "$tmp/cut.xml"
if grep -q "\[ZF_EPARSE\]" "$tmp/err"; then ok; else bad "not XML: $(cat "$tmp/err")"; fi

# Usage.
expect "no subcommand" 2 snapshot
expect "unknown subcommand" 2 snapshot show "$data/snapshot-bezwaar.xml"
expect "no file" 2 snapshot info
expect "missing file" 2 snapshot info "$tmp/nothing.xml"
expect "bad option" 2 snapshot info --jsn "$data/snapshot-bezwaar.xml"
expect "help" 0 snapshot --help

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
