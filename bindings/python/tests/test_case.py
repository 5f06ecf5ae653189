"""Running cases (instances) through the Python binding: the bezwaar procedure
from receipt through a hearing to a decision, snapshots, errors, lifetimes."""
import datetime
import gc
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date

# A small inline procedure, so these tests do not depend on processes/.
SMALL = """<process xmlns="urn:zaakflow:process:1" id="klacht" version="1" initial="ontvangen">
  <data>
    <var id="ingediend" type="date" required="true"/>
    <var id="gegrond" type="bool" default="false"/>
  </data>
  <roles><role id="behandelaar"/></roles>
  <events>
    <event id="afgehandeld" roles="behandelaar"><param id="gegrond" type="bool" required="true"/></event>
  </events>
  <term id="afhandeltermijn" from="ingediend" length="6w"><basis>Awb 9:11 lid 1</basis></term>
  <state id="ontvangen">
    <transition event="afgehandeld" target="klaar">
      <assign var="gegrond" expr="event.gegrond"/>
    </transition>
  </state>
  <final id="klaar" outcome="afgehandeld"/>
</process>
"""


def bezwaar():
    path = src("processes", "bezwaar.xml")
    if not os.path.exists(path):
        raise unittest.SkipTest("processes/bezwaar.xml not present")
    return zaakflow.Definition.load(path)


@unittest.skipUnless(zaakflow._HAVE_INSTANCE, "instances not in this build")
class TestSmallCase(unittest.TestCase):
    def setUp(self):
        self.d = zaakflow.Definition.from_string(SMALL)

    def test_start_fire_finish(self):
        c = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        self.assertEqual(c.active_states, ["ontvangen"])
        self.assertIn("ontvangen", c)
        self.assertFalse(c.finished)
        t = c.term("afhandeltermijn")
        self.assertEqual(t.status, "running")
        self.assertEqual(t.end, D(2025, 12, 29))       # C23
        self.assertEqual(t.length, "6w")
        self.assertIn("2025-12-29", t.explanation)
        self.assertEqual(c.next_due(), zaakflow.Due(D(2025, 12, 29), "afhandeltermijn"))
        self.assertEqual(c.enabled_events(), [])
        self.assertEqual(c.enabled_events("ria", ["behandelaar"]), ["afgehandeld"])
        with self.assertRaises(zaakflow.ForbiddenError):
            c.fire("afgehandeld", D(2025, 12, 1), gegrond=True)
        c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
        self.assertTrue(c.finished)
        self.assertEqual(c.outcome, "afgehandeld")
        self.assertIs(c.variables["gegrond"], True)
        self.assertEqual(c.variables["ingediend"], D(2025, 11, 17))
        self.assertEqual(set(c.variables), {"ingediend", "gegrond"})
        self.assertIsNone(c.next_due())
        with self.assertRaises(KeyError):
            c.variables["onbekend"]

    def test_errors_change_nothing(self):
        c = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        before = c.snapshot()
        with self.assertRaises(zaakflow.NotFoundError):
            c.fire("bestaat_niet", D(2025, 12, 1))
        with self.assertRaises(zaakflow.InvalidArgumentError):   # dated before the case date
            c.fire("afgehandeld", D(2025, 1, 1), "ria", "behandelaar", gegrond=True)
        with self.assertRaises(zaakflow.InvalidArgumentError):   # missing parameter
            c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar")
        with self.assertRaises(TypeError):
            c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=object())
        self.assertEqual(c.snapshot(), before)

    def test_missing_required_variable(self):
        with self.assertRaises(zaakflow.InvalidArgumentError):
            self.d.start(D(2025, 11, 17))

    def test_advance_expires_terms(self):
        c = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        c.advance(D(2025, 12, 29))
        self.assertEqual(c.term("afhandeltermijn").status, "running")
        c.advance(D(2025, 12, 30))
        self.assertEqual(c.term("afhandeltermijn").status, "expired")
        self.assertEqual(c.date, D(2025, 12, 30))

    def test_snapshot_restore(self):
        c = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        xml = c.snapshot()
        c2 = zaakflow.Case.restore(self.d, xml)
        self.assertEqual(c2.snapshot(), xml)
        c2.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=False)
        self.assertTrue(c2.finished)
        self.assertFalse(c.finished)
        with self.assertRaises(zaakflow.SnapshotError):
            zaakflow.Case.restore(self.d, xml.replace('id="ontvangen"', 'id="elders"'))
        with self.assertRaises(zaakflow.ParseError):
            zaakflow.Case.restore(self.d, "<snapshot")
        other = zaakflow.Definition.from_string(SMALL.replace('version="1"', 'version="2"'))
        with self.assertRaises(zaakflow.SnapshotError):
            zaakflow.Case.restore(other, xml)

    def test_context_manager_and_close(self):
        with self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17)) as c:
            self.assertIn("klacht", repr(c))
        self.assertIn("closed", repr(c))
        with self.assertRaises(zaakflow.ZaakflowError):
            c.active_states

    def test_definition_deleted_before_case(self):
        d = zaakflow.Definition.from_string(SMALL)
        c = d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        raw = c._i
        del d
        self.d = None
        gc.collect()
        c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
        self.assertEqual(c.outcome, "afgehandeld")
        # the low-level handle keeps its definition alive on its own too
        del c
        gc.collect()
        self.assertTrue(raw.finished())
        del raw
        gc.collect()

    def test_stress_10000_instances(self):
        cases = []
        for i in range(10000):
            c = self.d.start(D(2025, 11, 17), journal=(i % 2 == 0), ingediend=D(2025, 11, 17))
            if i % 3 == 0:
                c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
            cases.append(c)
        self.assertEqual(sum(c.finished for c in cases), 3334)
        self.assertGreater(cases[0].memory, 0)
        del cases[::2]
        self.d = None   # the definition goes before the remaining cases
        gc.collect()
        for c in cases[:100]:
            c.advance(D(2026, 1, 1))
        del cases
        gc.collect()


@unittest.skipUnless(zaakflow._HAVE_INSTANCE, "instances not in this build")
class TestBezwaar(unittest.TestCase):
    """processes/bezwaar.xml: receipt, admissibility, failed mediation, hearing, advice, decision."""

    def test_full_case_through_hearing_to_decision(self):
        d = bezwaar()
        c = d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        self.assertEqual(c.active_states, ["registratie"])
        # Awb 6:7/6:8: six weeks from the day after sending.
        self.assertEqual(c.term("bezwaartermijn").end, D(2026, 4, 13))
        effects = c.fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", ["behandelaar"],
                         ontvangen=D(2026, 3, 20), per_post=False)
        self.assertEqual([e.kind for e in effects], ["notify"])
        self.assertEqual(effects[0].to, "bezwaarmaker")
        self.assertIs(c.variables["tijdig"], True)
        # Awb 7:10 lid 1: 12 weeks (committee) from the day after the bezwaartermijn.
        self.assertEqual(c.term("beslistermijn").end, D(2026, 7, 6))
        c.fire("ontvankelijk_bevonden", D(2026, 3, 23), "jan", "behandelaar")
        self.assertIn("bemiddeling", c.active_states)
        c.fire("bemiddeling_mislukt", D(2026, 4, 1), "piet", "bemiddelaar")
        c.fire("hoorzitting_gepland", D(2026, 4, 10), "jan", "behandelaar", datum=D(2026, 5, 6))
        self.assertIn("hoorzitting_gepland", c.active_states)
        self.assertEqual(c.variables["hoorzitting_datum"], D(2026, 5, 6))
        with self.assertRaises(zaakflow.ForbiddenError):
            c.fire("gehoord", D(2026, 5, 6), "jan", "behandelaar")
        c.fire("gehoord", D(2026, 5, 6), "cie", "commissie")
        c.fire("advies_uitgebracht", D(2026, 5, 20), "cie", "commissie", advies="ongegrond")
        with self.assertRaises(zaakflow.RejectedError):
            c.fire("bemiddeling_geslaagd", D(2026, 5, 21), "piet", "bemiddelaar")
        xml = c.snapshot()
        effects = c.fire("beslissing_op_bezwaar", D(2026, 6, 3), "bw", "college",
                         uitkomst="ongegrond", verzonden=D(2026, 6, 4))
        self.assertTrue(c.finished)
        self.assertEqual(c.outcome, "ongegrond")
        spawn = [e for e in effects if e.kind == "spawn"]
        if spawn:
            self.assertEqual(dict(spawn[0].params).get("bekendgemaakt"), D(2026, 6, 4))
        statuses = {t.id: t.status for t in c.terms}
        # The objector filed on 2026-03-20: his bezwaartermijn stopped then (Awb 6:7).
        self.assertEqual(statuses["bezwaartermijn"], "stopped")
        self.assertEqual(statuses["beslistermijn"], "stopped")
        journal = list(c.journal)
        self.assertEqual(journal[0].event, None)
        self.assertEqual(journal[-1].event, "beslissing_op_bezwaar")
        self.assertEqual(journal[-1].actor, "bw")
        self.assertEqual([j.seq for j in journal], list(range(1, len(journal) + 1)))
        kinds = {i.kind for j in journal for i in j.items}
        self.assertIn("entered", kinds)
        self.assertIn("term-started", kinds)
        self.assertIn("beslissing_op_bezwaar", c.timeline())

        # Restore the snapshot from before the decision and decide differently.
        c2 = zaakflow.Case.restore(d, xml)
        self.assertEqual(c2.snapshot(), xml)
        c2.fire("beslissing_op_bezwaar", D(2026, 6, 3), "bw", "college",
                uitkomst="gegrond", verzonden=D(2026, 6, 4))
        self.assertEqual(c2.outcome, "gegrond")

    def test_who_must_act(self):
        d = bezwaar()
        self.assertEqual(d.term_party("bezwaartermijn"), "belanghebbende")
        self.assertEqual(d.term_party("beslistermijn"), "bestuursorgaan")
        with self.assertRaises(zaakflow.NotFoundError):
            d.term_party("geen_termijn")
        c = d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        self.assertEqual(c.term("bezwaartermijn").party, "belanghebbende")
        # Awb 6:7: the objector's six weeks; nothing is the body's yet.
        self.assertEqual(c.next_due(party="belanghebbende"),
                         zaakflow.Due(D(2026, 4, 13), "bezwaartermijn"))
        self.assertIsNone(c.next_due(party="bestuursorgaan"))
        c.fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", ["behandelaar"],
               ontvangen=D(2026, 3, 20), per_post=False)
        # Filed: the objector's terms stop and keep their last day; the body's
        # beslistermijn (Awb 7:10 lid 1, twelve weeks) is what is due.
        t = c.term("bezwaartermijn")
        self.assertEqual((t.status, t.end), ("stopped", D(2026, 4, 13)))
        self.assertIsNone(c.next_due(party="belanghebbende"))
        self.assertEqual(c.next_due(party="bestuursorgaan"),
                         zaakflow.Due(D(2026, 7, 6), "beslistermijn"))
        self.assertEqual(c.next_due(), c.next_due(party="bestuursorgaan"))
        self.assertIsNone(c.next_due(party="college"))

    def test_pack_unpack(self):
        d = bezwaar()
        c = d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        c.fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", ["behandelaar"],
               ontvangen=D(2026, 3, 20), per_post=False)
        data = c.pack()
        self.assertIsInstance(data, bytes)
        u = d.unpack(data)
        self.assertEqual(u.snapshot(), c.snapshot())
        self.assertEqual(u.pack(), data)
        # Without the journal: as restoring the XML snapshot without it (the
        # journal kept and written back, nothing of it lost).
        v = zaakflow.Case.unpack(d, data, journal=False)
        self.assertEqual(list(v.journal), [])
        self.assertEqual(v.snapshot(), d.restore(c.snapshot(), journal=False).snapshot())
        self.assertEqual(d.unpack(v.pack()).snapshot(), c.snapshot())
        self.assertEqual(v.term("beslistermijn").end, D(2026, 7, 6))
        damaged = bytearray(data)
        damaged[60] ^= 1
        with self.assertRaises(zaakflow.SnapshotError):
            d.unpack(bytes(damaged))
        with self.assertRaises(zaakflow.SnapshotError):
            zaakflow.Definition.from_string(SMALL).unpack(data)
        with self.assertRaises(TypeError):
            d.unpack("not bytes")


if __name__ == "__main__":
    unittest.main(verbosity=1)
