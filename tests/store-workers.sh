#!/bin/sh
# Workers on a real store, advancing a year day by day:
#   store-workers.sh [sqlite|postgresql]
# loads ZF_STORE_CASES cases (default 500; CI runs 20000) whose terms expire across
# a year (wmo_melding, bezwaar, dwangsom and a test process whose expiry spawns a
# deelzaak), then for every ZF_STORE_STEP-th day of 2026 (default 7; CI: 1, every
# day) runs ZF_STORE_WORKERS `zaakflow worker` processes at once (default: 4 on
# PostgreSQL, 1 on SQLite) with --until that day. Around day 100 a worker is
# killed with SIGKILL in the middle of its batch (store_sim work: after 5 of its
# claimed cases); around day 200, once that day's workers are done, a `zaakflow
# worker` given the next 60 days at once is killed with kill -9 while it runs (the
# due report shows it had expired some of them and not all). Their leases (3 s)
# end and later workers take over.
# Then the proof (store_sim verify): every case, and every case the workers
# spawned, replayed in memory day by day; the stored journals must equal the
# replays' (so every expiration is in them exactly once, none missed), and no
# running term may be left with a last day in the past. Then the outbox is
# delivered by couriers, one of which dies after claiming; every item is
# delivered at least once, with its stable key. Last, two writers fire on one
# case with the same revision: one gets a conflict.
# PostgreSQL is the server of ZF_PG_URL, or one started by pg-server.sh (skipped,
# 77, without it; a failure with ZF_REQUIRE_POSTGRESQL=1).
set -u
driver=${1:-sqlite}
src=${ZF_SRCDIR:?}
build=${ZF_BUILDDIR:?}
cli=${ZF_CLI:-$build/tools/zaakflow}
# The program itself rather than libtool's wrapper script: 1500 workers start.
if [ -x "$build/tools/.libs/zaakflow" ]; then
    cli=$build/tools/.libs/zaakflow
    LD_LIBRARY_PATH="$build/lib/.libs:$build/store/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
fi
sim=$build/tests/store_sim
[ -x "$build/tests/.libs/store_sim" ] && sim=$build/tests/.libs/store_sim
cases=${ZF_STORE_CASES:-500}
step=${ZF_STORE_STEP:-7}
lease=3
failed=0
work=$(mktemp -d /tmp/zf-workers.XXXXXX)
cleanup() { [ -n "${ZF_KEEP_WORKDIR:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap 'cleanup' EXIT

case $driver in
sqlite)
    # Without a sync at every commit, as the PostgreSQL test server runs (fsync=off).
    url="sqlite:$work/cases.db?synchronous=normal"
    workers=${ZF_STORE_WORKERS:-1}
    ;;
postgresql)
    if [ -z "${ZF_PG_URL:-}" ]; then
        . "$src/tests/pg-server.sh"
        pg_start
        rc=$?
        [ $rc -eq 0 ] || exit $rc
        trap 'pg_stop; cleanup' EXIT
    fi
    url=$ZF_PG_URL
    workers=${ZF_STORE_WORKERS:-4}
    ;;
*)
    echo "unknown driver $driver" >&2
    exit 2
    ;;
esac
export ZF_SRCDIR="$src"

pass() { echo "PASS: $driver: $*"; }
# Running terms whose last day is on or before $1 (the due index).
due_count() {
    "$cli" due --store "$url" --until "$1" --json | grep -o '"case":' | wc -l | tr -d ' '
}
fail() { echo "FAIL: $driver: $*"; failed=$((failed + 1)); }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(now)
if "$sim" load "$url" "$work/manifest" "$cases" 14 2026-01-01 365 >"$work/load.out" 2>&1; then
    pass "$cases cases started ($(took "$t0") s)"
else
    cat "$work/load.out"
    fail "load"
    exit 1
fi

# A year, day by day (or step by step).
t0=$(now)
day=0
steps=0
killed=
while [ $day -lt 365 ]; do
    day=$((day + step))
    [ $day -gt 365 ] && day=365
    steps=$((steps + 1))
    until=$(date -u -d "2026-01-01 + $day days" +%F)
    if [ $day -ge 100 ] && [ $day -lt $((100 + step)) ]; then
        "$sim" work "$url" "$until" 20 5 $lease >"$work/killed.out" 2>&1
        grep -q "killed after 5" "$work/killed.out" && pass "a worker killed mid-batch on $until" ||
            { cat "$work/killed.out"; fail "the worker to be killed on $until was not"; }
    fi
    pids=
    k=0
    while [ $k -lt "$workers" ]; do
        k=$((k + 1))
        "$cli" worker --store "$url" --until "$until" --batch 16 --lease $lease \
            --owner "w$k" >>"$work/worker.$k.out" 2>&1 &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p"
        rc=$?
        if [ $rc -ne 0 ]; then
            fail "a worker exited $rc on $until"
            tail -n 3 "$work"/worker.*.out
        fi
    done
    if [ $day -ge 200 ] && [ $day -lt $((200 + step)) ]; then
        # Only this worker expires terms whose last day is after $until: the due
        # report shows when it has begun, and after its death how far it got. It
        # gets 60 days of work (the rest of the year when there are few cases).
        span=60
        [ "$cases" -lt 5000 ] && span=$((365 - day))
        k9=$(date -u -d "2026-01-01 + $((day + span - 1)) days" +%F)
        before=$(due_count "$k9")
        "$cli" worker --store "$url" --until "$(date -u -d "$k9 + 1 day" +%F)" --batch 2 \
            --lease $lease --owner k9 >"$work/k9.out" 2>&1 &
        k9pid=$!
        polls=0
        while kill -0 $k9pid 2>/dev/null && [ "$(due_count "$k9")" -ge "$before" ] &&
            [ $polls -lt 500 ]; do
            polls=$((polls + 1))
            sleep 0.02
        done
        if kill -9 $k9pid 2>/dev/null; then
            wait $k9pid
            after=$(due_count "$k9")
            if [ "$after" -lt "$before" ] && [ "$after" -gt 0 ]; then
                killed=" (a worker killed with kill -9 on $until)"
                pass "a zaakflow worker killed with kill -9 while it ran: $((before - after)) of the $before terms due by $k9 expired, $after left"
            else
                fail "the worker killed with kill -9 was not mid-run: terms due by $k9: $before before, $after after"
            fi
        else
            wait $k9pid
            if [ "$cases" -ge 5000 ]; then
                fail "the worker to be killed with kill -9 had already finished: $(cat "$work/k9.out")"
            else
                echo "NOTE: $driver: the worker to be killed with kill -9 finished first ($cases cases are too few; the full run kills it): $(cat "$work/k9.out")"
            fi
        fi
    fi
done
# The leases of the killed workers end; one more run finishes their cases.
sleep $((lease + 1))
"$cli" worker --store "$url" --until 2027-01-01 --lease $lease >"$work/final.out" 2>&1 ||
    fail "the last worker: $(cat "$work/final.out")"
elapsed=$(took "$t0")
expired=$(cat "$work"/worker.*.out "$work/final.out" |
    sed -n 's/.* \([0-9][0-9]*\) expirations*,.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
pass "a year in $steps steps of $step day(s), $workers worker(s) a step: $expired expirations stored by zaakflow worker in $elapsed s$killed"

t0=$(now)
if "$sim" verify "$url" "$work/manifest" 2027-01-01 >"$work/verify.out" 2>&1; then
    pass "$(cat "$work/verify.out") ($(took "$t0") s)"
else
    cat "$work/verify.out"
    fail "the journals are not those of the replay"
fi

# The outbox: a courier dies after claiming; the others, and after its lease one
# more, deliver everything.
"$sim" courier "$url" "$work/delivered" 25 $lease die >/dev/null 2>&1
"$sim" courier "$url" "$work/delivered" 50 $lease >/dev/null 2>&1 &
c1=$!
"$sim" courier "$url" "$work/delivered" 50 $lease >/dev/null 2>&1 ||
    fail "a courier failed"
wait $c1 || fail "a courier failed"
sleep $((lease + 1))
"$sim" courier "$url" "$work/delivered" 50 $lease >/dev/null 2>&1 || fail "a courier failed"
if "$sim" delivered "$url" "$work/delivered" >"$work/delivered.out" 2>&1; then
    pass "$(cat "$work/delivered.out")"
else
    cat "$work/delivered.out"
    fail "outbox delivery"
fi

# Two writers, one case, the same revision: one wins, the other gets a conflict.
id=$("$cli" case start bezwaar --store "$url" --date 2027-01-04 --var verzonden=2027-01-04 \
    --var commissie_gemeld=true --json | sed -n 's/^{"case":\([0-9]*\),.*/\1/p')
fire() {
    "$cli" case fire "$id" bezwaarschrift_ontvangen --store "$url" --date 2027-01-20 \
        --actor "$1" --role behandelaar --param ontvangen=2027-01-19 --param per_post=false \
        --revision 1 >"$work/fire.$1" 2>&1
    echo $? >"$work/fire.$1.rc"
}
fire anna &
fire bram
wait
rcs=$(cat "$work/fire.anna.rc" "$work/fire.bram.rc" | sort | tr '\n' ' ')
if [ "$rcs" = "0 1 " ] && grep -q ZF_ECONFLICT "$work/fire.anna" "$work/fire.bram"; then
    pass "two writers on case $id: one stored, one conflict ($(grep -h ZF_ECONFLICT "$work"/fire.anna "$work"/fire.bram))"
else
    cat "$work"/fire.*
    fail "two writers on one case: exit statuses $rcs"
fi

[ $failed -eq 0 ]
