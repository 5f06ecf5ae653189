#!/bin/sh
# The `zaakflow deadline` and `zaakflow calendar` commands: every row of
# tests/data/deadline_examples.csv, explanations, JSON, and exit status 2 for
# each kind of bad input. Needs $ZF_CLI (set by tests/Makefile.am) and $ZF_SRCDIR.
set -u

cli=${ZF_CLI:-../tools/zaakflow}
srcdir=${ZF_SRCDIR:-..}
csv=$srcdir/tests/data/deadline_examples.csv
pass=0
fail=0
tmp=${TMPDIR:-/tmp}/zf-cli-$$
mkdir -p "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_eq NAME GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}

# expect_usage NAME ARGS...: exit status 2 and exactly one line "zaakflow: ..." on stderr.
expect_usage() {
    name=$1
    shift
    "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    lines=$(wc -l <"$tmp/err" | tr -d ' ')
    if [ "$st" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q '^zaakflow: ' "$tmp/err"; then
        ok
    else
        bad "$name: exit $st, stderr: $(cat "$tmp/err")"
    fi
}

# expect_line NAME TEXT ARGS...: the output contains the exact line TEXT.
expect_line() {
    name=$1
    text=$2
    shift 2
    if "$cli" "$@" 2>&1 | grep -Fxq -- "$text"; then ok; else bad "$name: no line '$text'"; fi
}

[ -x "$cli" ] || { echo "no CLI at $cli"; exit 99; }
[ -r "$csv" ] || { echo "no $csv"; exit 99; }

# --- every CSV row ------------------------------------------------------------------
# A small CSV reader in POSIX awk: quoted fields may hold commas and "" quotes.
# Prints case, start_date, expected_end_date, length, atw, suspend, count_from,
# expect separated by '|'.
awk '
function parse(line,    i, c, f, q, n) {
    n = 0; f = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { f = f c; i++ } else q = 0
            } else f = f c
        } else if (c == "\"") q = 1
        else if (c == ",") { fld[++n] = f; f = "" }
        else if (c != "\r") f = f c
    }
    fld[++n] = f
    return n
}
NR == 1 { n = parse($0); for (i = 1; i <= n; i++) col[fld[i]] = i; next }
{
    parse($0)
    print fld[col["case"]] "|" fld[col["start_date"]] "|" fld[col["expected_end_date"]] "|" \
          fld[col["length"]] "|" fld[col["atw"]] "|" fld[col["suspend"]] "|" \
          fld[col["count_from"]] "|" fld[col["expect"]]
}' "$csv" >"$tmp/rows"

rows=0
while IFS='|' read -r name start want length atw suspend count_from expect; do
    rows=$((rows + 1))
    set -- --length "$length"
    if [ "$count_from" = first-day ]; then set -- "$@" --first-day "$start"; else set -- "$@" --from "$start"; fi
    [ "$atw" = off ] && set -- "$@" --no-atw
    [ -n "$suspend" ] && set -- "$@" --suspend "$suspend"
    got=$("$cli" deadline "$@" 2>&1 | head -n 1)
    if [ "$expect" = day-after ]; then
        # The first day after the term (first dwangsom day, earliest beroep):
        # the CLI itself steps one day on, without the Atw.
        got=$("$cli" deadline --from "$got" --length 1d --no-atw 2>&1 | head -n 1)
    fi
    expect_eq "$name" "$got" "$want"
done <"$tmp/rows"
expect_eq "CSV rows read" "$rows" 36

# --- the suspension conventions (Awb 4:15; CSV C17) -------------------------------
got=$("$cli" deadline --from 2025-09-03 --length 2w --suspend 2025-09-08..2025-09-11 \
    --suspend-rule inclusive | head -n 1)
expect_eq "C17 inclusive" "$got" 2025-09-22

# --- an extension (Awb 7:10 lid 3; CSV C11 + C12) ---------------------------------
got=$("$cli" deadline --from 2025-06-13 --length 12w --extend 6w | head -n 1)
expect_eq "C11+C12 from-end" "$got" 2025-10-17

# --- explanations ---------------------------------------------------------------------
expect_line "explain P06 start" "term of 6w from 2026-04-03: starts 2026-04-04 (Awb 6:8)" \
    deadline --from 2026-04-03 --length 6w --explain
expect_line "explain P06 KB" \
    "2026-05-15 is equated with a public holiday: vrijdag na Hemelvaartsdag (Stcrt. 2025, 24713)" \
    deadline --from 2026-04-03 --length 6w --explain
expect_line "explain P06 Saturday" "2026-05-16 is a Saturday (Atw art 1)" \
    deadline --from 2026-04-03 --length 6w --explain
expect_line "explain P06 end" "last day 2026-05-18 (maandag)" \
    deadline --from 2026-04-03 --length 6w --explain
expect_line "explain Koningsdag" "2026-04-27 is a public holiday: Koningsdag (Atw art 3 lid 1)" \
    deadline --from 2026-03-16 --length 6w --explain
expect_line "explain Goede Vrijdag" \
    "2025-04-18 is equated with a public holiday by the Act: Goede Vrijdag (Atw art 3 lid 2)" \
    deadline --from 2025-03-07 --length 6w --explain
expect_line "explain 13 weeks" \
    "the Atw does not apply: term of more than twelve weeks (Atw art 4 lid 1 sub a)" \
    deadline --from 2025-06-13 --length 13w --explain
got=$("$cli" deadline --from 2026-04-03 --length 6w --explain | head -n 1)
expect_eq "explain first line is the date" "$got" 2026-05-18

# --- calendar ---------------------------------------------------------------------------
expect_line "calendar 2026 KB day" \
    "2026-05-15  vrijdag    vrijdag na Hemelvaartsdag  (Stcrt. 2025, 24713)" calendar --year 2026
expect_line "calendar 2025 Koningsdag" \
    "2025-04-26  zaterdag   Koningsdag  (Atw art 3 lid 1)" calendar --year 2025
n=$("$cli" calendar --year 2026 --calendar none | wc -l | tr -d ' ')
expect_eq "calendar none is empty" "$n" 0
cat >"$tmp/gemeente.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<calendar xmlns="urn:zaakflow:calendar:1" id="gemeente" extends="atw">
  <day date="2026-12-31" name="oudejaarsdag: stadhuis gesloten" basis="raadsbesluit"/>
</calendar>
EOF
expect_line "calendar file" \
    "2026-12-31  donderdag  oudejaarsdag: stadhuis gesloten  (raadsbesluit)" \
    calendar --year 2026 --calendar "$tmp/gemeente.xml"
got=$("$cli" deadline --from 2026-11-19 --length 6w --calendar "$tmp/gemeente.xml" | head -n 1)
expect_eq "deadline with a calendar file" "$got" 2027-01-04

# --- JSON -------------------------------------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    for args in "deadline --from 2026-04-03 --length 6w --json" \
        "deadline --from 2025-09-03 --length 2w --suspend 2025-09-08..2025-09-11 --json" \
        "deadline --from 2025-02-28 --length 1y --json" \
        "calendar --year 2026 --json"; do
        # shellcheck disable=SC2086
        if "$cli" $args | python3 -c 'import json,sys; json.load(sys.stdin)'; then
            ok
        else
            bad "JSON of '$args' does not parse"
        fi
    done
    got=$("$cli" deadline --from 2026-04-03 --length 6w --json |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["last_day"], d["atw_applied"], d["steps"][-1]["kind"])')
    expect_eq "JSON fields" "$got" "2026-05-18 True end"
fi

# --- versions: canonical identity, migrate ----------------------------------------------
vdir=$srcdir/tests/data/versions
h1=$("$cli" canonical --hash "$vdir/zaak_1.xml")
# A comment, white space, attribute order and a title keep the hash; a term length does not.
sed -e 's|<state id="a">|<!-- opmerking -->\n  <state  title="Start"   id="a" >|' \
    "$vdir/zaak_1.xml" >"$tmp/cosmetic.xml"
expect_eq "canonical hash after cosmetic edits" "$("$cli" canonical --hash "$tmp/cosmetic.xml")" "$h1"
sed -e 's|length="26w"|length="27w"|' "$vdir/zaak_1.xml" >"$tmp/meaning.xml"
if [ "$("$cli" canonical --hash "$tmp/meaning.xml")" != "$h1" ]; then ok; else
    bad "a term length must change the hash"; fi
expect_line "canonical form" 'term id="top" scope="zaak" start="entry" from="today" length="26w" atw="auto" calendar="atw" suspend-rule="exclusive" extend-rule="from-end" party="bestuursorgaan"' \
    canonical "$vdir/zaak_1.xml"
# Validate accepts a migration with the definitions it names, and positions its errors.
if "$cli" validate "$vdir/zaak_1.xml" "$vdir/zaak_2.xml" "$vdir/zaak_1-2.xml" 2>/dev/null; then ok; else
    bad "validate with a migration document"; fi
sed -e 's|<rename from="oud" to="nieuw"/>||' "$vdir/zaak_1-2.xml" >"$tmp/incomplete.xml"
expect_line "validate an incomplete migration" \
    "$tmp/incomplete.xml:7:3: error: variable 'oud' of zaak@1 is not carried over: rename it, or drop it with <drop var=\"oud\"/> [ZF_ESEMANTIC]" \
    validate "$vdir/zaak_1.xml" "$vdir/zaak_2.xml" "$tmp/incomplete.xml"
expect_line "validate a migration without its definitions" \
    "$tmp/incomplete.xml:2:63: error: process 'zaak' version '2' is not among the definitions validated together [ZF_ESEMANTIC]" \
    validate "$vdir/zaak_1.xml" "$tmp/incomplete.xml"
# A case of version 1 (from a scenario), planned and migrated.
mkdir -p "$tmp/cases" "$tmp/migrated"
"$cli" run --scenario "$vdir/open.xml" --snapshots "$tmp/cases" >/dev/null
"$cli" migrate --plan "$vdir/zaak_1-2.xml" --date 2026-01-05 "$tmp/cases/main.xml" >"$tmp/plan"
expect_eq "migrate --plan exit status" "$?" 0
expect_eq "migrate --plan" "$(cat "$tmp/plan")" "$tmp/cases/main.xml: zaak 1 -> zaak 2 on 2026-01-05
  states     b, b1 -> behandeling, b1
  deadline   top: 2026-05-04 -> 2026-06-01
  deadline   t3: (not running) -> 2026-01-19"
ls "$tmp/migrated" >"$tmp/none"
expect_eq "--plan writes nothing" "$(cat "$tmp/none")" ""
"$cli" migrate "$vdir/zaak_1-2.xml" --date 2026-01-05 --actor beheer --out "$tmp/migrated" \
    "$tmp/cases/main.xml" >/dev/null
expect_eq "migrate --out" "$(grep -c '<migrated name="zaak@1"' "$tmp/migrated/main.xml")" 1
if grep -q 'process="zaak" version="2"' "$tmp/migrated/main.xml"; then ok; else
    bad "the migrated snapshot names version 2"; fi
# Migrating the migrated case again is refused: it runs on version 2 now.
"$cli" migrate --plan "$vdir/zaak_1-2.xml" "$tmp/migrated/main.xml" >/dev/null 2>"$tmp/err"
expect_eq "migrate a case of the wrong version" "$?" 1
if grep -q 'the case runs on zaak 2, the migration is from zaak 1' "$tmp/err"; then ok; else
    bad "wrong-version message: $(cat "$tmp/err")"; fi
if command -v python3 >/dev/null 2>&1; then
    got=$("$cli" migrate --plan --json "$vdir/zaak_1-2.xml" --date 2026-01-05 "$tmp/cases/main.xml" |
        python3 -c 'import json,sys; c=json.load(sys.stdin)[0]; print(c["from"], c["to"], c["after"], c["deadlines"][0])')
    expect_eq "migrate --plan --json" "$got" "1 2 ['behandeling', 'b1'] {'term': 'top', 'before': '2026-05-04', 'after': '2026-06-01'}"
fi
# Sealed snapshots: --out refuses one without its key (the seal would be lost); with
# --key-file the MAC is checked (the migrated case is sealed again: tests/test_migration.c).
sealed=$srcdir/tests/data/snapshot-bezwaar-sealed.xml
"$cli" migrate "$vdir/zaak_1-2.xml" --out "$tmp/migrated" "$sealed" >/dev/null 2>"$tmp/err"
expect_eq "migrate --out a sealed snapshot without its key" "$?" 1
if grep -q 'sealed with a key: give it with --key-file' "$tmp/err"; then ok; else
    bad "sealed without key: $(cat "$tmp/err")"; fi
"$cli" migrate "$vdir/zaak_1-2.xml" --registry "$srcdir/processes" --registry "$vdir" \
    --key-file "$srcdir/tests/data/snapshot.key" --out "$tmp/migrated" "$sealed" >/dev/null 2>"$tmp/err"
if grep -q 'the case runs on bezwaar 2026.1, the migration is from zaak 1' "$tmp/err"; then ok; else
    bad "sealed with its key: $(cat "$tmp/err")"; fi
printf 'een andere sleutel' >"$tmp/other.key"
"$cli" migrate "$vdir/zaak_1-2.xml" --registry "$srcdir/processes" --registry "$vdir" \
    --key-file "$tmp/other.key" --plan "$sealed" >/dev/null 2>"$tmp/err"
if grep -q 'HMAC does not match' "$tmp/err"; then ok; else
    bad "sealed with another key: $(cat "$tmp/err")"; fi
expect_usage "migrate with a missing key file" migrate --plan --key-file "$tmp/none.key" "$vdir/zaak_1-2.xml" x.xml
expect_usage "migrate without --plan or --out" migrate "$vdir/zaak_1-2.xml" "$tmp/cases/main.xml"
expect_usage "migrate without snapshots" migrate --plan "$vdir/zaak_1-2.xml"
expect_usage "migrate with a bad date" migrate --plan --date 2026-13-01 "$vdir/zaak_1-2.xml" x.xml

# --- help ---------------------------------------------------------------------------------
for c in deadline calendar canonical migrate; do
    if "$cli" $c --help | grep -q '^usage: zaakflow '"$c"; then ok; else bad "$c --help"; fi
done

# --- bad input: exit 2, one line on stderr ----------------------------------------------
expect_usage "impossible date" deadline --from 2026-02-30 --length 6w
expect_usage "date not ISO" deadline --from 2026-2-3 --length 6w
expect_usage "unknown unit" deadline --from 2026-04-03 --length 6x
expect_usage "negative length" deadline --from 2026-04-03 --length -6w
expect_usage "empty length" deadline --from 2026-04-03 --length ""
expect_usage "length overflow" deadline --from 2026-04-03 --length 99999999999d
expect_usage "missing --from" deadline --length 6w
expect_usage "missing --length" deadline --from 2026-04-03
expect_usage "missing value" deadline --from 2026-04-03 --length
expect_usage "unknown option" deadline --from 2026-04-03 --length 6w --frobnicate
expect_usage "given twice" deadline --from 2026-04-03 --from 2026-04-04 --length 6w
expect_usage "bad suspension" deadline --from 2026-04-03 --length 6w --suspend 2026-04-10
expect_usage "suspension backwards" deadline --from 2026-04-03 --length 6w \
    --suspend 2026-04-10..2026-04-08
expect_usage "bad suspend rule" deadline --from 2026-04-03 --length 6w --suspend-rule maybe
expect_usage "extension in years" deadline --from 2026-04-03 --length 6w --extend 1y
expect_usage "bad extend rule" deadline --from 2026-04-03 --length 6w --extend-rule later
expect_usage "out of range" deadline --from 9999-12-01 --length 6w
expect_usage "no calendar file" deadline --from 2026-04-03 --length 6w --calendar "$tmp/nope.xml"
printf '<calendar xmlns="urn:zaakflow:calendar:1" id="x" extends="atw">\n<day>\n' >"$tmp/broken.xml"
expect_usage "malformed calendar" deadline --from 2026-04-03 --length 6w --calendar "$tmp/broken.xml"
expect_usage "calendar without year" calendar
expect_usage "calendar bad year" calendar --year 20x6
expect_usage "calendar unknown option" calendar --year 2026 --frobnicate
expect_usage "unknown command" frobnicate

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
