"""Loading and validating process definitions through the Python binding."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()

SMALL = """<process xmlns="urn:zaakflow:process:1" id="klein" version="1" initial="open">
  <events><event id="sluiten"/></events>
  <state id="open">
    <transition event="sluiten" target="dicht"/>
  </state>
  <final id="dicht" outcome="gesloten"/>
</process>
"""

# Line 4 names an undeclared event and an unknown target.
BROKEN = """<process xmlns="urn:zaakflow:process:1" id="kapot" version="1" initial="open">
  <events><event id="sluiten"/></events>
  <state id="open">
    <transition event="ga" target="nergens"/>
  </state>
</process>
"""


@unittest.skipUnless(zaakflow._HAVE_DEFINITION, "definitions not in this build")
class TestDefinition(unittest.TestCase):
    def test_from_string(self):
        d = zaakflow.Definition.from_string(SMALL)
        self.assertEqual(d.id, "klein")
        self.assertEqual(d.version, "1")
        self.assertEqual(d.events, ["sluiten"])
        self.assertIn("open", d.states)
        self.assertIn("dicht", d.states)
        self.assertEqual(len(d.hash), 64)
        self.assertIn("digraph", d.dot())
        self.assertIn("klein", repr(d))

    def test_bytes_accepted(self):
        self.assertEqual(zaakflow.Definition.from_string(SMALL.encode()).id, "klein")

    def test_validation_error_carries_position(self):
        with self.assertRaises(zaakflow.ValidationError) as cm:
            zaakflow.Definition.from_string(BROKEN, name="kapot.xml")
        e = cm.exception
        self.assertIsInstance(e, ValueError)
        self.assertEqual(e.code, "ZF_ESEMANTIC")
        self.assertEqual(e.file, "kapot.xml")
        self.assertEqual(e.line, 4)
        self.assertGreater(e.column, 0)
        self.assertTrue(str(e).startswith("kapot.xml:4:"))
        errors = [d for d in e.diagnostics if d.severity == "error"]
        self.assertGreaterEqual(len(errors), 2)     # every finding, not just the first
        self.assertEqual(errors[0].line, 4)
        self.assertEqual((errors[0].line, errors[0].column), (e.line, e.column))
        self.assertIn("unknown-target", {d.check for d in errors})
        self.assertTrue(str(errors[0]).startswith("kapot.xml:4:"))

    def test_parse_error(self):
        with self.assertRaises(zaakflow.ParseError) as cm:
            zaakflow.Definition.from_string("<process")
        self.assertEqual(cm.exception.line, 1)
        self.assertIsInstance(cm.exception, ValueError)

    def test_doctype_refused(self):
        xml = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n' + SMALL
        with self.assertRaises(zaakflow.ZaakflowError):
            zaakflow.Definition.from_string(xml)

    def test_schema_error(self):
        with self.assertRaises((zaakflow.SchemaError, zaakflow.ValidationError)) as cm:
            zaakflow.Definition.from_string(
                '<process xmlns="urn:zaakflow:process:1" id="x" version="1" initial="a">'
                '<bogus/></process>')
        self.assertGreater(cm.exception.line, 0)

    def test_missing_file(self):
        with self.assertRaises(zaakflow.FileError) as cm:
            zaakflow.Definition.load("/nonexistent/definition.xml")
        self.assertIsInstance(cm.exception, OSError)
        self.assertEqual(cm.exception.filename, "/nonexistent/definition.xml")

    def test_cannot_construct_directly(self):
        with self.assertRaises(TypeError):
            zaakflow.Definition()

    def test_shipped_processes_load(self):
        folder = src("processes")
        if not os.path.isdir(folder):
            self.skipTest("no processes/")
        names = sorted(n for n in os.listdir(folder) if n.endswith(".xml"))
        self.assertTrue(names)
        for name in names:
            with self.subTest(name=name):
                d = zaakflow.Definition.load(os.path.join(folder, name))
                self.assertEqual(d.path, os.path.join(folder, name))
                self.assertEqual([x for x in d.diagnostics if x.severity == "error"], [])

    def test_variables_terms_roles(self):
        d = zaakflow.Definition.load(src("processes", "bezwaar.xml"))
        self.assertIn("verzonden", d.variables)
        self.assertIn("commissie_gemeld", d.variables)
        self.assertEqual(len(d.variables), len(set(d.variables)))
        self.assertIn("bezwaartermijn", d.terms)
        self.assertIn("beslistermijn", d.terms)
        self.assertIn("behandelaar", d.roles)
        self.assertIn("college", d.roles)
        # The case's variables view lists the same names, in the same order.
        case = d.start(datetime.date(2026, 3, 2), verzonden=datetime.date(2026, 3, 2))
        self.assertEqual(list(case.variables), d.variables)

    def test_validate_files(self):
        folder = src("processes")
        paths = sorted(os.path.join(folder, n) for n in os.listdir(folder)
                       if n.endswith(".xml"))
        found = zaakflow.validate_files(paths)
        self.assertEqual([d for d in found if d.severity == "error"], [])
        # Alone, a spawn names a process outside the set: an error with its position.
        bad = src("tests", "defs", "invalid", "spawn-unknown-process", "input.xml")
        found = zaakflow.validate_files([bad])
        errors = [d for d in found if d.severity == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual((errors[0].line, errors[0].column), (3, 51))
        self.assertIn("beroep", errors[0].message)
        self.assertTrue(errors[0].file.endswith("input.xml"))
        # Beside: one file alone finds what it spawns beside it (by the process id); a
        # process found nowhere is a warning, or an error with strict=True.
        self.assertEqual(zaakflow.validate_files([src("processes", "bezwaar.xml")],
                                                 beside=True), [])
        found = zaakflow.validate_files([bad], beside=True)
        self.assertEqual([(d.severity, d.check, d.line) for d in found],
                         [("warning", "unknown-process", 3)])
        found = zaakflow.validate_files([bad], beside=True, strict=True)
        self.assertEqual([(d.severity, d.check, d.line) for d in found],
                         [("error", "unknown-process", 3)])
        # A missing file is a finding too, not an exception.
        found = zaakflow.validate_files([os.path.join(folder, "nope.xml")])
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0].severity, "error")
        with self.assertRaises(zaakflow.InvalidArgumentError):
            zaakflow.validate_files(["a\nb.xml"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
