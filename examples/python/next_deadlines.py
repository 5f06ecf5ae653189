#!/usr/bin/env python3
"""Print the next deadline of every open case, soonest first.

Reads every snapshot (*.xml) in a folder, finds its process definition in
processes/ with zaakflow.snapshot_info() (which reads a snapshot without its
definition: process id, version and content hash), restores it, and lists the
open cases by the last day of their next running term.

    next_deadlines.py SNAPSHOT_DIR [--processes DIR] [--today YYYY-MM-DD]

With --today, cases whose deadline has passed are marked OVERDUE. A
snapshot that no longer fits its definition is reported and skipped.
"""
import argparse
import datetime
import os
import sys

import zaakflow


def load_definitions(folder):
    defs = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".xml"):
            d = zaakflow.Definition.load(os.path.join(folder, name))
            defs[d.hash] = d
    return defs


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("snapshots", help="folder of snapshot XML files")
    ap.add_argument("--processes", default=os.path.join(here, "..", "..", "processes"),
                    help="folder of process definitions (default: processes/)")
    ap.add_argument("--today", type=datetime.date.fromisoformat, default=None)
    args = ap.parse_args(argv)

    defs = load_definitions(args.processes)
    rows, problems = [], 0
    for name in sorted(os.listdir(args.snapshots)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(args.snapshots, name)
        with open(path, encoding="utf-8") as f:
            xml = f.read()
        try:
            info = zaakflow.snapshot_info(xml)
        except zaakflow.ZaakflowError as e:
            print("%s: %s" % (name, e), file=sys.stderr)  # corrupt, or not a snapshot
            problems += 1
            continue
        definition = defs.get(info.hash)
        if definition is None:
            print("%s: no definition for %s %s (hash %s)"
                  % (name, info.process, info.version, info.hash[:12]), file=sys.stderr)
            problems += 1
            continue
        try:
            case = zaakflow.Case.restore(definition, xml, journal=False)
        except zaakflow.ZaakflowError as e:
            print("%s: %s" % (name, e), file=sys.stderr)
            problems += 1
            continue
        if case.finished:
            continue
        due = case.next_due()
        if due is not None:
            rows.append((due.date, name, definition.id, due.term, case.active_states))

    rows.sort()
    for date, name, process, term, states in rows:
        late = "  OVERDUE" if args.today and date < args.today else ""
        print("%s  %-24s %-10s %-22s %s%s" % (date.isoformat(), name, process, term,
                                               states[-1] if states else "", late))
    if not rows:
        print("no open case has a running term")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
