"""Snapshots read without their definition (zaakflow.snapshot_info), sealed or not,
and what a restore refuses."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date


def read(name, mode="r"):
    with open(src("tests", "data", name), mode) as f:
        return f.read()


class SnapshotInfoTest(unittest.TestCase):
    def test_info(self):
        info = zaakflow.snapshot_info(read("snapshot-bezwaar.xml"))
        self.assertEqual(info.process, "bezwaar")
        self.assertEqual(info.version, "2026.1")
        self.assertEqual(len(info.hash), 64)
        self.assertEqual(info.date, D(2026, 5, 12))
        self.assertEqual(info.steps, 2)
        self.assertFalse(info.finished)
        self.assertIsNone(info.outcome)
        self.assertEqual(info.next_due, D(2026, 8, 10))
        self.assertEqual(info.next_term, "beslistermijn")
        self.assertEqual(info.journal_entries, 2)
        self.assertFalse(info.sealed)
        # bytes too
        self.assertEqual(zaakflow.snapshot_info(read("snapshot-bezwaar.xml", "rb")), info)

    def test_info_routes_to_the_definition(self):
        xml = read("snapshot-bezwaar.xml")
        info = zaakflow.snapshot_info(xml)
        defn = zaakflow.Definition.load(src("processes", info.process + ".xml"))
        # tests/test_registry.c keeps the fixture what the library writes now.
        self.assertEqual(defn.hash, info.hash)
        case = zaakflow.Case.restore(defn, xml)
        self.assertEqual(case.snapshot(), xml)
        # A registry finds the definition by the hash the snapshot names.
        reg = zaakflow.Registry([src("processes", "bezwaar.xml")])
        self.assertEqual(reg.restore(xml).snapshot(), xml)

    def test_sealed(self):
        key = read("snapshot.key")
        sealed = read("snapshot-bezwaar-sealed.xml")
        self.assertTrue(zaakflow.snapshot_info(sealed, key=key).sealed)
        self.assertTrue(zaakflow.snapshot_info(sealed, key=key.encode()).sealed)
        self.assertTrue(zaakflow.snapshot_info(sealed).sealed)  # the digest only
        with self.assertRaises(zaakflow.SnapshotError) as cm:
            zaakflow.snapshot_info(read("snapshot-bezwaar.xml"), key=key)
        self.assertIn("not sealed with a key", str(cm.exception))
        with self.assertRaises(zaakflow.SnapshotError) as cm:
            zaakflow.snapshot_info(sealed, key="another key")
        self.assertIn("HMAC does not match", str(cm.exception))

    def test_refused(self):
        xml = read("snapshot-bezwaar.xml")
        with self.assertRaises(zaakflow.SnapshotError) as cm:
            zaakflow.snapshot_info(xml.replace('seq="2"', 'seq="3"'))
        self.assertIn("corrupt", str(cm.exception))
        self.assertEqual(cm.exception.file, "<snapshot>")
        self.assertGreater(cm.exception.line, 0)
        with self.assertRaises(zaakflow.ParseError):
            zaakflow.snapshot_info("<snapshot")
        with self.assertRaises(zaakflow.ParseError):
            zaakflow.snapshot_info("")


if __name__ == "__main__":
    unittest.main()
