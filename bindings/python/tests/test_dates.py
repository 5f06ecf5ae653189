"""A legal date is a Dutch calendar date: an aware datetime counts as its date in
Europe/Amsterdam, a naive datetime is refused, a datetime.date is taken as it is.
Around midnight UTC and across the changes to and from summer time (CET/CEST)."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date
UTC = datetime.timezone.utc


def utc(*a):
    return datetime.datetime(*a, tzinfo=UTC)


try:
    import zoneinfo
    AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
except Exception:   # noqa: BLE001
    AMS = None

# (instant, its date in Europe/Amsterdam)
CASES = [
    # summer time (CEST, UTC+2): 22:00 UTC is midnight
    (utc(2026, 4, 13, 21, 59), D(2026, 4, 13)),
    (utc(2026, 4, 13, 22, 0), D(2026, 4, 14)),
    (utc(2026, 4, 13, 23, 30), D(2026, 4, 14)),   # the example
    # winter time (CET, UTC+1): 23:00 UTC is midnight
    (utc(2026, 1, 15, 22, 59), D(2026, 1, 15)),
    (utc(2026, 1, 15, 23, 0), D(2026, 1, 16)),
    # into summer time on Sunday 29 March 2026 (02:00 CET -> 03:00 CEST at 01:00 UTC)
    (utc(2026, 3, 28, 22, 59), D(2026, 3, 28)),
    (utc(2026, 3, 28, 23, 0), D(2026, 3, 29)),
    (utc(2026, 3, 29, 21, 59), D(2026, 3, 29)),   # 23:59 CEST
    (utc(2026, 3, 29, 22, 0), D(2026, 3, 30)),
    # back to winter time on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET at 01:00 UTC)
    (utc(2026, 10, 24, 21, 59), D(2026, 10, 24)),
    (utc(2026, 10, 24, 22, 0), D(2026, 10, 25)),
    (utc(2026, 10, 25, 22, 59), D(2026, 10, 25)),   # 23:59 CET
    (utc(2026, 10, 25, 23, 0), D(2026, 10, 26)),
    # other offsets: 20:00 in New York (UTC-5) on 15 January is 02:00 on the 16th here
    (datetime.datetime(2026, 1, 15, 20, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
     D(2026, 1, 16)),
    (datetime.datetime(2026, 1, 16, 7, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
     D(2026, 1, 15)),   # Tokyo 07:00 is 23:00 the day before here
]

SMALL = """<process xmlns="urn:zaakflow:process:1" id="k" version="1" initial="a">
  <data><var id="op" type="date"/><var id="start" type="date" required="true"/></data>
  <events><event id="zet"><param id="op" type="date" required="true"/></event></events>
  <state id="a"><transition event="zet"><assign var="op" expr="event.op"/></transition></state>
</process>
"""


class NoOffset(datetime.tzinfo):
    """A tzinfo that does not know its offset: the datetime counts as naive."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None


@unittest.skipIf(AMS is None, "no time zone data (Debian package tzdata)")
class TestDates(unittest.TestCase):
    def setUp(self):
        self.d = zaakflow.Definition.from_string(SMALL)

    def test_aware_datetime_is_its_amsterdam_date(self):
        for instant, day in CASES:
            with self.subTest(instant=instant.isoformat()):
                # the case's start date, a variable, an event's date and a parameter
                c = self.d.start(instant, start=instant)
                self.assertEqual(c.date, day)
                self.assertEqual(c.variables["start"], day)
                c.fire("zet", instant, op=instant)
                self.assertEqual(c.variables["op"], day)
                self.assertEqual(c.date, day)
                self.assertTrue(c.can_fire("zet", instant, op=instant))
                c.advance(instant)
                self.assertEqual(zaakflow.why(instant).date, day)
                self.assertEqual(zaakflow.is_working_day(instant), zaakflow.is_working_day(day))
                self.assertEqual(zaakflow.deadline(instant, "6w").last_day,
                                 zaakflow.deadline(day, "6w").last_day)
                self.assertEqual(zaakflow.working_days(instant, instant),
                                 zaakflow.working_days(day, day))
                # the same instant written in Amsterdam time
                self.assertEqual(instant.astimezone(AMS).date(), day)

    def test_naive_datetime_is_refused(self):
        naive = datetime.datetime(2026, 4, 13, 23, 30)
        unknown = datetime.datetime(2026, 4, 13, 23, 30, tzinfo=NoOffset())
        c = self.d.start(D(2026, 4, 1), start=D(2026, 4, 1))
        before = c.snapshot()
        for value in (naive, unknown):
            calls = [lambda: c.fire("zet", value, op=D(2026, 4, 2)),
                     lambda: c.fire("zet", D(2026, 4, 2), op=value),
                     lambda: c.can_fire("zet", value, op=D(2026, 4, 2)),
                     lambda: c.advance(value),
                     lambda: self.d.start(value, start=D(2026, 4, 1)),
                     lambda: self.d.start(D(2026, 4, 1), start=value),
                     lambda: zaakflow.deadline(value, "6w"),
                     lambda: zaakflow.is_working_day(value),
                     lambda: zaakflow.working_days(D(2026, 4, 1), value),
                     lambda: zaakflow.Calendar("atw").why(value)]
            for k, call in enumerate(calls):
                with self.subTest(value=value, call=k):
                    with self.assertRaises(TypeError) as cm:
                        call()
                    self.assertIn("naive datetime", str(cm.exception))
                    self.assertIn("datetime.date", str(cm.exception))
        self.assertEqual(c.snapshot(), before)

    def test_dates_and_strings_unchanged(self):
        c = self.d.start(D(2026, 4, 13), start="2026-04-13")
        c.fire("zet", "2026-04-14", op=D(2026, 4, 13))
        self.assertEqual(c.variables["op"], D(2026, 4, 13))
        self.assertEqual(c.date, D(2026, 4, 14))

    def test_bezwaar_received_after_midnight_in_the_netherlands(self):
        # Awb 6:7, 6:8: a decision sent on 2 March 2026 has its bezwaartermijn end
        # on Monday 13 April. A notice of objection received at 23:30 UTC on 13
        # April arrived on 14 April in the Netherlands: too late.
        path = src("processes", "bezwaar.xml")
        if not os.path.exists(path):
            self.skipTest("processes/bezwaar.xml not present")
        d = zaakflow.Definition.load(path)
        c = d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        self.assertEqual(c.term("bezwaartermijn").end, D(2026, 4, 13))
        late = utc(2026, 4, 13, 23, 30)
        in_time = utc(2026, 4, 13, 21, 30)   # 23:30 in Amsterdam
        for ontvangen, tijdig in ((in_time, True), (late, False)):
            k = c.clone()
            k.fire("bezwaarschrift_ontvangen", ontvangen, actor="jan", roles=["behandelaar"],
                   ontvangen=ontvangen, per_post=False)
            self.assertEqual(k.variables["ontvangen"], ontvangen.astimezone(AMS).date())
            self.assertEqual(k.variables["tijdig"], tijdig, ontvangen)


if __name__ == "__main__":
    unittest.main()
