"""Deadlines, calendars and dates through the Python binding."""
import csv
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date


def csv_rows():
    for path in (src("tests", "data", "deadline_examples.csv"),
                 "/work/shared/legal/deadline_examples.csv"):
        if os.path.exists(path):
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            if rows and "length" in rows[0]:
                return rows
    return []


class TestDeadlineExamples(unittest.TestCase):
    """tests/data/deadline_examples.csv: every worked example, court rulings included."""

    def test_csv_examples(self):
        rows = csv_rows()
        if not rows:
            self.skipTest("deadline_examples.csv with a length column not found")
        for row in rows:
            with self.subTest(case=row["case"]):
                start = D.fromisoformat(row["start_date"])
                want = D.fromisoformat(row["expected_end_date"])
                trigger = start - datetime.timedelta(days=1) \
                    if row.get("count_from") == "first-day" else start
                suspend = []
                if row.get("suspend"):
                    for pair in row["suspend"].split(";"):
                        a, b = pair.split("..")
                        suspend.append((D.fromisoformat(a), D.fromisoformat(b)))
                d = zaakflow.deadline(trigger, row["length"], atw=row.get("atw") != "off",
                                      suspend=suspend)
                got = d.last_day
                if row.get("expect") == "day-after":
                    got = got + datetime.timedelta(days=1)
                self.assertEqual(got, want, d.explanation)
        self.assertGreaterEqual(len(rows), 30)


class TestDeadline(unittest.TestCase):
    def test_equated_day_p06(self):
        # P06: Atw art 3 lid 3, KB Stcrt. 2025, 24713 equates Friday 15 May 2026.
        d = zaakflow.deadline(D(2026, 4, 3), "6w", explain=True)
        self.assertEqual(d.first_day, D(2026, 4, 4))
        self.assertEqual(d.nominal_end, D(2026, 5, 15))
        self.assertEqual(d.last_day, D(2026, 5, 18))
        self.assertTrue(d.atw_applied)
        self.assertIn("Stcrt. 2025, 24713", d.explanation)
        self.assertEqual(d.steps[0].kind, "start")
        self.assertEqual(d.steps[-1].kind, "end")
        nonworking = [s for s in d.steps if s.kind == "nonworking"]
        self.assertEqual(nonworking[0].day.name, "vrijdag na Hemelvaartsdag")
        self.assertEqual(nonworking[0].day.kind, "equated-kb")
        self.assertIn("2026-05-18", repr(d))
        self.assertEqual(str(d), "2026-05-18")

    def test_iso_strings_accepted(self):
        self.assertEqual(zaakflow.deadline("2026-04-03", "6w").last_day, D(2026, 5, 18))

    def test_suspension_c17(self):
        # Awb 4:15 lid 1 sub a read literally (exclusive): 2 days suspended.
        d = zaakflow.deadline(D(2025, 9, 3), "2w", suspend=[(D(2025, 9, 8), D(2025, 9, 11))])
        self.assertEqual(d.last_day, D(2025, 9, 19))
        self.assertEqual(d.suspended_days, 2)
        d = zaakflow.deadline(D(2025, 9, 3), "2w", suspend=[(D(2025, 9, 8), D(2025, 9, 11))],
                              suspend_rule="inclusive")
        self.assertEqual(d.last_day, D(2025, 9, 22))

    def test_extension_c12(self):
        # Awb 7:10 lid 3: verdaging of 6 weeks after the 12-week committee term.
        d = zaakflow.deadline(D(2025, 6, 13), "12w", extend=["6w"])
        self.assertEqual(d.last_day, D(2025, 10, 17))
        self.assertIn("extend", [s.kind for s in d.steps])
        self.assertEqual(zaakflow.deadline(D(2025, 6, 13), "12w", extend="6w").last_day,
                         D(2025, 10, 17))

    def test_atw_off_and_years(self):
        # C27: Atw art 4 sub a excludes terms in years: Saturday stays.
        self.assertEqual(zaakflow.deadline(D(2025, 2, 28), "1y").last_day, D(2026, 2, 28))
        # Awb 4:17 lid 1: the Atw does not apply to the 42 dwangsom days.
        self.assertEqual(zaakflow.deadline(D(2025, 10, 1), "42d", atw=False).last_day,
                         D(2025, 11, 12))

    def test_calendar_none(self):
        d = zaakflow.deadline(D(2026, 4, 3), "6w", calendar="none")
        self.assertEqual(d.last_day, D(2026, 5, 15))

    def test_bad_date_is_value_error(self):
        with self.assertRaises(ValueError) as cm:
            zaakflow.deadline("2026-02-30", "6w")
        e = cm.exception
        self.assertIsInstance(e, zaakflow.ZaakflowError)
        self.assertIsInstance(e, zaakflow.RangeError)
        self.assertEqual(e.code, "ZF_ERANGE")
        self.assertIn("2026-02-30", e.message)
        with self.assertRaises(zaakflow.ParseError) as cm:
            zaakflow.deadline("3-4-2026", "6w")
        self.assertIn("YYYY-MM-DD", str(cm.exception))

    def test_bad_length(self):
        with self.assertRaises(zaakflow.ParseError) as cm:
            zaakflow.deadline(D(2026, 1, 1), "6x")
        self.assertIsInstance(cm.exception, ValueError)
        self.assertTrue(cm.exception.message)

    def test_bad_types(self):
        with self.assertRaises(TypeError):
            zaakflow.deadline(20260101, "6w")
        with self.assertRaises(TypeError):
            zaakflow.deadline(D(2026, 1, 1), 42)
        with self.assertRaises(ValueError):
            zaakflow.deadline(D(2026, 1, 1), "6w", suspend_rule="sometimes")

    def test_suspension_ending_before_start(self):
        with self.assertRaises(zaakflow.InvalidArgumentError):
            zaakflow.deadline(D(2026, 1, 5), "6w", suspend=[(D(2026, 1, 20), D(2026, 1, 10))])

    def test_exceptions_are_one_per_code(self):
        classes = {zaakflow.ParseError, zaakflow.SchemaError, zaakflow.ValidationError,
                   zaakflow.NotFoundError, zaakflow.RejectedError, zaakflow.ForbiddenError,
                   zaakflow.SnapshotError, zaakflow.OutOfMemoryError, zaakflow.RangeError,
                   zaakflow.FileError, zaakflow.EvaluationError, zaakflow.LimitError,
                   zaakflow.InvalidArgumentError, zaakflow.ConflictError,
                   zaakflow.DatabaseError}
        self.assertEqual(set(zaakflow._ERRORS.values()), classes)
        self.assertEqual(len({c.code for c in classes}), len(classes))
        for cls in classes:
            self.assertEqual(zaakflow.core.code_name(
                [k for k, v in zaakflow._ERRORS.items() if v is cls][0]), cls.code)
        self.assertTrue(issubclass(zaakflow.ForbiddenError, PermissionError))
        self.assertTrue(issubclass(zaakflow.NotFoundError, LookupError))
        self.assertTrue(issubclass(zaakflow.OutOfMemoryError, MemoryError))
        self.assertTrue(issubclass(zaakflow.ValidationError, ValueError))


class TestCalendar(unittest.TestCase):
    def test_year_2026(self):
        days = zaakflow.calendar(2026)
        by_date = {d.date: d for d in days}
        self.assertEqual(by_date[D(2026, 4, 27)].name, "Koningsdag")
        self.assertEqual(by_date[D(2026, 4, 3)].kind, "equated-law")   # Goede Vrijdag
        self.assertEqual(by_date[D(2026, 5, 15)].basis, "Stcrt. 2025, 24713")
        self.assertIn(D(2026, 5, 5), by_date)   # Bevrijdingsdag every year (C08)
        self.assertEqual([d.date for d in days], sorted(d.date for d in days))
        for d in days:
            self.assertIsInstance(d.date, D)
            self.assertFalse(d.working)

    def test_koningsdag_2025_on_saturday(self):
        self.assertIn(D(2025, 4, 26), {d.date for d in zaakflow.calendar(2025)})

    def test_is_working_day(self):
        self.assertTrue(zaakflow.is_working_day(D(2026, 5, 18)))
        self.assertFalse(zaakflow.is_working_day(D(2026, 5, 15)))
        self.assertFalse(zaakflow.is_working_day(D(2026, 5, 16)))   # Saturday
        self.assertTrue(zaakflow.is_working_day(D(2026, 5, 15), calendar="none"))
        self.assertEqual(zaakflow.why(D(2026, 12, 25)).name, "Eerste Kerstdag")
        self.assertEqual(zaakflow.why(D(2026, 12, 28)).kind, "working")
        self.assertEqual(zaakflow.working_days(D(2026, 5, 11), D(2026, 5, 17)), 3)

    def test_calendar_object(self):
        cal = zaakflow.Calendar("atw")
        self.assertEqual(cal.id, "atw")
        self.assertIn("atw", repr(cal))
        self.assertEqual(zaakflow.deadline(D(2026, 4, 3), "6w", calendar=cal).last_day,
                         D(2026, 5, 18))

    def test_missing_calendar_file(self):
        with self.assertRaises(zaakflow.FileError) as cm:
            zaakflow.Calendar("/nonexistent/calendar.xml")
        self.assertIsInstance(cm.exception, OSError)

    def test_bad_year(self):
        with self.assertRaises(ValueError):
            zaakflow.calendar(0)


if __name__ == "__main__":
    unittest.main(verbosity=1)
