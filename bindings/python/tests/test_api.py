"""The Python API beyond firing: events with their parameters and roles, implicit
events apart, enums for statuses and kinds, read-only effect parameters, the dry
run can_fire(), messages of refused events, and type stubs that match the module."""
import ast
import datetime
import enum
import inspect
import os
import pickle
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
D = datetime.date
STUBS = os.path.join(os.path.dirname(zaakflow.__file__), "__init__.pyi")


def bezwaar():
    path = src("processes", "bezwaar.xml")
    if not os.path.exists(path):
        raise unittest.SkipTest("processes/bezwaar.xml not present")
    return zaakflow.Definition.load(path)


class TestEvents(unittest.TestCase):
    def setUp(self):
        self.d = bezwaar()

    def test_event_parameters_and_roles(self):
        e = self.d.event("beslissing_op_bezwaar")
        self.assertEqual(e.name, "beslissing_op_bezwaar")
        self.assertIs(e.kind, zaakflow.EventKind.EXTERNAL)
        self.assertFalse(e.implicit)
        self.assertEqual(e.roles, ("college",))
        self.assertEqual(e.basis, "Awb 7:11; Awb 7:12")
        self.assertGreater(e.line, 0)
        names = [p.name for p in e.parameters]
        self.assertEqual(names, ["uitkomst", "verzonden"])
        uitkomst = e.parameters[0]
        self.assertEqual(uitkomst.type, "enum")
        self.assertTrue(uitkomst.required)
        self.assertEqual(uitkomst.enumeration, "uitkomst_bezwaar")
        self.assertEqual(uitkomst.values,
                         ("gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"))
        ontvangen = self.d.event("bezwaarschrift_ontvangen").parameters
        self.assertEqual([(p.name, p.type, p.required) for p in ontvangen][:3],
                         [("ontvangen", "date", True), ("per_post", "bool", True),
                          ("poststempel", "date", False)])
        self.assertEqual(ontvangen[0].values, ())
        self.assertIsNone(ontvangen[0].enumeration)
        with self.assertRaises(zaakflow.NotFoundError):
            self.d.event("bestaat_niet")

    def test_implicit_events_apart(self):
        self.assertIn("bezwaarschrift_ontvangen", self.d.events)
        self.assertFalse([e for e in self.d.events
                          if e.startswith("expired.") or e.startswith("done.state.")])
        self.assertIn("expired.bezwaartermijn", self.d.implicit_events)
        self.assertTrue(all(e.startswith(("expired.", "done.state."))
                            for e in self.d.implicit_events))
        e = self.d.event("expired.bezwaartermijn")
        self.assertIs(e.kind, zaakflow.EventKind.EXPIRY)
        self.assertTrue(e.implicit)
        self.assertEqual(e.parameters, ())

    def test_enums(self):
        for cls in (zaakflow.TermStatus, zaakflow.EffectKind, zaakflow.JournalKind,
                    zaakflow.EventKind):
            self.assertTrue(issubclass(cls, enum.Enum))
            for m in cls:
                self.assertEqual(m, m.value)        # equal to its name, as before
                self.assertEqual(str(m), m.value)
                self.assertEqual("%s" % m, m.value)
        c = self.d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        t = c.term("bezwaartermijn")
        self.assertIs(t.status, zaakflow.TermStatus.RUNNING)
        self.assertEqual(t.status, "running")
        kinds = {i.kind for j in c.journal for i in j.items}
        self.assertTrue(all(isinstance(k, zaakflow.JournalKind) for k in kinds))
        self.assertIn(zaakflow.JournalKind.TERM_STARTED, kinds)
        c.fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", "behandelaar",
               ontvangen=D(2026, 3, 20), per_post=False)
        fx = c.effects
        self.assertTrue(fx and all(e.kind is zaakflow.EffectKind.NOTIFY for e in fx))
        self.assertEqual(fx[0].kind, "notify")

    def test_effect_params_read_only_mapping(self):
        c = self.d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)
        for e, day, actor, roles, params in [
                ("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", "behandelaar",
                 {"ontvangen": D(2026, 3, 20), "per_post": False}),
                ("ontvankelijk_bevonden", D(2026, 3, 23), "jan", "behandelaar", {}),
                ("bemiddeling_mislukt", D(2026, 4, 1), "piet", "bemiddelaar", {}),
                ("hoorzitting_gepland", D(2026, 4, 10), "jan", "behandelaar",
                 {"datum": D(2026, 5, 6)}),
                ("gehoord", D(2026, 5, 6), "cie", "commissie", {}),
                ("advies_uitgebracht", D(2026, 5, 20), "cie", "commissie",
                 {"advies": "ongegrond"})]:
            c.fire(e, day, actor, roles, **params)
        fx = c.fire("beslissing_op_bezwaar", D(2026, 6, 3), "bw", "college",
                    uitkomst="ongegrond", verzonden=D(2026, 6, 4))
        spawn = [e for e in fx if e.kind == zaakflow.EffectKind.SPAWN]
        self.assertTrue(spawn)
        p = spawn[0].params
        self.assertIsInstance(p, zaakflow.Params)
        self.assertEqual(p["bekendgemaakt"], D(2026, 6, 4))
        self.assertEqual(dict(p), dict(p.items()))
        with self.assertRaises(TypeError):
            p["x"] = 1
        with self.assertRaises(AttributeError):
            p.update({})
        self.assertEqual(hash(spawn[0]), hash(pickle.loads(pickle.dumps(spawn[0]))))
        self.assertEqual(pickle.loads(pickle.dumps(spawn[0])), spawn[0])
        self.assertEqual(zaakflow.Params({"a": 1}), {"a": 1})


class TestCanFire(unittest.TestCase):
    def setUp(self):
        self.d = bezwaar()
        self.c = self.d.start(D(2026, 3, 2), verzonden=D(2026, 3, 2), commissie_gemeld=True)

    def check_same_as_fire(self, *args, **kw):
        before = (self.c.snapshot(), self.c.effects, list(self.c.journal))
        r = self.c.can_fire(*args, **kw)
        self.assertEqual((self.c.snapshot(), self.c.effects, list(self.c.journal)), before)
        self.assertIsInstance(r, zaakflow.FireCheck)
        try:
            self.c.clone().fire(*args, **kw)
        except zaakflow.ZaakflowError as e:
            self.assertFalse(r.allowed)
            self.assertFalse(r)
            self.assertIs(type(r.reason), type(e))
            self.assertEqual(r.reason.code, e.code)
            self.assertEqual(r.reason.message, e.message)
        else:
            self.assertTrue(r.allowed)
            self.assertTrue(r)
            self.assertIsNone(r.reason)
        return r

    def test_same_answer_as_fire_and_nothing_changes(self):
        ok = dict(ontvangen=D(2026, 3, 20), per_post=False)
        self.check_same_as_fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan",
                                "behandelaar", **ok)
        r = self.check_same_as_fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan",
                                    "bemiddelaar", **ok)
        self.assertEqual(r.reason.code, "ZF_EFORBIDDEN")
        r = self.check_same_as_fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan",
                                    "behandelaar")
        self.assertEqual(r.reason.code, "ZF_EINVAL")
        self.assertIn("ontvangen", r.reason.message)
        r = self.check_same_as_fire("bestaat_niet", D(2026, 3, 20))
        self.assertEqual(r.reason.code, "ZF_ENOTFOUND")
        r = self.check_same_as_fire("gehoord", D(2026, 3, 20), "cie", "commissie")
        self.assertEqual(r.reason.code, "ZF_EREJECTED")
        self.c.fire("bezwaarschrift_ontvangen", D(2026, 3, 20), "jan", "behandelaar", **ok)
        r = self.check_same_as_fire("bezwaarschrift_ontvangen", D(2026, 3, 1), "jan",
                                    "behandelaar", **ok)
        self.assertEqual(r.reason.code, "ZF_EINVAL")
        # time passes in the dry run too: the terms that would expire do, and are undone
        self.check_same_as_fire("ontvankelijk_bevonden", D(2026, 12, 1), "jan", "behandelaar")
        self.check_same_as_fire("ontvankelijk_bevonden", D(2026, 3, 23), "jan", "behandelaar")

    def test_bad_arguments_raise(self):
        with self.assertRaises(TypeError):
            self.c.can_fire(None, D(2026, 3, 20))
        with self.assertRaises(TypeError):
            self.c.can_fire("gehoord", None)
        with self.assertRaises(TypeError):
            self.c.can_fire("gehoord", datetime.datetime(2026, 3, 20, 12, 0))
        self.c.close()
        with self.assertRaises(zaakflow.InvalidArgumentError):
            self.c.can_fire("gehoord", D(2026, 3, 20))

    def test_refused_event_names_its_condition(self):
        # A transition whose condition is false: the error names the condition as
        # written, its line and the state (lib/instance.c; the CLI and Java share it).
        d = zaakflow.Definition.from_string(
            '<process xmlns="urn:zaakflow:process:1" id="p" version="1" initial="a">\n'
            '  <data><var id="n" type="int" default="0"/></data>\n'
            '  <events><event id="verder"/></events>\n'
            '  <state id="a"><transition event="verder" cond="n &gt; 2" target="b"/></state>\n'
            '  <state id="b"/>\n'
            '</process>\n')
        c = d.start(D(2026, 1, 5))
        msg = "event 'verder' is not allowed in state 'a': condition 'n > 2' (line 4) is false"
        with self.assertRaises(zaakflow.RejectedError) as cm:
            c.fire("verder", D(2026, 1, 6))
        self.assertEqual(cm.exception.message, msg)
        self.assertEqual(c.can_fire("verder", D(2026, 1, 6)).reason.message, msg)

    def test_restore_messages_describe_this_call(self):
        with self.assertRaises(zaakflow.ParseError) as cm:
            self.d.restore("<a")
        self.assertIn("<a is not closed", cm.exception.message)
        with self.assertRaises(zaakflow.ParseError) as cm:
            self.d.restore("")
        self.assertEqual(cm.exception.message, "snapshot is empty")
        self.assertNotIn("?", str(cm.exception))


class TestStubs(unittest.TestCase):
    """The stubs list exactly the public names, with the runtime's parameters."""

    @classmethod
    def setUpClass(cls):
        with open(STUBS, encoding="utf-8") as f:
            cls.tree = ast.parse(f.read())

    def stub_names(self):
        names = set()
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        return names - {"DateLike", "Value", "PathLike", "Json"}

    def test_public_names_match(self):
        self.assertEqual(self.stub_names() - {"__version__"}, set(zaakflow.__all__))

    def test_no_any(self):
        for node in ast.walk(self.tree):
            self.assertFalse(isinstance(node, ast.Name) and node.id == "Any",
                             "Any at line %d" % getattr(node, "lineno", 0))

    def test_signatures_match(self):
        def check(stub_fn, obj, where):
            if isinstance(obj, (classmethod, staticmethod)):
                obj = obj.__func__
            if isinstance(obj, property) or stub_fn.name.startswith("__") and not callable(obj):
                return
            try:
                sig = inspect.signature(obj)
            except (TypeError, ValueError):
                return   # a C slot without a signature (EffectList.__len__)
            runtime = [(p.name, p.kind, p.default is not p.empty)
                       for p in sig.parameters.values() if p.name not in ("self", "cls")]
            a = stub_fn.args
            stub = []
            pos = a.posonlyargs + a.args
            defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults)
            for arg, dflt in zip(pos, defaults):
                if arg.arg in ("self", "cls"):
                    continue
                stub.append((arg.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, dflt is not None))
            if a.vararg:
                stub.append((a.vararg.arg, inspect.Parameter.VAR_POSITIONAL, False))
            if a.kwarg:
                stub.append((a.kwarg.arg, inspect.Parameter.VAR_KEYWORD, False))
            rt = [(n, k if k != inspect.Parameter.POSITIONAL_ONLY
                   else inspect.Parameter.POSITIONAL_OR_KEYWORD, d) for n, k, d in runtime]
            self.assertEqual(stub, rt, where)

        checked = 0
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef):
                check(node, getattr(zaakflow, node.name), node.name)
                checked += 1
            elif isinstance(node, ast.ClassDef):
                cls = getattr(zaakflow, node.name)
                seen = set()
                for fn in node.body:
                    if isinstance(fn, ast.FunctionDef) and fn.name not in seen:
                        seen.add(fn.name)
                        self.assertTrue(hasattr(cls, fn.name), "%s.%s" % (node.name, fn.name))
                        check(fn, inspect.getattr_static(cls, fn.name),
                              "%s.%s" % (node.name, fn.name))
                        checked += 1
                    elif isinstance(fn, (ast.AnnAssign,)) and isinstance(fn.target, ast.Name):
                        if not issubclass(cls, enum.Enum):
                            fields = getattr(cls, "_fields", None)
                            if fields is not None:
                                self.assertIn(fn.target.id, fields, node.name)
                    elif isinstance(fn, ast.Assign) and issubclass(cls, enum.Enum):
                        for t in fn.targets:
                            self.assertEqual(cls[t.id].value, ast.literal_eval(fn.value))
                fields = getattr(cls, "_fields", None)
                if fields is not None:
                    stub_fields = [f.target.id for f in node.body if isinstance(f, ast.AnnAssign)]
                    self.assertEqual(tuple(stub_fields), fields, node.name)
                if isinstance(cls, type) and issubclass(cls, enum.Enum):
                    stub_members = [t.id for f in node.body if isinstance(f, ast.Assign)
                                    for t in f.targets]
                    self.assertEqual(stub_members, [m.name for m in cls], node.name)
        self.assertGreater(checked, 60)


if __name__ == "__main__":
    unittest.main()
