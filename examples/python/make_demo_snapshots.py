#!/usr/bin/env python3
"""Write a few bezwaar snapshots into a folder, to try next_deadlines.py on."""
import datetime
import os
import sys

import zaakflow

D = datetime.date


def main(out, processes):
    os.makedirs(out, exist_ok=True)
    d = zaakflow.Definition.load(os.path.join(processes, "bezwaar.xml"))
    cases = {}
    c = d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2))
    cases["zaak-0001.xml"] = c                       # awaiting the bezwaarschrift
    c = d.start(D(2026, 2, 9), verzonden=D(2026, 2, 9), commissie_gemeld=True)
    c.fire("bezwaarschrift_ontvangen", D(2026, 3, 4), "jan", "behandelaar",
           ontvangen=D(2026, 3, 4), per_post=False)
    cases["zaak-0002.xml"] = c                       # beslistermijn running
    c = d.start(D(2026, 1, 12), verzonden=D(2026, 1, 12))
    c.fire("bezwaarschrift_ontvangen", D(2026, 2, 2), "jan", "behandelaar",
           ontvangen=D(2026, 2, 2), per_post=False)
    c.fire("verzuim_herstel_gevraagd", D(2026, 2, 5), "jan", "behandelaar", hersteltermijn="2w")
    cases["zaak-0003.xml"] = c                       # hersteltermijn running
    for name, case in cases.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(case.snapshot())
    print("wrote %d snapshots to %s" % (len(cases), out))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else "snapshots",
         os.path.join(here, "..", "..", "processes"))
