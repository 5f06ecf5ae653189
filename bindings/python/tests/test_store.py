"""zaakflow.Store: the case store from Python, on a SQLite file in a temporary
directory (the C suite and store-workers.sh cover PostgreSQL)."""

import datetime
import os
import shutil
import tempfile
import unittest

from zfpytest import import_zaakflow, src

zaakflow = import_zaakflow()
D = datetime.date
BEZWAAR = src("processes", "bezwaar.xml")
BEROEP = src("processes", "beroep.xml")


@unittest.skipUnless(hasattr(zaakflow, "Store"), "this build has no case store")
class TestStore(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="zf-pystore-")
        self.url = "sqlite:" + os.path.join(self.dir, "cases.db")
        self.store = zaakflow.Store(self.url, lease=1, owner="test")
        self.store.add_definition(BEZWAAR)
        self.store.add_definition(BEROEP)

    def tearDown(self):
        self.store.close()
        shutil.rmtree(self.dir)

    def start(self, day=D(2026, 1, 2)):
        return self.store.start("bezwaar", day, verzonden=day, commissie_gemeld=True)

    def test_start_read_due_journal(self):
        step = self.start()
        self.assertEqual(step.revision, 1)
        info = self.store.case(step.case).info
        self.assertEqual(info.process, "bezwaar")
        self.assertEqual(info.active, ("registratie",))
        self.assertEqual(info.next_due, D(2026, 2, 13))  # Awb 6:7, 6:8
        self.assertEqual(info.next_term, "bezwaartermijn")
        self.assertIsNone(info.parent)
        due = self.store.due(D(2026, 12, 31))
        self.assertEqual([d.term for d in due], ["bezwaartermijn", "postontvangsttermijn"])
        self.assertEqual(due[0].last_day, D(2026, 2, 13))
        journal = self.store.journal(step.case)
        self.assertEqual(len(journal), 1)
        self.assertIsNone(journal[0].event)
        self.assertIn(("entered", "registratie"), [(i.kind, i.name) for i in journal[0].items])
        self.assertEqual([c.id for c in self.store.cases()], [step.case])

    def test_fire_revision_conflict(self):
        step = self.start()
        kw = dict(actor="jan", roles="behandelaar", ontvangen=D(2026, 1, 19), per_post=False)
        after = self.store.fire(step.case, "bezwaarschrift_ontvangen", D(2026, 1, 20),
                                revision=1, **kw)
        self.assertEqual(after.revision, 2)
        self.assertGreaterEqual(after.effects, 1)
        with self.assertRaises(zaakflow.ConflictError) as cm:
            self.store.fire(step.case, "ontvankelijk_bevonden", D(2026, 1, 22), actor="jan",
                            roles=["behandelaar"], revision=1)
        self.assertEqual(cm.exception.code, "ZF_ECONFLICT")
        with self.assertRaises(zaakflow.RejectedError):
            self.store.fire(step.case, "bezwaarschrift_ontvangen", D(2026, 1, 21), **kw)
        with self.assertRaises(zaakflow.NotFoundError):
            self.store.case(999)
        self.assertEqual(self.store.case(step.case).revision, 2)
        # The journal's values come back typed.
        items = [i for e in self.store.journal(step.case) for i in e.items if i.kind == "assign"]
        self.assertIn(("ontvangen", D(2026, 1, 19)), [(i.name, i.value) for i in items])

    def test_transaction_context(self):
        with self.store.transaction():
            self.start()
            self.start(D(2026, 1, 5))
        self.assertEqual(len(self.store.cases()), 2)
        with self.assertRaises(KeyError):
            with self.store.transaction():
                self.start(D(2026, 1, 6))
                raise KeyError("undo")
        self.assertEqual(len(self.store.cases()), 2)
        self.assertFalse(self.store.in_transaction)

    def test_worker_and_outbox(self):
        a = self.start(D(2026, 1, 5)).case
        self.start(D(2026, 3, 2))
        res = self.store.work(D(2026, 2, 28))
        self.assertEqual((res.cases, res.expired, res.failed), (1, 2, 0))
        self.assertEqual(self.store.case(a).date, D(2026, 2, 24))
        self.assertEqual(self.store.due(D(2026, 2, 27)), [])
        items = self.store.outbox_claim(max=100)
        for item in items:
            self.assertTrue(item.key.startswith("%d/%d/" % (item.case, item.revision)))
            self.store.outbox_ack(item)
        self.assertTrue(all(o.status == "done" for o in self.store.outbox()))

    def test_restore_with_its_definition(self):
        step = self.start()
        stored = self.store.case(step.case)
        case = stored.restore(zaakflow.Definition.load(BEZWAAR))
        self.assertEqual(case.next_due().date, D(2026, 2, 13))
        self.assertEqual(case.active_states, ["registratie"])

    def test_versions_by_validity(self):
        # dwangsom 2018.1 until 2018-12-31, 2026.1 from 2019-01-01 (Awb 4:17 lid 2).
        self.store.add_definition(src("processes", "dwangsom.xml"))
        self.store.add_definition(src("processes", "dwangsom_2018.xml"))
        self.assertEqual(self.store.pick("dwangsom", D(2018, 12, 31))[1], "2018.1")
        process, version, digest = self.store.pick("dwangsom", D(2019, 1, 1))
        self.assertEqual((process, version, len(digest)), ("dwangsom", "2026.1", 64))
        with self.assertRaises(zaakflow.NotFoundError):
            self.store.pick("dwangsom", D(2009, 1, 1))
        step = self.store.start("dwangsom", D(2018, 5, 10), beslistermijn_einde=D(2018, 5, 1),
                                ontvangen=D(2018, 5, 10))
        self.assertEqual(self.store.case(step.case).version, "2018.1")
        # A version of bezwaar without a validity beside the stored one: both valid.
        with open(BEZWAAR, encoding="utf-8") as f:
            other = f.read().replace('version="2026.1"', 'version="2026.2"')
        self.store.add_definition(xml=other)
        with self.assertRaises(zaakflow.ValidationError):
            self.store.pick("bezwaar", D(2026, 1, 2))
        with self.assertRaises(zaakflow.InvalidArgumentError):
            self.store.pick(None, D(2026, 1, 2))
        with self.assertRaises(TypeError):
            self.store.pick("bezwaar", None)

    def test_errors(self):
        with self.assertRaises(zaakflow.InvalidArgumentError):
            zaakflow.Store("mysql://nowhere")
        with self.assertRaises(zaakflow.NotFoundError):
            self.store.start("klacht", D(2026, 1, 2))
        with self.assertRaises(zaakflow.InvalidArgumentError):
            self.store.start("bezwaar", D(2026, 1, 2))  # verzonden is required
        with self.assertRaises(zaakflow.SchemaError):
            self.store.add_definition(xml="<process xmlns='urn:zaakflow:process:1'/>")
        self.store.close()
        with self.assertRaises(zaakflow.InvalidArgumentError):
            self.store.cases()


if __name__ == "__main__":
    unittest.main()
