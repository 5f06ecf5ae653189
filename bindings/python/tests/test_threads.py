"""A case under concurrent use: threads firing on one case, a reader of its
journal and effects beside them, effects read by another thread than the one
that fired; the guard that makes them take turns (without holding the GIL
while they wait); a callback that uses the case it is called from."""
import datetime
import faulthandler
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow  # noqa: E402

zaakflow = import_zaakflow()
faulthandler.enable()
D = datetime.date
FIRES = int(os.environ.get("ZF_STRESS_FIRES", "3000"))

SMALL = """<process xmlns="urn:zaakflow:process:1" id="klacht" version="1" initial="ontvangen">
  <data>
    <var id="ingediend" type="date" required="true"/>
    <var id="kenmerk" type="string" default=""/>
    <var id="n" type="int" default="0"/>
  </data>
  <roles><role id="behandelaar"/></roles>
  <events>
    <event id="notitie" roles="behandelaar"><param id="kenmerk" type="string" required="true"/></event>
    <event id="tel" roles="behandelaar"/>
  </events>
  <term id="afhandeltermijn" from="ingediend" length="6w"><basis>Awb 9:11 lid 1</basis></term>
  <state id="ontvangen">
    <transition event="notitie">
      <assign var="kenmerk" expr="event.kenmerk"/>
      <notify to="klager" text="notitie ontvangen"/>
    </transition>
    <transition event="tel"><assign var="n" expr="n + 1"/></transition>
  </state>
</process>
"""


class TestThreads(unittest.TestCase):
    def setUp(self):
        self.d = zaakflow.Definition.from_string(SMALL)

    def run_threads(self, targets):
        errors = []

        def wrap(fn):
            def run():
                try:
                    fn()
                except BaseException as e:   # noqa: BLE001
                    errors.append(e)
            return run

        threads = [threading.Thread(target=wrap(t)) for t in targets]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        self.assertFalse(any(t.is_alive() for t in threads), "a thread hangs")
        if errors:
            raise errors[0]

    def test_two_firing_threads_and_a_reader(self):
        c = self.d.start(D(2026, 1, 5), ingediend=D(2026, 1, 5))
        day = D(2026, 1, 6)
        stop = threading.Event()
        seen = []

        def firer(tag):
            def run():
                held = None
                for i in range(FIRES):
                    fx = c.fire("notitie", day, "ria", "behandelaar", kenmerk="%s%d" % (tag, i))
                    if i % 7 == 0:
                        held = fx      # an EffectList the other thread's fires overtake
                    if i % 11 == 0 and held is not None:
                        assert len(held) == 1 and held[0].to == "klager", held
                    c.fire("tel", day, "ria", ["behandelaar"])
            return run

        def reader():
            while not stop.is_set():
                entries = list(c.journal)
                seqs = [e.seq for e in entries]
                assert seqs == list(range(1, len(seqs) + 1)), seqs[-5:]
                for e in entries[1:]:
                    assert e.event in ("notitie", "tel") and e.actor == "ria", e
                seen.append(len(entries))
                fx = c.effects
                assert fx == [] or [f.to for f in fx] == ["klager"], fx
                assert c.variables["n"] >= 0
                c.snapshot()
                c.terms

        def firers():
            self.run_threads([firer("a"), firer("b")])
            stop.set()

        self.run_threads([firers, reader])
        self.assertEqual(c.variables["n"], 2 * FIRES)
        entries = list(c.journal)
        self.assertEqual(len(entries), 1 + 4 * FIRES)
        self.assertEqual([e.seq for e in entries], list(range(1, 4 * FIRES + 2)))
        self.assertIn(c.variables["kenmerk"], ("a%d" % (FIRES - 1), "b%d" % (FIRES - 1)))
        self.assertTrue(seen, "the reader never ran")
        self.assertEqual(seen, sorted(seen))   # the journal only grows

    def test_effects_read_by_another_thread(self):
        c = self.d.start(D(2026, 1, 5), journal=False, ingediend=D(2026, 1, 5))
        lists = []
        day = D(2026, 1, 6)

        def firer():
            for i in range(FIRES):
                lists.append(c.fire("notitie" if i % 2 else "tel", day, "ria", "behandelaar",
                                    **({"kenmerk": "k"} if i % 2 else {})))

        def reader():
            k = 0
            while k < FIRES:
                if k < len(lists):
                    fx = lists[k]
                    assert len(fx) == (1 if k % 2 else 0), (k, fx)
                    k += 1
                else:
                    time.sleep(0)

        self.run_threads([firer, reader])

    def test_threads_on_different_cases(self):
        cases = [self.d.start(D(2026, 1, 5), journal=False, ingediend=D(2026, 1, 5))
                 for _ in range(4)]

        def work(c):
            def run():
                for _ in range(FIRES):
                    c.fire("tel", D(2026, 1, 6), "ria", "behandelaar")
            return run

        self.run_threads([work(c) for c in cases])
        self.assertEqual([c.variables["n"] for c in cases], [FIRES] * 4)

    def test_close_while_others_fire(self):
        for _ in range(20):
            c = self.d.start(D(2026, 1, 5), ingediend=D(2026, 1, 5))
            done = []

            def firer():
                try:
                    for _ in range(500):
                        c.fire("tel", D(2026, 1, 6), "ria", "behandelaar")
                except zaakflow.InvalidArgumentError as e:
                    assert "closed" in str(e)
                done.append(1)

            def closer():
                time.sleep(0.001)
                c.close()

            self.run_threads([firer, closer])
            self.assertEqual(done, [1])

    def test_waiting_thread_lets_others_run(self):
        # While one thread holds the case, another that wants it waits without the
        # GIL: a third thread keeps counting meanwhile.
        c = self.d.start(D(2026, 1, 5), ingediend=D(2026, 1, 5))
        count = [0]
        holding = threading.Event()
        stop = threading.Event()

        def holder():
            with c._g:
                holding.set()
                time.sleep(0.3)

        def waiter():
            holding.wait()
            c.fire("tel", D(2026, 1, 6), "ria", "behandelaar")

        def counter():
            holding.wait()
            while not stop.is_set():
                count[0] += 1

        t = threading.Thread(target=counter)
        t.start()
        self.run_threads([holder, waiter])
        stop.set()
        t.join()
        self.assertEqual(c.variables["n"], 1)
        self.assertGreater(count[0], 1000)

    def test_same_thread_reentry_raises(self):
        c = self.d.start(D(2026, 1, 5), ingediend=D(2026, 1, 5))
        with c._g:
            with self.assertRaises(RuntimeError):
                c.fire("tel", D(2026, 1, 6), "ria", "behandelaar")
            with self.assertRaises(RuntimeError):
                c.snapshot()
        c.fire("tel", D(2026, 1, 6), "ria", "behandelaar")
        self.assertEqual(c.variables["n"], 1)


if __name__ == "__main__":
    unittest.main()
