"""The C fast path of Case.fire: argument forms, errors raised from the C
error (right subclass, message, case unchanged) and the lazy EffectList."""
import datetime
import gc
import os
import pickle
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date

SMALL = """<process xmlns="urn:zaakflow:process:1" id="klacht" version="1" initial="ontvangen">
  <data>
    <var id="ingediend" type="date" required="true"/>
    <var id="gegrond" type="bool" default="false"/>
    <var id="kenmerk" type="string" default=""/>
    <var id="bedrag" type="money" default="0"/>
    <var id="op" type="date"/>
  </data>
  <roles><role id="behandelaar"/><role id="jurist"/></roles>
  <events>
    <event id="notitie" roles="behandelaar"><param id="kenmerk" type="string" required="true"/></event>
    <event id="bedrag_gezet" roles="behandelaar">
      <param id="bedrag" type="money" required="true"/>
      <param id="op" type="date" required="true"/>
    </event>
    <event id="afgehandeld" roles="behandelaar"><param id="gegrond" type="bool" required="true"/></event>
  </events>
  <term id="afhandeltermijn" from="ingediend" length="6w"><basis>Awb 9:11 lid 1</basis></term>
  <state id="ontvangen">
    <transition event="notitie">
      <assign var="kenmerk" expr="event.kenmerk"/>
    </transition>
    <transition event="bedrag_gezet">
      <assign var="bedrag" expr="event.bedrag"/>
      <assign var="op" expr="event.op"/>
    </transition>
    <transition event="afgehandeld" target="klaar">
      <assign var="gegrond" expr="event.gegrond"/>
      <notify to="klager" text="Uw klacht is afgehandeld."/>
    </transition>
  </state>
  <final id="klaar" outcome="afgehandeld"/>
</process>
"""

EPOCH = D(1970, 1, 1)


@unittest.skipUnless(zaakflow._HAVE_INSTANCE, "instances not in this build")
class TestFastFire(unittest.TestCase):
    def setUp(self):
        try:
            self.d = zaakflow.Definition.from_string(SMALL)
        except zaakflow.ZaakflowError as e:   # an element this library version lacks
            raise unittest.SkipTest("test definition not accepted: %s" % e)
        self.c = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))

    def assert_unchanged(self, before):
        self.assertEqual(self.c.snapshot(), before)

    def test_is_the_c_fast_path(self):
        self.assertEqual(type(zaakflow.Case.__dict__["fire"]).__name__, "method_descriptor")
        self.assertEqual(zaakflow.Case.fire.__text_signature__,
                         "($self, event, date, actor=None, roles=(), **params)")
        self.assertIn("EffectList", zaakflow.Case.fire.__doc__)

    def test_many_date_objects(self):
        # Dates are converted once per object and remembered: many distinct objects,
        # equal values in different objects and objects dropped right after the call
        # must all read as their own day (the event date and a date parameter).
        for i in range(300):
            day = D(2025, 11, 18) + datetime.timedelta(days=i // 3)
            op = D(2024, 1, 1) + datetime.timedelta(days=(i * 7) % 500)
            self.c.fire("bedrag_gezet", day, "ria", "behandelaar", bedrag=i, op=op)
            self.assertEqual(self.c.date, day)
            self.assertEqual(self.c.variables["op"], op)
            del day, op
            gc.collect() if i % 50 == 0 else None
        same = D(2026, 6, 1)
        self.c.fire("bedrag_gezet", same, "ria", "behandelaar", bedrag=1, op=same)
        self.assertEqual(self.c.variables["op"], same)

    def test_bad_event(self):
        before = self.c.snapshot()
        with self.assertRaises(zaakflow.NotFoundError) as cm:
            self.c.fire("bestaat_niet", D(2025, 12, 1), "ria", "behandelaar")
        self.assertIsInstance(cm.exception, LookupError)
        self.assertEqual(cm.exception.code, "ZF_ENOTFOUND")
        self.assertIn("bestaat_niet", cm.exception.message)
        self.assert_unchanged(before)

    def test_forbidden_role(self):
        before = self.c.snapshot()
        for roles in ("jurist", ["jurist"], (), None, "jurist,onbekend"):
            with self.assertRaises(zaakflow.ForbiddenError) as cm:
                self.c.fire("afgehandeld", D(2025, 12, 1), "ria", roles, gegrond=True)
            self.assertIsInstance(cm.exception, PermissionError)
            self.assertEqual(cm.exception.code, "ZF_EFORBIDDEN")
            self.assertTrue(cm.exception.message)
            self.assert_unchanged(before)

    def test_date_before_case_date(self):
        self.c.advance(D(2025, 11, 20))
        before = self.c.snapshot()
        for date in (D(2025, 11, 19), "2025-11-19", (D(2025, 11, 19) - EPOCH).days):
            with self.assertRaises(zaakflow.InvalidArgumentError) as cm:
                self.c.fire("afgehandeld", date, "ria", "behandelaar", gegrond=True)
            self.assertIsInstance(cm.exception, ValueError)
            self.assertEqual(cm.exception.code, "ZF_EINVAL")
            self.assertTrue(cm.exception.message)
            self.assert_unchanged(before)
        self.assertEqual(self.c.date, D(2025, 11, 20))

    def test_rejected_and_bad_arguments(self):
        self.c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
        before = self.c.snapshot()
        with self.assertRaises(zaakflow.RejectedError):
            self.c.fire("afgehandeld", D(2025, 12, 2), "ria", "behandelaar", gegrond=True)
        with self.assertRaises(zaakflow.ParseError):
            self.c.fire("afgehandeld", "2025-13-45x", "ria", "behandelaar", gegrond=True)
        with self.assertRaises(zaakflow.RangeError):
            self.c.fire("afgehandeld", 10 ** 9, "ria", "behandelaar", gegrond=True)
        with self.assertRaises(TypeError):
            self.c.fire("afgehandeld", 1.5, "ria", "behandelaar", gegrond=True)
        with self.assertRaises(TypeError):
            self.c.fire(42, D(2025, 12, 2))
        with self.assertRaises(TypeError):
            self.c.fire("afgehandeld", D(2025, 12, 2), 7)
        with self.assertRaises(TypeError):
            self.c.fire("afgehandeld", D(2025, 12, 2), "ria", 7)
        with self.assertRaises(TypeError):
            self.c.fire("afgehandeld")
        with self.assertRaises(TypeError):
            self.c.fire()
        with self.assertRaises(TypeError):
            self.c.fire("a", D(2025, 12, 2), "ria", "b", "c")
        with self.assertRaises(TypeError):
            self.c.fire("afgehandeld", D(2025, 12, 2), actor="x", event="y")
        with self.assertRaises(TypeError):
            zaakflow.Case.fire(object(), "afgehandeld", D(2025, 12, 2))
        self.assert_unchanged(before)

    def test_argument_forms(self):
        # keywords for the fixed arguments, an aware datetime (its date in
        # Europe/Amsterdam; a naive one is refused), a day number, roles as a list
        with self.assertRaises(TypeError):
            self.c.fire(event="bedrag_gezet", date=datetime.datetime(2025, 11, 18, 9, 30),
                        actor="ria", roles=["behandelaar"], bedrag=12, op=D(2025, 11, 18))
        fx = self.c.fire(event="bedrag_gezet",
                         date=datetime.datetime(2025, 11, 18, 9, 30, tzinfo=datetime.timezone.utc),
                         actor="ria", roles=["jurist", "behandelaar"], bedrag=12,
                         op=D(2025, 11, 18))
        self.assertEqual(list(fx), [])
        self.assertEqual(self.c.date, D(2025, 11, 18))
        self.assertEqual(str(self.c.variables["bedrag"]), "12.00")   # int: euros, as before
        self.assertEqual(self.c.variables["op"], D(2025, 11, 18))
        day = (D(2025, 11, 19) - EPOCH).days
        self.c.fire("notitie", day, None, "behandelaar jurist", kenmerk=D(2025, 1, 2), op=None)
        self.assertEqual(self.c.variables["op"], D(2025, 11, 18))
        self.assertEqual(self.c.date, D(2025, 11, 19))
        self.assertEqual(self.c.variables["kenmerk"], "2025-01-02")   # a date for a string: text
        self.c.fire("notitie", "2025-11-20", roles="behandelaar", kenmerk=True)
        self.assertEqual(self.c.variables["kenmerk"], "true")
        import decimal
        self.c.fire("bedrag_gezet", D(2025, 11, 21), "ria", ("behandelaar",), op="2025-11-21",
                    bedrag=decimal.Decimal("3.5"))
        self.assertEqual(str(self.c.variables["bedrag"]), "3.50")
        # keyword names made at run time (not the interned strings) still name the
        # fixed arguments; names of the same length are parameters
        kw = {"".join(["ev", "ent"]): "notitie", "".join(["da", "te"]): D(2025, 11, 21),
              "".join(["act", "or"]): "ria", "".join(["rol", "es"]): "behandelaar",
              "".join(["kenm", "erk"]): "z"}
        self.c.fire(**kw)
        self.assertEqual(self.c.variables["kenmerk"], "z")
        for name in ("datum", "dates", "évent", "rolés", "Event"):
            try:
                self.c.fire("notitie", D(2025, 11, 21), "ria", "behandelaar", kenmerk="w",
                            **{name: "x"})
            except zaakflow.ZaakflowError:
                pass   # unknown parameters may be refused; then nothing changed
            else:
                self.assertEqual(self.c.variables["kenmerk"], "w")
        with self.assertRaises(TypeError):
            self.c.fire("notitie", D(2025, 11, 21), **{"".join(["da", "te"]): D(2025, 11, 21)})
        # more parameters than fit on the C stack
        extra = {"p%d" % k: k for k in range(40)}
        try:
            self.c.fire("notitie", D(2025, 11, 21), "ria", "behandelaar", kenmerk="y", **extra)
        except zaakflow.ZaakflowError:
            pass   # unknown parameters may be refused; then nothing changed
        else:
            self.assertEqual(self.c.variables["kenmerk"], "y")

    def test_effects_are_lazy_and_stable(self):
        fx = self.c.fire("notitie", D(2025, 11, 18), "ria", "behandelaar", kenmerk="a")
        self.assertEqual(len(fx), 0)
        self.assertFalse(fx)
        held = self.c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
        self.assertIsInstance(held, zaakflow.EffectList)
        self.assertIsInstance(held, __import__("collections.abc").abc.Sequence)
        # a later call does not change effects already returned
        with self.assertRaises(zaakflow.RejectedError):
            self.c.fire("afgehandeld", D(2025, 12, 2), "ria", "behandelaar", gegrond=True)
        self.c.advance(D(2026, 6, 1))
        self.assertEqual(len(held), 1)
        self.assertEqual(held[0].kind, "notify")
        self.assertEqual(held[0].to, "klager")
        self.assertEqual(held[-1:], [held[0]])
        self.assertEqual(held, [held[0]])
        self.assertEqual(held, held.tolist())
        self.assertIn(held[0], held)
        self.assertEqual(held.index(held[0]), 0)
        self.assertEqual(list(reversed(held)), [held[0]])
        self.assertEqual(held + [], [held[0]])
        self.assertEqual(pickle.loads(pickle.dumps(held)), [held[0]])
        self.assertIn("klager", repr(held))
        with self.assertRaises(TypeError):
            hash(held)
        self.assertEqual(self.c.effects, [])   # the advance had none

    def test_effects_survive_close_and_reuse(self):
        c = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        held = c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
        c.close()
        gc.collect()
        self.assertEqual([e.to for e in held], ["klager"])
        with self.assertRaises(zaakflow.InvalidArgumentError) as cm:
            c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=True)
        self.assertIn("closed", str(cm.exception))
        # results dropped at once: the same object is reused, nothing accumulates
        c2 = self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        ids = {id(c2.fire("notitie", D(2025, 11, 18), "ria", "behandelaar", kenmerk=str(i)))
               for i in range(50)}
        self.assertEqual(len(ids), 1)
        self.assertEqual(c2.variables["kenmerk"], "49")

    def test_many_cases_fire_and_free(self):
        for i in range(2000):
            c = self.d.start(D(2025, 11, 17), journal=bool(i & 1), ingediend=D(2025, 11, 17))
            fx = c.fire("afgehandeld", D(2025, 12, 1), "ria", "behandelaar", gegrond=bool(i & 2))
            if i % 3 == 0:
                del c
            self.assertEqual(len(fx), 1)
        gc.collect()



def _many_events(n, first="e"):
    """A definition with n events, each with one enum parameter and its own role."""
    # Parameter x comes second in even events and first in odd ones: its index
    # depends on the event.
    events = "".join('<event id="%s%d" roles="r%d">%s</event>'
                     % (first, i, i % 3, ('<param id="p%d" type="string"/><param id="x" type="string"/>'
                                          if i % 2 == 0 else
                                          '<param id="x" type="string"/><param id="p%d" type="string"/>')
                        % i)
                     for i in range(n))
    trans = "".join('<transition event="%s%d"><assign var="laatst" expr="\'%s%d\'"/>'
                    '<assign var="tekst" expr="is_set(event.p%d) ? event.p%d : \'\'"/></transition>'
                    % (first, i, first, i, i, i) for i in range(n))
    events += '<event id="kies"><param id="k" type="keuze" required="true"/></event>'
    trans += '<transition event="kies"><assign var="keuze" expr="event.k"/></transition>'
    return ('<process xmlns="urn:zaakflow:process:1" id="veel" version="1" initial="s">'
            '<data><enum id="keuze"><value id="ja"/><value id="nee"/></enum>'
            '<var id="laatst" type="string" default=""/><var id="tekst" type="string" default=""/>'
            '<var id="keuze" type="keuze" default="nee"/></data>'
            '<roles><role id="r0"/><role id="r1"/><role id="r2"/></roles>'
            '<events>%s</events><state id="s">%s</state></process>' % (events, trans))


@unittest.skipUnless(zaakflow._HAVE_INSTANCE, "instances not in this build")
class TestResolvedNames(unittest.TestCase):
    """fire() resolves event, parameter and role names once per str object and
    definition (zaakflow.core.Names); it must give what the named path gives."""

    def setUp(self):
        self.d = zaakflow.Definition.from_string(_many_events(150))

    def fire_both(self, fast, named, *args, **kw):
        """Fire on `fast` and, with its names cache taken away, on `named`;
        both succeed alike or fail with the same error."""
        named._n = None   # the named path: zf_instance_fire()
        out = []
        for c in (fast, named):
            try:
                c.fire(*args, **kw)
                out.append(None)
            except zaakflow.ZaakflowError as e:
                out.append((type(e), e.message))
        self.assertEqual(out[0], out[1])
        self.assertEqual(fast.snapshot(), named.snapshot())
        return out[0]

    def test_same_as_named_path(self):
        fast, named = self.d.start(D(2026, 1, 5)), self.d.start(D(2026, 1, 5))
        day = D(2026, 1, 6)
        role = "".join(["r", "1"])   # a str made at run time, not an interned constant
        cases = [
            (("e1", day, "jan", "r1"), {"p1": "een", "k": "ja"}),
            (("e1", day, "jan", role), {"p1": "twee"}),
            (("e1", day, "jan", "r0 r1"), {"p1": "drie", "k": None}),
            (("e1", day, "jan", ("r0", "r1")), {"k": "nee"}),
            (("e1", day, "jan", ["r1 r0"]), {}),              # one id with a space: none
            (("e1", day, "jan", ("r1,r2",)), {}),
            (("e1", day, "jan", "r0,r2"), {}),
            (("e1", day, None, None), {}),
            (("e1", day, "jan", "r1"), {"p2": "x"}),          # a parameter of e2
            (("e1", day, "jan", "r1"), {"p1": "vier", "x": "X"}),
            (("e2", day, "jan", "r2"), {"x": "X", "p2": "vijf"}),
            (("e1", day, "jan", "r1"), {"zz": "x"}),
            (("e4", day, "jan", "r1 onbekend"), {"p4": 7}),
            (("e4", day, "jan", "onbekend"), {}),
            (("geen", day, "jan", "r1"), {}),
            ((str("e2"), day, "jan", "r2"), {"p2": D(2026, 1, 2)}),
            (("e2", day, "jan", "r2"), {"p2": "zes", "k": "ja"}),
            (("kies", day), {"k": "misschien"}),   # not a value of keuze
            (("kies", day), {"k": "ja"}),
            (("e1", day, "jan", "r1"), {"p1": "ja"}),   # the same str as text
            (("kies", day), {"k": "nee"}),
            (("kies", day), {"k": "ja"}),
        ]
        for args, kw in cases:
            with self.subTest(args=args, kw=kw):
                self.fire_both(fast, named, *args, **kw)
        self.assertEqual(fast.variables["laatst"], "e1")
        self.assertEqual(fast.variables["tekst"], "ja")
        self.assertEqual(fast.variables["keuze"], "ja")
        # the journal reads back alike: actors and parameters recorded the same way
        self.assertEqual(list(fast.journal), list(named.journal))
        self.assertTrue(any(e.actor == "jan" for e in fast.journal))

    def test_str_subclasses_take_the_named_path(self):
        class S(str):
            pass
        fast, named = self.d.start(D(2026, 1, 5)), self.d.start(D(2026, 1, 5))
        self.assertIsNone(self.fire_both(fast, named, S("e3"), D(2026, 1, 6), "jan", S("r0"),
                                         **{S("p3"): S("x")}))
        self.assertEqual(fast.variables["tekst"], "x")

    def test_many_names_evict_each_other(self):
        # 150 events and parameters, more than the 64 entries per table: entries are
        # replaced, never confused; each fire sets the variables of its own event.
        c = self.d.start(D(2026, 1, 5))
        names = ["e%d" % i for i in range(150)]
        params = ["p%d" % i for i in range(150)]
        for rnd in range(3):
            for i in list(range(150)) + list(range(149, -1, -7)):
                # x after p<i>: given the wrong index, it would overwrite p<i>
                c.fire(names[i], D(2026, 1, 6), "jan", "r%d" % (i % 3),
                       **{params[i]: "v%d" % i, "x": "X"})
                self.assertEqual(c.variables["laatst"], names[i])
                self.assertEqual(c.variables["tekst"], "v%d" % i)
        with self.assertRaises(zaakflow.ForbiddenError):
            c.fire(names[4], D(2026, 1, 6), "jan", "r0")

    def test_definitions_with_the_same_names(self):
        # The same str objects name other events in another definition: each case
        # resolves against its own definition, whatever its .definition says.
        other = zaakflow.Definition.from_string(_many_events(150).replace(
            '<event id="e0"', '<event id="x0"').replace('event="e0"', 'event="x0"')
            .replace("'e0'", "'x0'"))
        a, b = self.d.start(D(2026, 1, 5)), other.start(D(2026, 1, 5))
        for c in (a, b, a, b):
            c.fire("e7", D(2026, 1, 6), "jan", "r1", p7="z")
            self.assertEqual(c.variables["laatst"], "e7")
        b.definition = self.d
        b._n = self.d._names    # a Names of another definition is not used
        b.fire("e8", D(2026, 1, 6), "jan", "r2", p8="y")
        self.assertEqual(b.variables["tekst"], "y")
        with self.assertRaises(zaakflow.NotFoundError):
            b.fire("e0", D(2026, 1, 6), "jan", "r0")

    def test_definition_dropped_while_cases_fire(self):
        cases = [self.d.start(D(2026, 1, 5)) for _ in range(3)]
        names = self.d._names
        del self.d
        gc.collect()
        for i, c in enumerate(cases):
            c.fire("e%d" % i, D(2026, 1, 6), "jan", "r%d" % i, **{"p%d" % i: "t"})
            self.assertEqual(c.variables["laatst"], "e%d" % i)
        del cases
        gc.collect()
        self.assertEqual(type(names).__name__, "Names")
        with self.assertRaises(TypeError):
            zaakflow._core.names(object())

if __name__ == "__main__":
    unittest.main(verbosity=1)
