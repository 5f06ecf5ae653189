"""Versions side by side and migration through the Python binding: the
registry picks the version by date and restores snapshots by hash; a
migration document moves a case to another version (docs/versions.md,
docs/migration.md)."""
import datetime
import gc
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()

D = datetime.date
OLD = src("processes", "dwangsom_2018.xml")
NEW = src("processes", "dwangsom.xml")
MIGRATION = src("processes", "migrations", "dwangsom_2018.1-2026.1.xml")
V = src("tests", "data", "versions")


@unittest.skipUnless(zaakflow._HAVE_INSTANCE, "cases not in this build")
class TestRegistry(unittest.TestCase):
    def setUp(self):
        self.reg = zaakflow.Registry([OLD, NEW])

    def test_pick_by_start_date(self):
        self.assertEqual(len(self.reg), 2)
        self.assertEqual([d.version for d in self.reg], ["2018.1", "2026.1"])
        old = self.reg.pick("dwangsom", D(2018, 12, 31))
        new = self.reg.pick("dwangsom", "2019-01-01")
        self.assertEqual((old.version, new.version), ("2018.1", "2026.1"))
        self.assertEqual(old.valid_until, D(2018, 12, 31))
        self.assertEqual(new.valid_from, D(2019, 1, 1))
        self.assertIsNone(new.valid_until)
        self.assertIs(self.reg.find("dwangsom", "2018.1"), old)
        self.assertIs(self.reg.find_hash(new.hash), new)
        with self.assertRaises(zaakflow.NotFoundError) as cm:
            self.reg.pick("dwangsom", D(2009, 1, 1))
        self.assertIn("no version of process 'dwangsom' is valid on 2009-01-01", str(cm.exception))
        with self.assertRaises(zaakflow.NotFoundError):
            self.reg.find("dwangsom", "1999.1")

    def test_cases_of_both_versions_side_by_side(self):
        a = self.reg.start("dwangsom", D(2018, 12, 20), beslistermijn_einde=D(2018, 12, 14),
                           ontvangen=D(2018, 12, 20))
        b = self.reg.start("dwangsom", D(2019, 1, 10), beslistermijn_einde=D(2019, 1, 7),
                           ontvangen=D(2019, 1, 10))
        self.assertEqual((a.definition.version, b.definition.version), ("2018.1", "2026.1"))
        a.advance(D(2019, 2, 15))
        b.advance(D(2019, 3, 8))
        self.assertEqual(str(a.variables["bedrag"]), "1260.00")
        self.assertEqual(str(b.variables["bedrag"]), "1442.00")
        # Snapshots restore with the version they name.
        ra = self.reg.restore(a.snapshot())
        rb = self.reg.restore(b.snapshot().encode("utf-8"))
        self.assertEqual((ra.definition.version, rb.definition.version), ("2018.1", "2026.1"))
        self.assertEqual(ra.snapshot(), a.snapshot())

    def test_registry_outlives_its_user(self):
        case = zaakflow.Registry([OLD, NEW]).start(
            "dwangsom", D(2018, 12, 20), beslistermijn_einde=D(2018, 12, 14),
            ontvangen=D(2018, 12, 20))
        gc.collect()
        case.advance(D(2019, 1, 4))  # the registry is kept alive by the case
        self.assertEqual(case.definition.version, "2018.1")

    def test_conflicting_versions(self):
        import tempfile
        reg = zaakflow.Registry([os.path.join(V, "zaak_1.xml")])
        self.assertEqual(len(reg.load(os.path.join(V, "zaak_1.xml")).terms), 2)
        self.assertEqual(len(reg), 1)  # the same definition again is registered once
        with open(os.path.join(V, "zaak_1.xml"), encoding="utf-8") as f:
            text = f.read().replace('length="26w"', 'length="27w"')
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
            f.write(text)
        try:
            with self.assertRaises(zaakflow.ValidationError) as cm:
                reg.load(f.name)
            self.assertIn("process 'zaak' version '1' is also defined in", str(cm.exception))
        finally:
            os.unlink(f.name)
        self.assertEqual(len(reg), 1)

    def test_follow_a_spawn(self):
        reg = zaakflow.Registry([OLD, NEW, src("processes", "beroep.xml")])
        case = reg.start("dwangsom", D(2018, 9, 17), beslistermijn_einde=D(2018, 9, 14),
                         ontvangen=D(2018, 9, 17))
        case.advance(D(2018, 10, 2))
        case.fire("beroep_niet_tijdig", D(2018, 10, 2), actor="a", roles="aanvrager")
        beroep = reg.follow(case, 0)
        self.assertEqual(beroep.definition.id, "beroep")
        self.assertEqual(beroep.date, D(2018, 10, 2))


@unittest.skipUnless(zaakflow._HAVE_INSTANCE, "cases not in this build")
class TestMigration(unittest.TestCase):
    def test_migrate_a_running_case(self):
        reg = zaakflow.Registry([OLD, NEW])
        mig = reg.load_migration(MIGRATION)
        self.assertEqual((mig.from_id, mig.from_version, mig.to_version),
                         ("dwangsom", "2018.1", "2026.1"))
        self.assertIn("Stcrt. 2018, 65542", mig.basis)
        case = reg.start("dwangsom", D(2018, 12, 20), beslistermijn_einde=D(2018, 12, 14),
                         ontvangen=D(2018, 12, 20))
        before = case.snapshot()
        moved = mig.migrate(case, reg.find("dwangsom", "2026.1"), D(2019, 1, 2), actor="beheer")
        self.assertEqual(case.snapshot(), before)  # the old case is unchanged
        self.assertEqual(moved.definition.version, "2026.1")
        self.assertEqual(moved.term("termijn_na_ingebrekestelling").end, D(2019, 1, 3))
        last = list(moved.journal)[-1]
        self.assertIsNone(last.event)
        self.assertEqual(last.actor, "beheer")
        kinds = [it.kind for it in last.items]
        self.assertIn("migrated", kinds)
        migrated = last.items[kinds.index("migrated")]
        self.assertIs(migrated.kind, zaakflow.JournalKind.MIGRATED)
        self.assertEqual((migrated.name, migrated.value), ("dwangsom@2018.1", "dwangsom@2026.1"))
        # Round trip through a snapshot, by the registry.
        again = reg.restore(moved.snapshot())
        self.assertEqual(again.snapshot(), moved.snapshot())
        moved.advance(D(2019, 2, 15))
        self.assertEqual(str(moved.variables["bedrag"]), "1260.00")

    def test_deadlines_move(self):
        old = zaakflow.Definition.load(os.path.join(V, "zaak_1.xml"))
        new = zaakflow.Definition.load(os.path.join(V, "zaak_2.xml"))
        mig = zaakflow.Migration.load(os.path.join(V, "zaak_1-2.xml"), old, new)
        case = old.start(D(2025, 11, 3))
        case.fire("go", D(2025, 11, 4))
        case.fire("susp", D(2025, 11, 10))
        moved = mig.migrate(case, new, D(2026, 1, 5))
        self.assertEqual(moved.active_states, ["behandeling", "b1"])
        self.assertEqual(moved.term("top").end, D(2026, 6, 1))
        items = list(moved.journal)[-1].items
        top = [it for it in items if it.kind is zaakflow.JournalKind.TERM_MOVED and it.name == "top"]
        self.assertEqual(len(top), 1)
        self.assertEqual(top[0].date, D(2026, 6, 1))
        self.assertEqual(moved.variables["verplicht"], D(2026, 1, 5))
        with self.assertRaises(zaakflow.InvalidArgumentError):
            mig.migrate(moved, new, D(2026, 1, 6))  # not a case of version 1
        with self.assertRaises(zaakflow.RejectedError):
            mig.migrate(case, new, D(2026, 8, 1))  # top ran out: advance first

    def test_refused_with_positions(self):
        old = zaakflow.Definition.load(os.path.join(V, "zaak_1.xml"))
        new = zaakflow.Definition.load(os.path.join(V, "zaak_2.xml"))
        with self.assertRaises(zaakflow.SchemaError) as cm:  # not a migration document
            zaakflow.Migration.load(os.path.join(V, "zaak_1.xml"), old, new)
        self.assertGreater(cm.exception.line, 0)
        bad = os.path.join(V, "zaak_1-2.xml")
        with open(bad, encoding="utf-8") as f:
            text = f.read().replace('<set var="verplicht" expr="today"/>', "")
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
            f.write(text)
        try:
            with self.assertRaises(zaakflow.ValidationError) as cm:
                zaakflow.Migration.load(f.name, old, new)
            e = cm.exception
            self.assertIn("required variable 'verplicht' of zaak@2 gets no value", str(e))
            self.assertEqual((e.line, e.column), (7, 3))
            self.assertTrue(any(d.severity == "error" for d in e.diagnostics))
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
