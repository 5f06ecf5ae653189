#!/usr/bin/env python3
"""Events per second: the bezwaar scenario through the zaakflow Python binding
and through the Python `transitions` library (Debian python3-transitions), in
the same run. Prints figures; asserts nothing about time.

    PYTHONPATH=BUILD/bindings/python/stage python3 bench/bench_python.py [N]

The scenario (processes/bezwaar.xml): receipt, admissibility, failed mediation,
hearing planned, hearing held, advice, decision -- 7 events per case, with
role checks, guards, terms (deadlines) and effects on the zaakflow side. The
`transitions` machine has the same states and events with role checks as
conditions; it computes no deadlines. N cases are created first, then every
event of every case is fired and timed.
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
    print("bezwaar scenario, %d cases x %d events (Python %s, zaakflow %s)"
          % (n, len(SCENARIO), sys.version.split()[0], zaakflow.version()))
    zf = bench_zaakflow(n, journal=False)
    zfj = bench_zaakflow(n, journal=True)
    zfc = bench_zaakflow_core(n)
    try:
        tr = bench_transitions(n)
    except ImportError:
        tr = None
    print("%-42s %12.0f events/s  %8.2f us/event" % ("zaakflow (Case.fire, journal off)", zf, 1e6 / zf))
    print("%-42s %12.0f events/s  %8.2f us/event" % ("zaakflow (Case.fire, journal on)", zfj, 1e6 / zfj))
    print("%-42s %12.0f events/s  %8.2f us/event" % ("zaakflow.core (SWIG layer, journal off)", zfc, 1e6 / zfc))
    if tr is None:
        print("transitions: not installed (apt-get install python3-transitions)")
    else:
        print("%-42s %12.0f events/s  %8.2f us/event" % ("transitions %s" % _tr_version(), tr, 1e6 / tr))
        print("ratio zaakflow (Case.fire) / transitions: %.2fx" % (zf / tr))
        print("ratio zaakflow.core / transitions:        %.2fx" % (zfc / tr))


def _tr_version():
    import transitions
    return getattr(transitions, "__version__", "?")


if __name__ == "__main__":
    main()
