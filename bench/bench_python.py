#!/usr/bin/env python3
"""Events per second: the bezwaar scenario through the zaakflow Python binding
and through the Python `transitions` library (Debian python3-transitions), in
the same run, and two threads on different cases against one. Prints figures;
asserts nothing about time.

    PYTHONPATH=BUILD/bindings/python/stage python3 bench/bench_python.py [N [ROUNDS]]

The scenario (processes/bezwaar.xml): receipt, admissibility, failed mediation,
hearing planned, hearing held, advice, decision -- 7 events per case, with
role checks, guards, terms (deadlines) and effects on the zaakflow side. The
`transitions` machine has the same states and events with role checks as
conditions; it computes no deadlines. N cases are created first, then every
event of every case is fired and timed. Each contender runs ROUNDS times
(default 5), interleaved, and its best round counts (the least disturbed by
other load on the machine). The last line is the verdict on the acceptance
figure: "ratio >= 20: yes" or "no" (figures only, never a failing test).
"""
import datetime
import os
import sys
import time

import zaakflow

D = datetime.date
HERE = os.path.dirname(os.path.abspath(__file__))

# (event, date, actor, roles, params)
SCENARIO = [
    ("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", "behandelaar",
     {"ontvangen": D(2026, 3, 20), "per_post": False}),
    ("ontvankelijk_bevonden", D(2026, 3, 23), "jan", "behandelaar", {}),
    ("bemiddeling_mislukt", D(2026, 4, 1), "piet", "bemiddelaar", {}),
    ("hoorzitting_gepland", D(2026, 4, 10), "jan", "behandelaar", {"datum": D(2026, 5, 6)}),
    ("gehoord", D(2026, 5, 6), "cie", "commissie", {}),
    ("advies_uitgebracht", D(2026, 5, 20), "cie", "commissie", {"advies": "ongegrond"}),
    ("beslissing_op_bezwaar", D(2026, 6, 3), "bw", "college",
     {"uitkomst": "ongegrond", "verzonden": D(2026, 6, 4)}),
]


def bench_zaakflow(n, journal):
    d = zaakflow.Definition.load(os.path.join(HERE, "..", "processes", "bezwaar.xml"))
    cases = [d.start(D(2026, 3, 2), journal=journal, verzonden=D(2026, 3, 2),
                     commissie_gemeld=True) for _ in range(n)]
    t0 = time.perf_counter()
    for c in cases:
        for event, date, actor, roles, params in SCENARIO:
            c.fire(event, date, actor, roles, **params)
    t = time.perf_counter() - t0
    assert all(c.outcome == "ongegrond" for c in cases)
    return n * len(SCENARIO) / t


def bench_zaakflow_core(n):
    """The SWIG layer alone (zaakflow.core), parameter lists prepared once."""
    d = zaakflow.Definition.load(os.path.join(HERE, "..", "processes", "bezwaar.xml"))
    steps = [(e, dt, a, r, zaakflow._params(p)) for e, dt, a, r, p in SCENARIO]
    cases = [d.start(D(2026, 3, 2), journal=False, verzonden=D(2026, 3, 2),
                     commissie_gemeld=True)._i for _ in range(n)]
    t0 = time.perf_counter()
    for c in cases:
        for event, date, actor, roles, params in steps:
            c.fire(event, date, actor, roles, params)
    t = time.perf_counter() - t0
    assert all(c.outcome() == "ongegrond" for c in cases)
    return n * len(SCENARIO) / t


def _bezwaar_cases(d, n):
    return [d.start(D(2026, 3, 2), journal=False, verzonden=D(2026, 3, 2),
                    commissie_gemeld=True) for _ in range(n)]


def _fire_all(cases):
    for c in cases:
        for event, date, actor, roles, params in SCENARIO:
            c.fire(event, date, actor, roles, **params)


def _worker(d, snapshots):
    """A zaaksysteem worker: load each case from its stored snapshot, fire the
    scenario, store the new snapshot."""
    def run():
        for xml in snapshots:
            c = d.restore(xml, journal=True)
            for event, date, actor, roles, params in SCENARIO:
                c.fire(event, date, actor, roles, **params)
            c.snapshot()
    return run


def bench_threads(n):
    """Two threads on different cases against one thread doing the same work in
    turn: fire only, and a worker's round (restore, fire, snapshot). Returns
    events/s for (fire 1 thread, fire 2 threads, worker 1 thread, worker 2 threads)."""
    import threading

    d = zaakflow.Definition.load(os.path.join(HERE, "..", "processes", "bezwaar.xml"))
    out = []
    start = d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True).snapshot()
    for kind in ("fire", "worker"):
        if kind == "fire":
            a, b = _bezwaar_cases(d, n), _bezwaar_cases(d, n)
            jobs = [lambda a=a: _fire_all(a), lambda b=b: _fire_all(b)]
        else:
            m = max(1, n // 10)
            jobs = [_worker(d, [start] * m), _worker(d, [start] * m)]
        events = 2 * (n if kind == "fire" else max(1, n // 10)) * len(SCENARIO)
        t0 = time.perf_counter()
        for job in jobs:
            job()
        one = time.perf_counter() - t0
        if kind == "fire":   # fresh cases for the second run
            a, b = _bezwaar_cases(d, n), _bezwaar_cases(d, n)
            jobs = [lambda a=a: _fire_all(a), lambda b=b: _fire_all(b)]
        threads = [threading.Thread(target=job) for job in jobs]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        two = time.perf_counter() - t0
        out += [events / one, events / two]
    return out


def bench_transitions(n):
    from transitions import Machine

    class Bezwaar:
        pass

    states = ["registratie", "ontvankelijkheid", "bemiddeling", "hoorzitting_voorbereiden",
              "hoorzitting_gepland", "advisering", "besluitvorming", "ongegrond"]
    role_of = {e: r for e, _, _, r, _ in SCENARIO}

    def cond(role):
        return lambda roles=(), **kw: role in roles

    sources = ["registratie", "ontvankelijkheid", "bemiddeling", "hoorzitting_voorbereiden",
               "hoorzitting_gepland", "advisering", "besluitvorming"]
    transitions = []
    for (event, _, _, _, _), src, dst in zip(SCENARIO, sources, states[1:]):
        transitions.append({"trigger": event, "source": src, "dest": dst,
                            "conditions": [cond(role_of[event])]})
    models = [Bezwaar() for _ in range(n)]
    Machine(model=models, states=states, transitions=transitions, initial="registratie",
            auto_transitions=False)
    t0 = time.perf_counter()
    for m in models:
        for event, date, actor, roles, params in SCENARIO:
            if not m.trigger(event, roles=(roles,), date=date, actor=actor, **params):
                raise RuntimeError("transitions refused %s" % event)
    t = time.perf_counter() - t0
    assert all(m.state == "ongegrond" for m in models)
    return n * len(SCENARIO) / t


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print("bezwaar scenario, %d cases x %d events, best of %d rounds (Python %s, zaakflow %s)"
          % (n, len(SCENARIO), rounds, sys.version.split()[0], zaakflow.version()))
    try:
        import transitions  # noqa: F401
        have_tr = True
    except ImportError:
        have_tr = False
    best = {"zf": 0.0, "zfj": 0.0, "zfc": 0.0, "tr": 0.0}
    thr = [0.0] * 4
    for _ in range(rounds):
        best["zf"] = max(best["zf"], bench_zaakflow(n, journal=False))
        best["zfj"] = max(best["zfj"], bench_zaakflow(n, journal=True))
        best["zfc"] = max(best["zfc"], bench_zaakflow_core(n))
        if have_tr:
            best["tr"] = max(best["tr"], bench_transitions(n))
        thr = [max(x, y) for x, y in zip(thr, bench_threads(n))]
    zf, zfj, zfc, tr = best["zf"], best["zfj"], best["zfc"], best["tr"]
    row = "%-42s %12.0f events/s  %8.2f us/event"
    print(row % ("zaakflow Case.fire (journal off)", zf, 1e6 / zf))
    print(row % ("zaakflow Case.fire (journal on)", zfj, 1e6 / zfj))
    print(row % ("zaakflow.core proxy (param_list, journal off)", zfc, 1e6 / zfc))
    print(row % ("Case.fire, 1 thread, 2 x N cases in turn", thr[0], 1e6 / thr[0]))
    print(row % ("Case.fire, 2 threads on different cases", thr[1], 1e6 / thr[1]))
    print("two threads / one thread (fire): %.2fx" % (thr[1] / thr[0]))
    print(row % ("worker (restore, fire, snapshot), 1 thread", thr[2], 1e6 / thr[2]))
    print(row % ("worker (restore, fire, snapshot), 2 threads", thr[3], 1e6 / thr[3]))
    print("two threads / one thread (worker): %.2fx" % (thr[3] / thr[2]))
    if not have_tr:
        print("transitions: not installed (apt-get install python3-transitions)")
        print("ratio >= 20: no (transitions not installed, no ratio)")
        return
    print(row % ("transitions %s" % _tr_version(), tr, 1e6 / tr))
    ratio = zf / tr
    print("ratio zaakflow Case.fire / transitions: %.2fx" % ratio)
    print("ratio >= 20: %s" % ("yes" if ratio >= 20 else "no"))


def _tr_version():
    import transitions
    return getattr(transitions, "__version__", "?")


if __name__ == "__main__":
    main()
