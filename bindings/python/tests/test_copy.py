"""Copies of a case (clone, copy.copy, copy.deepcopy) are exact and independent;
pickling stores the snapshot with the definition's identity, and unpickling finds
the definition among those loaded or registered."""
import copy
import datetime
import gc
import os
import pickle
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date

SCENARIO = [
    ("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", "behandelaar",
     {"ontvangen": D(2026, 3, 20), "per_post": False}),
    ("ontvankelijk_bevonden", D(2026, 3, 23), "jan", "behandelaar", {}),
]


def bezwaar():
    path = src("processes", "bezwaar.xml")
    if not os.path.exists(path):
        raise unittest.SkipTest("processes/bezwaar.xml not present")
    return zaakflow.Definition.load(path)


def state(c):
    return (c.snapshot(), c.effects, list(c.journal), c.active_states, dict(c.variables))


class TestCopies(unittest.TestCase):
    def setUp(self):
        self.d = bezwaar()
        self.c = self.d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        for e, day, actor, roles, params in SCENARIO:
            self.c.fire(e, day, actor, roles, **params)

    def test_copies_are_exact(self):
        for make in (lambda c: c.clone(), copy.copy, copy.deepcopy):
            k = make(self.c)
            self.assertIsNot(k, self.c)
            self.assertIsInstance(k, zaakflow.Case)
            self.assertIs(k.definition, self.c.definition)   # immutable: shared
            self.assertEqual(state(k), state(self.c))
            self.assertEqual(k.memory, self.c.memory)

    def test_copies_change_independently(self):
        before = state(self.c)
        k = self.c.clone()
        # "what if we decide on date X?": the copy moves on, the original does not
        k.fire("bemiddeling_mislukt", D(2026, 4, 1), "piet", "bemiddelaar")
        k.advance(D(2026, 12, 1))
        self.assertEqual(state(self.c), before)
        after = state(k)
        self.c.fire("bezwaar_ingetrokken", D(2026, 3, 24), "jan", "behandelaar")
        self.assertEqual(state(k), after)
        self.assertNotEqual(self.c.snapshot(), k.snapshot())
        # each survives the other
        self.c.close()
        gc.collect()
        self.assertEqual(state(k), after)
        with self.assertRaises(zaakflow.InvalidArgumentError):
            self.c.clone()

    def test_journal_off_and_held_effects(self):
        c = self.d.start(D(2026, 3, 2), journal=False, verzonden=D(2026, 3, 2),
                         commissie_gemeld=True)
        fx = c.fire(*SCENARIO[0][:4], **SCENARIO[0][4])
        k = copy.deepcopy(c)
        self.assertEqual(list(k.journal), [])
        self.assertEqual(k.effects, list(fx))
        self.assertEqual(pickle.loads(pickle.dumps(k)).snapshot(), c.snapshot())

    def test_definition_copies_are_itself(self):
        self.assertIs(copy.copy(self.d), self.d)
        self.assertIs(copy.deepcopy(self.d), self.d)
        self.assertIs(pickle.loads(pickle.dumps(self.d)), self.d)

    def test_pickle_round_trip(self):
        for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
            k = pickle.loads(pickle.dumps(self.c, proto))
            self.assertIs(k.definition, self.d)
            self.assertEqual(k.snapshot(), self.c.snapshot())
            self.assertEqual(list(k.journal), list(self.c.journal))
            k.fire("bemiddeling_mislukt", D(2026, 4, 1), "piet", "bemiddelaar")
        # the effects of the last call are not part of a snapshot
        self.assertEqual(pickle.loads(pickle.dumps(self.c)).effects, [])
        # effect lists and effects pickle as plain data
        fx = self.c.clone().fire("bemiddeling_mislukt", D(2026, 4, 1), "piet", "bemiddelaar")
        self.assertEqual(pickle.loads(pickle.dumps(fx)), list(fx))

    def test_unpickling_needs_the_definition(self):
        data = pickle.dumps(self.c)
        # another object loaded from the same file is the same definition (same hash)
        del self.c
        self.d = None
        gc.collect()
        with self.assertRaises(zaakflow.NotFoundError) as cm:
            pickle.loads(data)
        self.assertIn("register", str(cm.exception))
        self.assertIn("bezwaar", str(cm.exception))
        d2 = bezwaar()
        self.assertIs(pickle.loads(data).definition, d2)
        # register() keeps a definition for unpickling after the caller drops it
        h = d2.hash
        self.assertIs(zaakflow.register(d2), d2)
        del d2
        gc.collect()
        k = pickle.loads(data)
        self.assertEqual(k.definition.hash, h)
        with self.assertRaises(TypeError):
            zaakflow.register(None)

    def test_unpickle_in_another_process(self):
        data = pickle.dumps(self.c)
        prog = ("import pickle, sys, zaakflow\n"
                "data = sys.stdin.buffer.read()\n"
                "try:\n"
                "    pickle.loads(data)\n"
                "except zaakflow.NotFoundError:\n"
                "    pass\n"
                "else:\n"
                "    raise SystemExit('unpickled without its definition')\n"
                "zaakflow.register(zaakflow.Definition.load(sys.argv[1]))\n"
                "print(pickle.loads(data).active_states)\n")
        out = subprocess.run([sys.executable, "-c", prog, src("processes", "bezwaar.xml")],
                             input=data, stdout=subprocess.PIPE, check=True)
        self.assertEqual(out.stdout.decode().strip(), str(self.c.active_states))


if __name__ == "__main__":
    unittest.main()
