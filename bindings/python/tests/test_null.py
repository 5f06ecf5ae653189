"""No argument crashes the host, and None is never taken as a value.

The public API is read from the type stubs (zaakflow/__init__.pyi): every
function, method and constructor, every parameter. Each is called with valid
arguments except one, which is None: a parameter the stubs mark Optional (or
object) accepts it, every other one raises TypeError naming the parameter.
Then every parameter gets odd values (wrong types, huge and negative ints,
empty and huge strings, NUL bytes, naive datetimes): any exception is fine, a
crash is not (this process would die). Closed cases raise, they do not crash.
Result records (NamedTuple), exceptions and enums are plain data and left out.
"""
import ast
import datetime
import faulthandler
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
faulthandler.enable()
D = datetime.date
STUBS = os.path.join(os.path.dirname(zaakflow.__file__), "__init__.pyi")

SMALL = """<process xmlns="urn:zaakflow:process:1" id="klacht" version="1" initial="ontvangen">
  <data><var id="ingediend" type="date" required="true"/></data>
  <roles><role id="behandelaar"/></roles>
  <events>
    <event id="notitie" roles="behandelaar"><param id="tekst" type="string"/></event>
    <event id="afgehandeld" roles="behandelaar"/>
  </events>
  <term id="afhandeltermijn" from="ingediend" length="6w"><basis>Awb 9:11 lid 1</basis></term>
  <state id="ontvangen">
    <transition event="notitie"><notify to="klager" text="notitie"/></transition>
    <transition event="afgehandeld" target="klaar"/>
  </state>
  <final id="klaar" outcome="afgehandeld"/>
</process>
"""

ZGW_CONFIG = src("examples", "zgw", "config.json")
ZAAK_1 = src("tests", "data", "versions", "zaak_1.xml")
ZAAK_2 = src("tests", "data", "versions", "zaak_2.xml")
ZAAK_1_2 = src("tests", "data", "versions", "zaak_1-2.xml")
ZAAK = "https://oz.example/zaken/api/v1/zaken/1"
_SKIP_BASES = {"NamedTuple", "Exception", "ZaakflowError", "enum.Enum", "str"}


def stub_callables():
    """(qualified name, [(parameter, annotation source)]) for every function,
    method and constructor of the stubs; properties as (name, None)."""
    with open(STUBS, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    out = []

    def params(fn, method):
        args = fn.args.posonlyargs + fn.args.args
        if method and not any(isinstance(d, ast.Name) and d.id == "staticmethod"
                              for d in fn.decorator_list):
            args = args[1:]   # self or cls
        return [(a.arg, ast.unparse(a.annotation) if a.annotation else "") for a in args]

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out.append((node.name, params(node, False)))
        elif isinstance(node, ast.ClassDef):
            bases = {ast.unparse(b) for b in node.bases}
            if bases & _SKIP_BASES or any(b.endswith("Error") for b in bases):
                continue
            seen = set()
            for fn in node.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name in seen:
                    continue
                seen.add(fn.name)
                if any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list):
                    out.append((node.name + "." + fn.name, None))
                else:
                    out.append((node.name + "." + fn.name, params(fn, True)))
    return out


def optional(annotation):
    return ("Optional" in annotation or "None" in annotation or annotation == "object")


class World:
    """Fresh objects for each call, so no call depends on another's effects."""

    def __init__(self):
        self.d = zaakflow.Definition.from_string(SMALL)
        self.cal = zaakflow.Calendar("atw")
        self.day = D(2025, 11, 18)
        self.bezwaar = self.config = self.process = None   # loaded once, read only
        self.reg = self.mig = None

    def registry(self):
        """Two versions of one process; loaded once (load() of a version it holds
        adds nothing)."""
        if self.reg is None:
            self.reg = zaakflow.Registry([ZAAK_1, ZAAK_2])
        return self.reg

    def migration(self):
        if self.mig is None:
            self.mig = self.registry().load_migration(ZAAK_1_2)
        return self.mig

    def zaak_case(self):
        """A case of version 1 in state b (the migration maps it)."""
        case = self.registry().start("zaak", D(2025, 11, 3))
        case.fire("go", D(2025, 11, 4))
        return case

    def case(self):
        return self.d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))

    def zgw_config(self):
        if self.config is None:
            self.config = zaakflow.ZgwConfig.load(ZGW_CONFIG)
        return self.config

    def zgw_process(self):
        if self.process is None:
            self.process = zaakflow.ZgwProcess.load(src("processes", "bezwaar.xml"))
        return self.process

    def bezwaar_case(self):
        if self.bezwaar is None:
            self.bezwaar = zaakflow.Definition.load(src("processes", "bezwaar.xml"))
        return self.bezwaar.start(D(2026, 3, 2), verzonden=D(2026, 3, 2),
                                  commissie_gemeld=True)

    def held_effects(self):
        return self.case().fire("notitie", self.day, "ria", "behandelaar", tekst="x")

    def target(self, name):
        """(callable, valid positional arguments) for a qualified name."""
        w, day = self, self.day
        table = {
            "version": lambda: (zaakflow.version, []),
            "register": lambda: (zaakflow.register, [w.d]),
            "calendar": lambda: (zaakflow.calendar, [2026, "atw"]),
            "is_working_day": lambda: (zaakflow.is_working_day, [day, "atw"]),
            "why": lambda: (zaakflow.why, [day, "atw"]),
            "working_days": lambda: (zaakflow.working_days, [day, D(2025, 12, 1), "atw"]),
            "deadline": lambda: (zaakflow.deadline, [day, "6w", "atw", [(day, D(2025, 11, 20))],
                                                    ["6w"], True, True, "exclusive",
                                                    "from_end"]),
            "validate_files": lambda: (zaakflow.validate_files, [[src("processes",
                                                                      "klacht.xml")],
                                                                 True, False]),
            "snapshot_info": lambda: (zaakflow.snapshot_info, [w.case().snapshot(), None]),
            "Calendar.__init__": lambda: (zaakflow.Calendar, ["atw"]),
            "Calendar.is_working_day": lambda: (w.cal.is_working_day, [day]),
            "Calendar.why": lambda: (w.cal.why, [day]),
            "Calendar.working_days": lambda: (w.cal.working_days, [day, D(2025, 12, 1)]),
            "Calendar.year": lambda: (w.cal.year, [2026]),
            "Definition.load": lambda: (zaakflow.Definition.load, [src("processes",
                                                                       "klacht.xml")]),
            "Definition.from_string": lambda: (zaakflow.Definition.from_string,
                                               [SMALL, "<string>"]),
            "Definition.event": lambda: (w.d.event, ["notitie"]),
            "Definition.dot": lambda: (w.d.dot, []),
            "Definition.start": lambda: (lambda *a: w.d.start(*a, ingediend=D(2025, 11, 17)),
                                         [day, True]),
            "Definition.restore": lambda: (w.d.restore, [w.case().snapshot(), True]),
            "Definition.unpack": lambda: (w.d.unpack, [w.case().pack(), True]),
            "Definition.term_party": lambda: (w.d.term_party, ["afhandeltermijn"]),
            "Definition.canonical": lambda: (w.d.canonical, []),
            "Params.__init__": lambda: (zaakflow.Params, [[("a", 1)]]),
            "Params.__getitem__": lambda: (zaakflow.Params([("a", 1)]).__getitem__, ["a"]),
            "Params.__iter__": lambda: (zaakflow.Params([("a", 1)]).__iter__, []),
            "Params.__len__": lambda: (zaakflow.Params([("a", 1)]).__len__, []),
            "Variables.__init__": lambda: (zaakflow.Variables, [w.case()]),
            "Variables.__getitem__": lambda: (w.case().variables.__getitem__, ["ingediend"]),
            "Variables.__iter__": lambda: (w.case().variables.__iter__, []),
            "Variables.__len__": lambda: (w.case().variables.__len__, []),
            "EffectList.__getitem__": lambda: (w.held_effects().__getitem__, [0]),
            "EffectList.__len__": lambda: (w.held_effects().__len__, []),
            "EffectList.tolist": lambda: (w.held_effects().tolist, []),
            "Case.start": lambda: (lambda *a: zaakflow.Case.start(*a, ingediend=D(2025, 11, 17)),
                                   [w.d, day, True]),
            "Case.restore": lambda: (zaakflow.Case.restore, [w.d, w.case().snapshot(), True]),
            "Case.unpack": lambda: (zaakflow.Case.unpack, [w.d, w.case().pack(), True]),
            "Case.pack": lambda: (w.case().pack, []),
            "Case.close": lambda: (w.case().close, []),
            "Case.__enter__": lambda: (w.case().__enter__, []),
            "Case.__exit__": lambda: (w.case().__exit__, []),
            "Case.clone": lambda: (w.case().clone, []),
            "Case.__copy__": lambda: (w.case().__copy__, []),
            "Case.__deepcopy__": lambda: (w.case().__deepcopy__, [{}]),
            "Case.fire": lambda: (w.case().fire, ["notitie", day, "ria", "behandelaar"]),
            "Case.can_fire": lambda: (w.case().can_fire, ["notitie", day, "ria", "behandelaar"]),
            "Case.advance": lambda: (w.case().advance, [day]),
            "Case.is_active": lambda: (w.case().is_active, ["ontvangen"]),
            "Case.__contains__": lambda: (w.case().__contains__, ["ontvangen"]),
            "Case.enabled_events": lambda: (w.case().enabled_events, ["ria", "behandelaar"]),
            "Case.term": lambda: (w.case().term, ["afhandeltermijn"]),
            "Case.next_due": lambda: (w.case().next_due, ["bestuursorgaan"]),
            "Case.timeline": lambda: (w.case().timeline, []),
            "Case.snapshot": lambda: (w.case().snapshot, []),
            "ZgwConfig.load": lambda: (zaakflow.ZgwConfig.load, [ZGW_CONFIG]),
            "zgw_export": lambda: (zaakflow.zgw_export, [[src("processes", "klacht.xml")],
                                                        w.zgw_config()]),
            "ZgwProcess.load": lambda: (zaakflow.ZgwProcess.load, [src("processes",
                                                                      "bezwaar.xml")]),
            "ZgwProcess.case": lambda: (w.zgw_process().case,
                                        [w.bezwaar_case(), w.zgw_config(), ZAAK, None, None]),
            "ZgwProcess.case_requests": lambda: (w.zgw_process().case_requests,
                                                 [w.bezwaar_case(), w.zgw_config(), ZAAK,
                                                  None, None, 0]),
            "Registry.__init__": lambda: (zaakflow.Registry, [[ZAAK_1, ZAAK_2]]),
            "Registry.load": lambda: (w.registry().load, [ZAAK_2]),
            "Registry.__len__": lambda: (w.registry().__len__, []),
            "Registry.__iter__": lambda: (w.registry().__iter__, []),
            "Registry.find": lambda: (w.registry().find, ["zaak", "1"]),
            "Registry.find_hash": lambda: (w.registry().find_hash,
                                           [w.registry().find("zaak", "2").hash]),
            "Registry.pick": lambda: (w.registry().pick, ["zaak", day]),
            "Registry.start": lambda: (w.registry().start, ["zaak", day, True]),
            "Registry.follow": lambda: (w.registry().follow, [w.zaak_case(), 0, True]),
            "Registry.restore": lambda: (w.registry().restore, [w.zaak_case().snapshot(), True]),
            "Registry.load_migration": lambda: (w.registry().load_migration, [ZAAK_1_2]),
            "Migration.load": lambda: (zaakflow.Migration.load,
                                       [ZAAK_1_2, w.registry().find("zaak", "1"),
                                        w.registry().find("zaak", "2")]),
            "Migration.migrate": lambda: (w.migration().migrate,
                                          [w.zaak_case(), w.registry().find("zaak", "2"),
                                           D(2025, 11, 10), "beheer"]),
        }
        return table[name]()

    def owner(self, name):
        """The object whose property `name` (Class.prop) is read."""
        cls = name.split(".")[0]
        return {"Calendar": lambda: self.cal, "Definition": lambda: self.d,
                "Case": self.case, "Registry": self.registry, "Migration": self.migration,
                "Deadline": lambda: zaakflow.deadline(self.day, "6w")}[cls]()


ODD = [None, -1, 0, 2 ** 70, -2 ** 70, 1.5, float("nan"), "", "\x00", "x" * 100000,
       "zz", b"bytes", object(), [], {}, ("a",) * 40, True,
       datetime.datetime(2026, 4, 13, 23, 30),
       datetime.datetime(2026, 4, 13, 23, 30, tzinfo=datetime.timezone.utc),
       D(1, 1, 1), D(9999, 12, 31)]


class TestNullEverywhere(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.world = World()
        cls.entries = stub_callables()

    def test_every_stub_entry_is_covered(self):
        missing = []
        for name, params in self.entries:
            if params is None:
                continue
            try:
                self.world.target(name)
            except KeyError:
                missing.append(name)
        self.assertEqual(missing, [], "add these to World.target()")
        self.assertGreater(len(self.entries), 60)

    def test_valid_calls_work(self):
        for name, params in self.entries:
            if params is None:
                continue
            fn, args = self.world.target(name)
            self.assertEqual(len(args), len(params), name)
            try:
                fn(*args)
            except zaakflow.ZaakflowError:
                pass   # e.g. a refused event: the library said no, nothing crashed

    def test_none_for_every_parameter(self):
        n = 0
        for name, params in self.entries:
            for k, (pname, annotation) in enumerate(params or ()):
                fn, args = self.world.target(name)
                args[k] = None
                with self.subTest(callable=name, parameter=pname):
                    if optional(annotation):
                        try:
                            fn(*args)
                        except zaakflow.ZaakflowError:
                            pass   # None accepted as "none"; the library may still refuse
                    else:
                        with self.assertRaises(TypeError) as cm:
                            fn(*args)
                        if not name.rsplit(".", 1)[-1].startswith("__"):
                            self.assertIn(pname, str(cm.exception))
                n += 1
        self.assertGreater(n, 50)

    def test_odd_values_never_crash(self):
        for name, params in self.entries:
            for k in range(len(params or ())):
                for odd in ODD:
                    fn, args = self.world.target(name)
                    args[k] = odd
                    try:
                        fn(*args)
                    except Exception:   # noqa: BLE001  (any exception; no crash)
                        pass

    def test_properties_and_closed_cases(self):
        for name, params in self.entries:
            if params is not None:
                continue
            obj = self.world.owner(name)
            getattr(obj, name.split(".")[1])
            if isinstance(obj, zaakflow.Case):
                obj.close()
                with self.subTest(closed=name):
                    with self.assertRaises(zaakflow.InvalidArgumentError):
                        getattr(obj, name.split(".")[1])
        c = self.world.case()
        held = c.fire("notitie", self.world.day, "ria", "behandelaar")
        c.close()
        c.close()   # twice is fine
        self.assertEqual(len(held), 1)   # effects returned before stay readable
        for name, params in self.entries:
            if not name.startswith("Case.") or params is None or name in (
                    "Case.start", "Case.restore", "Case.unpack", "Case.close",
                    "Case.__enter__", "Case.__exit__"):
                continue
            fn, args = self.world.target(name)
            bound = getattr(c, name.split(".")[1])
            with self.subTest(closed=name):
                with self.assertRaises(zaakflow.InvalidArgumentError):
                    bound(*args)
        with self.assertRaises(zaakflow.InvalidArgumentError):
            c.variables["ingediend"]
        with self.assertRaises(zaakflow.InvalidArgumentError):
            list(c.journal)

    def test_core_layer_refuses_none(self):
        # zaakflow.core is the SWIG layer underneath; it must not crash either.
        core = zaakflow.core
        for call in (lambda: core.definition_parse(None, "x", None),
                     lambda: core.instance_restore(self.world.d._d, None, 1),
                     lambda: core.instance_restore(None, "<a/>", 1),
                     lambda: core.date_parse(None),
                     lambda: core.duration_parse(None),
                     lambda: core.calendar(None),
                     lambda: core.param_list().add(None, "x"),
                     lambda: core.instance_clone(None),
                     lambda: core.term_spec(None, "6w"),
                     lambda: core.term_spec(D(2026, 1, 1), None),
                     lambda: core.validate_files(None, None),
                     lambda: core.validate_files_ext(None, 1, 0, None),
                     lambda: core.effects_raw(None),
                     lambda: core.journal_raw(None),
                     lambda: core.instance.fire(None, "x", D(2026, 1, 1), None, None, None)):
            with self.assertRaises((TypeError, zaakflow.ZaakflowError)):
                call()


class TestCoreLayer(unittest.TestCase):
    """zaakflow.core, the SWIG layer underneath, is not the public API, but it
    must not crash either: every function and method, with odd arguments and
    with None or a real object as `self`."""

    def test_sweep(self):
        import itertools
        core = zaakflow.core
        d = zaakflow.Definition.from_string(SMALL)
        case = d.start(D(2025, 11, 17), ingediend=D(2025, 11, 17))
        odd = [None, -1, 2 ** 70, "", "x", b"b", 1.5, D(2026, 1, 1),
               datetime.datetime(2026, 1, 1), object()]
        selves = {"instance": lambda: case.clone()._i, "param_list": core.param_list,
                  "term_spec": lambda: core.term_spec(D(2026, 1, 1), "6w"),
                  "term_result": lambda: core.term_spec(D(2026, 1, 1), "6w").compute(),
                  "diagnostic_list": core.diagnostic_list, "calendar": core.calendar_atw,
                  "definition": lambda: d._d}
        calls = 0
        for name, obj in sorted(vars(core).items()):
            if name.startswith("_") or not callable(obj) or name == "case_install":
                continue
            targets = [(obj, None)]
            if isinstance(obj, type):
                targets += [(m, name) for k, m in vars(obj).items()
                            if callable(m) and not k.startswith("__")]
            for fn, cls in targets:
                for n in range(3):
                    for args in itertools.product(odd, repeat=n):
                        for self_ in ((None, selves[cls]()) if cls in selves else
                                      ((None,) if cls else ())) or (Ellipsis,):
                            try:
                                fn(*args) if self_ is Ellipsis else fn(self_, *args)
                            except Exception:   # noqa: BLE001  (any exception; no crash)
                                pass
                            calls += 1
        self.assertGreater(calls, 10000)


if __name__ == "__main__":
    unittest.main()
