#!/bin/sh
# The case store's commands: zaakflow store add, case start|fire|advance|show|list,
# due (--party), worker, outbox list|claim|release|ack, text and --json, the default
# store (sqlite:zaakflow.db in the current directory), $ZAAKFLOW_STORE, the exit
# statuses (0 done; 1 the case said no: a conflict, an event not enabled, an unknown
# case, process or item; 2 usage, invalid values, the database) and that a refused
# step changes nothing.
#   test_store_cli.sh            on the default store, in a temporary directory
#   ZF_STORE_URL=URL test_store_cli.sh   on URL (an empty store; test_store_pg.sh
#                                        runs it on a PostgreSQL database of its own)
# Needs $ZF_CLI and $ZF_SRCDIR (set by tests/Makefile.am).
set -u

cli=${ZF_CLI:-../tools/zaakflow}
srcdir=${ZF_SRCDIR:-..}
case $srcdir in /*) ;; *) srcdir=$(cd "$srcdir" && pwd) ;; esac
case $cli in */*) cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli") ;; esac
procs=$srcdir/processes
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zf-store-cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

[ -x "$cli" ] || { echo "no CLI at $cli"; exit 99; }
"$cli" store --help >/dev/null 2>&1 || { echo "SKIP: the CLI has no case store"; exit 77; }

cd "$tmp" || exit 99
if [ -n "${ZF_STORE_URL:-}" ]; then
    ZAAKFLOW_STORE=$ZF_STORE_URL
    export ZAAKFLOW_STORE
    where=$ZF_STORE_URL
else
    # No --store, no $ZAAKFLOW_STORE: sqlite:zaakflow.db here.
    unset ZAAKFLOW_STORE
    where=sqlite
fi

# z ARGS...: run the CLI; its stdout in $tmp/out, stderr in $tmp/err, status in $st.
z() {
    "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
}

# expect NAME STATUS: the last command exited STATUS.
expect() {
    if [ "$st" -eq "$2" ]; then ok; else bad "$1: exit $st, want $2; stderr: $(cat "$tmp/err")"; fi
}

# expect_out NAME TEXT: the last command's stdout is exactly TEXT.
expect_out() {
    if [ "$(cat "$tmp/out")" = "$2" ]; then
        ok
    else
        bad "$1: got"
        sed 's/^/    | /' "$tmp/out"
        echo "  want"
        printf '%s\n' "$2" | sed 's/^/    | /'
    fi
}

# expect_line NAME TEXT: the last command's stdout has the exact line TEXT.
expect_line() {
    if grep -Fxq -- "$2" "$tmp/out"; then ok; else bad "$1: no line '$2' in: $(cat "$tmp/out")"; fi
}

# expect_no NAME TEXT: no line of the last command's stdout contains TEXT.
expect_no() {
    if grep -Fq -- "$2" "$tmp/out"; then bad "$1: '$2' in: $(cat "$tmp/out")"; else ok; fi
}

# expect_err NAME TEXT: the last command's stderr is one line containing TEXT.
expect_err() {
    if [ "$(wc -l <"$tmp/err" | tr -d ' ')" = 1 ] && grep -Fq -- "$2" "$tmp/err"; then
        ok
    else
        bad "$1: stderr '$(cat "$tmp/err")' lacks '$2'"
    fi
}

# ---- definitions ------------------------------------------------------------------
z store add "$procs/bezwaar.xml" "$procs/beroep.xml" "$procs/dwangsom.xml"
expect "store add" 0
expect_line "store add prints what it kept" \
    "bezwaar 2026.1 (hash $("$cli" canonical --hash "$procs/bezwaar.xml" | cut -c1-12))"
expect_line "store add prints a validity" \
    "dwangsom 2026.1 (hash $("$cli" canonical --hash "$procs/dwangsom.xml" | cut -c1-12), valid from 2019-01-01)"
if [ "$where" = sqlite ]; then
    if [ -f zaakflow.db ]; then ok; else bad "the default store is not ./zaakflow.db"; fi
fi
z store add "$procs/bezwaar.xml" --json
expect "store add again" 0
z store add "$srcdir/tests/defs/invalid/unknown-target/input.xml"
expect "store add of an invalid definition" 2
z store add
expect "store add without files" 2

# ---- starting cases ---------------------------------------------------------------------
z case start bezwaar --date 2026-03-02 --var verzonden=2026-02-26 --var commissie_gemeld=true
expect "case start" 0
expect_out "case start" "case 1 started: revision 1, 1 journal entry, 0 effects, 0 cases spawned"
z case start bezwaar --date 2026-03-02 --var verzonden=2026-03-02 --var commissie_gemeld=true --json
expect "case start --json" 0
expect_out "case start --json" \
    '{"case":2,"revision":1,"entries":1,"expired":0,"effects":0,"spawned":0}'
# A definition file is added first.
z case start "$srcdir/tests/data/store/herinnering.xml" --date 2026-01-05 --var vanaf=2026-01-05
expect "case start FILE" 0
expect_out "case start FILE" "case 3 started: revision 1, 1 journal entry, 0 effects, 0 cases spawned"
# The library reads no clock: a case needs its date.
z case start bezwaar --var verzonden=2026-03-02
expect "case start without --date" 2
expect_err "case start without --date" "--date DATE is required"
z case start bezwaar --date 2026-03-02
expect "case start without a required variable" 2
z case start onbekend --date 2026-03-02
expect "case start of an unknown process" 1
expect_err "case start of an unknown process" "ZF_ENOTFOUND"
z case list --json
expect_no "refused starts store nothing" '"id":4'

# ---- firing, with and without the revision check ----------------------------------------
fire1() {
    z case fire 1 bezwaarschrift_ontvangen --date 2026-03-03 --actor jan --role behandelaar \
        --param ontvangen=2026-03-02 --param per_post=false "$@"
}
fire1 --revision 1
expect "case fire --revision 1" 0
expect_out "case fire" "case 1 changed: revision 2, 1 journal entry, 1 effect, 0 cases spawned"
z case show 1 --snapshot
cp "$tmp/out" "$tmp/snap.before"
fire1 --revision 1
expect "case fire on a stale revision" 1
expect_err "case fire on a stale revision" \
    "case 1 was changed by someone else: it is at revision 2, not 1 [ZF_ECONFLICT]"
z case fire 1 nonsense --date 2026-03-04
expect "case fire of an unknown event" 1
z case fire 1 bezwaarschrift_ontvangen --date 2026-03-01 --param ontvangen=2026-03-01 \
    --param per_post=false
expect "case fire dated before the case" 2
z case show 1 --snapshot
if cmp -s "$tmp/out" "$tmp/snap.before"; then ok; else bad "a refused fire changed case 1"; fi
z case list --json
if grep -q '{"id":1,"revision":2,' "$tmp/out"; then ok; else bad "case 1 is not at revision 2"; fi
z case fire 99 bezwaarschrift_ontvangen --date 2026-03-03
expect "case fire on no case" 1
expect_err "case fire on no case" "no case 99 [ZF_ENOTFOUND]"
z case fire 1 bezwaarschrift_ontvangen --date 2026-03-03 --revision 0
expect "--revision 0" 2

# ---- the due report: only terms someone still has to act on -------------------------------
z due --until 2026-12-31
expect "due" 0
expect_out "due" "last day    case    process           term                          who must act      basis
2026-01-19  3       herinnering       reactietermijn                -                 test
2026-04-13  2       bezwaar           bezwaartermijn                belanghebbende    Awb 6:7; Awb 6:8 lid 1
2026-04-20  2       bezwaar           postontvangsttermijn          belanghebbende    Awb 6:9 lid 2
2026-07-02  1       bezwaar           beslistermijn                 bestuursorgaan    Awb 7:10 lid 1"
z due --until 2026-12-31 --party bestuursorgaan --json
expect "due --party --json" 0
expect_out "due --party --json" \
    '[{"last_day":"2026-07-02","case":1,"process":"bezwaar","term":"beslistermijn","title":"Beslistermijn op bezwaar","party":"bestuursorgaan","basis":"Awb 7:10 lid 1"}]'
z due --until 2026-04-13 --party belanghebbende
expect_out "due --until --party" "last day    case    process           term                          who must act      basis
2026-04-13  2       bezwaar           bezwaartermijn                belanghebbende    Awb 6:7; Awb 6:8 lid 1"
z due --until 2026-02-30
expect "due with a bad date" 2

# ---- time passing: advance and the worker -------------------------------------------------
z case advance 2 --date 2026-05-01 --revision 1
expect "case advance" 0
expect_out "case advance" "case 2 advanced: revision 2, 2 journal entries, 0 effects, 0 cases spawned"
z case show 2 --json
if grep -q '"terms":\[{"id":"bezwaartermijn","status":"expired","last_day":"2026-04-13"' "$tmp/out"; then
    ok
else
    bad "case show --json after advance: $(cat "$tmp/out")"
fi
z case show 2
expect_line "case show" "case 2: bezwaar 2026.1, revision 2"
expect_line "case show: the states" "states:    registratie"
# The herinnering's term ran out on 19 January: the worker expires it on the 20th,
# which starts a deelzaak (its week runs out on the 27th, expired on the 28th).
z worker --until 2026-02-01
expect "worker" 0
expect_out "worker" "worker until 2026-02-01: 2 cases, 2 expirations, 0 skipped, 0 failed"
z worker --until 2026-02-01 --json
expect_out "worker again" '{"until":"2026-02-01","cases":0,"expired":0,"skipped":0,"failed":0,"batches":1}'
z case list --process herinnering
expect_out "case list --process" "case    process                rev  date        next due    states / outcome
3       herinnering              2  2026-01-20  -           outcome: verlopen
4       herinnering              2  2026-01-28  -           outcome: verlopen"
z case list --process herinnering --json --after 3
if grep -q '"id":4,.*"parent":3,"relation":"deelzaak"' "$tmp/out" && ! grep -q '"id":3,' "$tmp/out"; then
    ok
else
    bad "case list --after: $(cat "$tmp/out")"
fi
z case list --open --json
if grep -q '"id":1,' "$tmp/out" && grep -q '"id":2,' "$tmp/out" && ! grep -q '"id":3,' "$tmp/out"; then
    ok
else
    bad "case list --open: $(cat "$tmp/out")"
fi
z case list --finished --limit 1
expect_out "case list --finished --limit" "case    process                rev  date        next due    states / outcome
3       herinnering              2  2026-01-20  -           outcome: verlopen"
z due --until 2026-12-31 --party belanghebbende
expect_out "due after advance" ""

# ---- the outbox ---------------------------------------------------------------------------
z outbox list --status pending --json
n=$(grep -o '"id":' "$tmp/out" | wc -l | tr -d ' ')
if [ "$n" = 4 ]; then ok; else bad "outbox: $n pending items, want 4: $(cat "$tmp/out")"; fi
if grep -q '"key":"1/2/0"' "$tmp/out" && grep -q '"key":"3/2/1"' "$tmp/out"; then
    ok
else
    bad "outbox keys: $(cat "$tmp/out")"
fi
z outbox claim --max 1 --json
expect "outbox claim" 0
if grep -q '^\[{"id":1,"status":"claimed","attempts":1,' "$tmp/out"; then ok; else bad "outbox claim: $(cat "$tmp/out")"; fi
z outbox release 1 --reason "smtp down"
expect "outbox release" 0
z outbox release 1
expect "outbox release of an item not claimed" 1
z outbox list --case 1 --json
if grep -q '"id":1,"status":"pending","attempts":1,"error":"smtp down"' "$tmp/out"; then
    ok
else
    bad "outbox after release: $(cat "$tmp/out")"
fi
z outbox claim --max 10
expect "outbox claim all" 0
[ "$(grep -c ' claimed ' "$tmp/out")" = 4 ] && ok || bad "outbox claim --max 10: $(cat "$tmp/out")"
z outbox ack 1 2 3 4
expect "outbox ack" 0
z outbox ack 1
expect "outbox ack again" 0
z outbox ack 77
expect "outbox ack of no item" 1
expect_err "outbox ack of no item" "ZF_ENOTFOUND"
z outbox list --status done --json
[ "$(grep -o '"status":"done"' "$tmp/out" | wc -l | tr -d ' ')" = 4 ] && ok ||
    bad "outbox done: $(cat "$tmp/out")"
z outbox claim
expect_out "outbox claim of nothing" ""

# ---- versions: a case starts on the version valid on its start date ----------------------
z store add "$procs/dwangsom_2018.xml"
expect "store add of the 2018 dwangsom" 0
expect_line "store add prints both sides of a validity" \
    "dwangsom 2018.1 (hash $("$cli" canonical --hash "$procs/dwangsom_2018.xml" | cut -c1-12), valid from 2009-10-01, valid until 2018-12-31)"
z case start dwangsom --date 2018-05-10 --var beslistermijn_einde=2018-05-01 \
    --var ontvangen=2018-05-10 --json
expect_out "case start dwangsom in 2018" \
    '{"case":5,"revision":1,"entries":1,"expired":0,"effects":1,"spawned":0}'
z case start dwangsom@2026.1 --date 2018-05-10 --var beslistermijn_einde=2018-05-01 \
    --var ontvangen=2018-05-10 --json
expect "case start PROCESS@VERSION" 0
z case list --process dwangsom --json
if grep -q '"id":5,"revision":1,"process":"dwangsom","version":"2018.1"' "$tmp/out" &&
    grep -q '"id":6,"revision":1,"process":"dwangsom","version":"2026.1"' "$tmp/out"; then
    ok
else
    bad "the dwangsom cases' versions: $(cat "$tmp/out")"
fi
z case start dwangsom --date 2009-01-01 --var beslistermijn_einde=2008-12-01 \
    --var ontvangen=2009-01-01
expect "case start with no version valid" 1
expect_err "case start with no version valid" \
    "no version of process 'dwangsom' is valid on 2009-01-01 (2026.1 from 2019-01-01; 2018.1 2009-10-01 to 2018-12-31) [ZF_ENOTFOUND]"

# ---- usage and the store URL -------------------------------------------------------------
z case list --store nosuch:x
expect "an unknown store URL" 2
expect_err "an unknown store URL" "[ZF_EINVAL]"
z case show abc
expect "case show abc" 2
z case frobnicate
expect "case frobnicate" 2
z case list --bogus
expect "an unknown option" 2
z worker --until 2026-02-01 --batch 0
expect "worker --batch 0" 2
z case show 99
expect "case show of no case" 1
z due --help
expect "due --help" 0
if grep -q "default: today" "$tmp/out"; then ok; else bad "due --help does not say --until defaults to today"; fi
z worker --help
if grep -q "default: today" "$tmp/out"; then ok; else bad "worker --help does not say --until defaults to today"; fi
if [ "$where" = sqlite ]; then
    # --store and $ZAAKFLOW_STORE name other stores; ./zaakflow.db is left alone.
    z case list --store "sqlite:$tmp/other.db"
    expect_out "an empty store" ""
    ZAAKFLOW_STORE="sqlite:$tmp/other.db" "$cli" case start "$procs/bezwaar.xml" --date 2026-03-02 \
        --var verzonden=2026-03-02 --var commissie_gemeld=true >"$tmp/out" 2>&1
    expect_out "\$ZAAKFLOW_STORE" "case 1 started: revision 1, 1 journal entry, 0 effects, 0 cases spawned"
    z case list --json
    if grep -q '"id":6,' "$tmp/out" && ! grep -q '"id":7,' "$tmp/out"; then ok; else bad "./zaakflow.db changed: $(cat "$tmp/out")"; fi
fi

echo "test_store_cli ($where): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
