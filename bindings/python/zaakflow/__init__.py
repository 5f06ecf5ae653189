"""zaakflow: Dutch municipal legal procedures as XML-defined statecharts.

The Pythonic layer over the C library (through the SWIG module
``zaakflow.core``).  Dates are :class:`datetime.date` everywhere; durations are
strings such as ``"6w"``, ``"14d"``, ``"3m"``, ``"1y"``; every failure is a
:class:`ZaakflowError` subclass, never an error code.

    >>> import datetime, zaakflow
    >>> zaakflow.deadline(datetime.date(2026, 4, 3), "6w").last_day
    datetime.date(2026, 5, 18)
"""

from __future__ import annotations

import datetime as _dt
from typing import Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

__all__ = [
    "ZaakflowError", "OutOfMemoryError", "InvalidArgumentError", "ParseError",
    "SchemaError", "ValidationError", "NotFoundError", "RejectedError",
    "SnapshotError", "RangeError", "FileError", "ForbiddenError",
    "EvaluationError", "LimitError",
    "Calendar", "Day", "Deadline", "Step", "deadline", "calendar", "is_working_day",
    "working_days", "why", "version",
]

# --------------------------------------------------------------------------
# Errors: one class per row of ZF_ERROR_MAP (include/zaakflow/error.h).
# Defined before `core` is imported: the C layer raises them through
# _error_from_c().


class ZaakflowError(Exception):
    """A failure reported by the zaakflow library.

    Attributes: ``code`` (the symbolic name, e.g. ``"ZF_ESEMANTIC"``),
    ``message`` (one line), ``file``, ``line`` and ``column`` (1-based, 0 when
    unknown) and, for definitions, ``diagnostics`` (every finding).
    """

    code = "ZF_E"

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0):
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.diagnostics: List["Diagnostic"] = []
        super().__init__(message)

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += ":%d" % self.line
                if self.column:
                    where += ":%d" % self.column
            where += ": "
        elif self.line:
            where = "line %d: " % self.line
        return "%s%s [%s]" % (where, self.message, self.code)

    def __reduce__(self):
        return (type(self), (self.message, self.file, self.line, self.column))


class OutOfMemoryError(ZaakflowError, MemoryError):
    code = "ZF_ENOMEM"


class InvalidArgumentError(ZaakflowError, ValueError):
    code = "ZF_EINVAL"


class ParseError(ZaakflowError, ValueError):
    """Malformed input: XML, a date that is not YYYY-MM-DD, a duration."""
    code = "ZF_EPARSE"


class SchemaError(ZaakflowError, ValueError):
    """The definition violates the schema (schemas/process.xsd)."""
    code = "ZF_ESCHEMA"


class ValidationError(ZaakflowError, ValueError):
    """The definition is inconsistent (a semantic check failed)."""
    code = "ZF_ESEMANTIC"


class NotFoundError(ZaakflowError, LookupError):
    """No such state, event, term, variable or role."""
    code = "ZF_ENOTFOUND"


class RejectedError(ZaakflowError):
    """The event is not allowed now."""
    code = "ZF_EREJECTED"


class SnapshotError(ZaakflowError, ValueError):
    """The snapshot does not fit the definition."""
    code = "ZF_ESNAPSHOT"


class RangeError(ZaakflowError, ValueError):
    """A value out of range, such as 2026-02-30."""
    code = "ZF_ERANGE"


class FileError(ZaakflowError, OSError):
    """A file cannot be read or written."""
    code = "ZF_EIO"

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0):
        ZaakflowError.__init__(self, message, file, line, column)
        self.args = (message,)
        self.filename = file or None

    def __str__(self) -> str:
        return ZaakflowError.__str__(self)


class ForbiddenError(ZaakflowError, PermissionError):
    """The actor lacks the required role."""
    code = "ZF_EFORBIDDEN"

    __init__ = FileError.__init__
    __str__ = ZaakflowError.__str__


class EvaluationError(ZaakflowError, ArithmeticError):
    """An expression cannot be evaluated."""
    code = "ZF_EEVAL"


class LimitError(ZaakflowError):
    """A limit was exceeded."""
    code = "ZF_ELIMIT"


_ERRORS = {
    -1: OutOfMemoryError, -2: InvalidArgumentError, -3: ParseError, -4: SchemaError,
    -5: ValidationError, -6: NotFoundError, -7: RejectedError, -8: SnapshotError,
    -9: RangeError, -10: FileError, -11: ForbiddenError, -12: EvaluationError,
    -13: LimitError,
}


def _error_from_c(code: int, message: str, file: str, line: int, column: int):
    """Called by zaakflow.core to build the exception for a zf_error."""
    cls = _ERRORS.get(code, ZaakflowError)
    return cls(message, file, line, column)


from . import core as _core  # noqa: E402  (after the error classes on purpose)

_HAVE_DEFINITION = hasattr(_core, "definition_parse")
_HAVE_INSTANCE = hasattr(_core, "instance")


def version() -> str:
    """The C library's version, e.g. ``"0.1.0"``."""
    return _core.version()


__version__ = version()

DateLike = Union[_dt.date, str]

# --------------------------------------------------------------------------
# Calendars


_KIND_NAMES = {
    _core.DAY_WORKING: "working",
    _core.DAY_WEEKEND: "weekend",
    _core.DAY_HOLIDAY: "holiday",
    _core.DAY_EQUATED_LAW: "equated-law",
    _core.DAY_EQUATED_KB: "equated-kb",
    _core.DAY_LOCAL: "local",
}


class Day(NamedTuple):
    """One day of a calendar and why it is (not) a working day."""

    date: _dt.date
    name: str   #: e.g. "Tweede Paasdag", "zaterdag"; "" for a working day
    basis: str  #: e.g. "Atw art 3 lid 1", "Stcrt. 2025, 24713"
    kind: str   #: working, weekend, holiday, equated-law, equated-kb or local

    @property
    def working(self) -> bool:
        return self.kind == "working"


def _day(info) -> Day:
    return Day(info.date, info.name or "", info.basis or "", _KIND_NAMES.get(info.kind, "?"))


class Calendar:
    """A calendar of non-working days: ``Calendar("atw")`` (built in, the
    Algemene termijnenwet), ``Calendar("none")`` or ``Calendar(path)`` for a
    municipal calendar XML file that extends one of them."""

    __slots__ = ("_c", "_name")

    def __init__(self, which: str = "atw"):
        if which == "atw":
            self._c = _core.calendar_atw()
        elif which == "none":
            self._c = _core.calendar_none()
        else:
            self._c = _core.calendar(str(which))
        self._name = which

    @property
    def id(self) -> str:
        return self._c.id()

    def is_working_day(self, date: DateLike) -> bool:
        return bool(self._c.is_working_day(date))

    def why(self, date: DateLike) -> Day:
        """The day with the reason it is or is not a working day."""
        return _day(self._c.why(date))

    def working_days(self, first: DateLike, last: DateLike) -> int:
        """Number of working days from ``first`` up to and including ``last``."""
        return self._c.workdays(first, last)

    def year(self, year: int) -> List[Day]:
        """Non-working days of ``year`` other than plain weekends, in date order."""
        n = self._c.holiday_count(int(year))
        return [_day(self._c.holiday(int(year), i)) for i in range(min(n, 128))]

    def __repr__(self) -> str:
        return "<zaakflow.Calendar %r>" % self.id


_ATW = None


def _calendar(cal) -> Calendar:
    global _ATW
    if isinstance(cal, Calendar):
        return cal
    if cal is None or cal == "atw":
        if _ATW is None:
            _ATW = Calendar("atw")
        return _ATW
    return Calendar(cal)


def calendar(year: int, calendar: Union[str, Calendar] = "atw") -> List[Day]:
    """The holidays and equated days of ``year`` (plain weekends left out)."""
    return _calendar(calendar).year(year)


def is_working_day(date: DateLike, calendar: Union[str, Calendar] = "atw") -> bool:
    """Whether ``date`` is a working day under the Algemene termijnenwet (or ``calendar``)."""
    return _calendar(calendar).is_working_day(date)


def why(date: DateLike, calendar: Union[str, Calendar] = "atw") -> Day:
    """``date`` with the reason it is or is not a working day."""
    return _calendar(calendar).why(date)


def working_days(first: DateLike, last: DateLike,
                 calendar: Union[str, Calendar] = "atw") -> int:
    """Number of working days in the closed interval [first, last]."""
    return _calendar(calendar).working_days(first, last)


# --------------------------------------------------------------------------
# Deadlines (terms)

_STEP_NAMES = {
    _core.STEP_START: "start",
    _core.STEP_NOMINAL: "nominal",
    _core.STEP_SUSPEND: "suspend",
    _core.STEP_EXTEND: "extend",
    _core.STEP_ATW_EXCLUDED: "atw-excluded",
    _core.STEP_ATW_ART2: "atw-art2",
    _core.STEP_NONWORKING: "nonworking",
    _core.STEP_END: "end",
}


class Step(NamedTuple):
    """One step of the computation of a deadline."""

    kind: str             #: start, nominal, suspend, extend, atw-excluded, atw-art2, nonworking, end
    date: Optional[_dt.date]
    days: int             #: a count of days where the kind says so
    note: str             #: the rule applied, e.g. "Atw art 4 lid 1 sub a"
    day: Optional[Day]    #: for "nonworking": the day and why


class Deadline:
    """The result of :func:`deadline`: the last day on which an act is in time."""

    __slots__ = ("first_day", "nominal_end", "last_day", "suspended_days", "atw_applied",
                 "steps", "truncated", "length", "_r", "_explanation")

    def __init__(self, r, length: str):
        self._r = r
        self.first_day: _dt.date = r.first_day
        self.nominal_end: _dt.date = r.nominal_end
        self.last_day: _dt.date = r.end
        self.suspended_days: int = r.suspended_days
        self.atw_applied: bool = bool(r.atw_applied)
        self.truncated: bool = bool(r.truncated)
        self.length = length
        steps = []
        for i in range(r.nsteps):
            s = r.step(i)
            day = _day(s.day) if s.kind == _core.STEP_NONWORKING else None
            steps.append(Step(_STEP_NAMES.get(s.kind, "?"), s.date, s.days, s.note or "", day))
        self.steps: List[Step] = steps
        self._explanation: Optional[str] = None

    @property
    def explanation(self) -> str:
        """The computation in words, one step a line."""
        if self._explanation is None:
            self._explanation = self._r.explain()
        return self._explanation

    def __repr__(self) -> str:
        return "<zaakflow.Deadline %s: %s .. %s>" % (self.length, self.first_day, self.last_day)

    def __str__(self) -> str:
        return self.last_day.isoformat()


_SUSPEND_RULES = {"exclusive": _core.SUSPEND_EXCLUSIVE, "inclusive": _core.SUSPEND_INCLUSIVE}
_EXTEND_RULES = {"from_end": _core.EXTEND_FROM_END, "total": _core.EXTEND_TOTAL}


def deadline(from_date: DateLike, length: str, calendar: Union[str, Calendar] = "atw",
             suspend: Iterable[Tuple[DateLike, DateLike]] = (),
             extend: Iterable[str] = (), explain: bool = False, atw: bool = True,
             suspend_rule: str = "exclusive", extend_rule: str = "from_end") -> Deadline:
    """The last day of a statutory term.

    ``from_date`` is the trigger day (bekendmaking, receipt): the term starts
    the next day (Awb 6:8). ``length`` is "6w", "14d", "3m" or "1y".
    ``calendar`` is "atw" (default), "none", a path or a :class:`Calendar`.
    ``suspend`` lists (act, resumption) date pairs (opschorting, Awb 4:15);
    ``extend`` lists extensions such as "6w" (verdaging, Awb 7:10 lid 3).
    ``atw=False`` when a statute excludes the Algemene termijnenwet (the
    42 dwangsom days of Awb 4:17). ``suspend_rule`` is "exclusive" (Awb 4:15
    literally) or "inclusive"; ``extend_rule`` "from_end" or "total".
    With ``explain=True`` the explanation is computed at once.

    Raises ParseError or RangeError (both ValueError) for bad input.
    """
    try:
        srule = _SUSPEND_RULES[suspend_rule]
    except KeyError:
        raise InvalidArgumentError("unknown suspend_rule %r (exclusive or inclusive)"
                                   % (suspend_rule,)) from None
    try:
        erule = _EXTEND_RULES[extend_rule]
    except KeyError:
        raise InvalidArgumentError("unknown extend_rule %r (from_end or total)"
                                   % (extend_rule,)) from None
    cal = _calendar(calendar)
    spec = _core.term_spec(from_date, length)
    spec.set_calendar(cal._c)
    spec.atw = _core.ATW_AUTO if atw else _core.ATW_OFF
    spec.suspend_rule = srule
    spec.extend_rule = erule
    for pair in suspend:
        a, b = pair
        spec.add_suspension(a, b)
    if isinstance(extend, str):
        extend = (extend,)
    for e in extend:
        spec.add_extension(e)
    r = spec.compute()
    d = Deadline(r, r.length_given())
    if explain:
        d.explanation  # noqa: B018  (computed now, kept)
    return d


# --------------------------------------------------------------------------
# Definitions

class Diagnostic(NamedTuple):
    """One finding of the definition validator."""

    severity: str   #: "error" or "warning"
    code: str       #: e.g. "ZF_ESEMANTIC"; "" for warnings
    check: str      #: e.g. "unknown-target"
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return "%s:%d:%d: %s: %s [%s]" % (self.file, self.line, self.column, self.severity,
                                          self.message, self.code or self.check)


def _diagnostics(dl) -> List[Diagnostic]:
    out = []
    for i in range(dl.count()):
        d = dl.get(i)
        out.append(Diagnostic("warning" if d.severity == _core.SEVERITY_WARNING else "error",
                              _core.code_name(d.code) if d.code else "", d.check or "",
                              d.file or "", d.line, d.column, d.message or ""))
    return out


def validate_files(paths) -> List[Diagnostic]:
    """Validate process definition files together, as ``zaakflow validate`` does:
    each file on its own (schema, semantic checks) and the links between them
    (a spawn names a process of the set, passes parameters it declares, with the
    right types, and every variable it requires). Returns every finding, errors
    and warnings, with file, line and column; an empty list means all is well."""
    import os
    names = [os.fspath(p) for p in paths]
    for name in names:
        if "\n" in name:
            raise InvalidArgumentError("a path with a newline: %r" % name)
    dl = _core.diagnostic_list()
    _core.validate_files("\n".join(names), dl)
    return _diagnostics(dl)


class Definition:
    """A compiled, immutable process definition.

    ``Definition.load(path)`` or ``Definition.from_string(xml)``. A failure
    raises ParseError, SchemaError, ValidationError or FileError carrying the
    first error's file, line and column, with every finding in
    ``.diagnostics``. Warnings of a valid definition are in ``.diagnostics``.
    """

    __slots__ = ("_d", "diagnostics", "path", "_var_names", "_names", "_owner",
                 "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use Definition.load(path) or Definition.from_string(xml)")

    @classmethod
    def _make(cls, fn, *args) -> "Definition":
        if not _HAVE_DEFINITION:
            raise NotImplementedError("this build of zaakflow has no process definitions")
        dl = _core.diagnostic_list()
        try:
            handle = fn(*args, dl)
        except ZaakflowError as e:
            e.diagnostics = _diagnostics(dl)
            raise
        self = object.__new__(cls)
        self._d = handle
        self._names = _core.names(handle.this)  # names resolved ahead for Case.fire()
        self.diagnostics = _diagnostics(dl)
        self.path = None
        self._var_names = None
        self._owner = None
        return self

    @classmethod
    def _view(cls, handle, owner, diagnostics=()) -> "Definition":
        """A definition borrowed from `owner` (a Registry), which it keeps alive."""
        self = object.__new__(cls)
        self._d = handle
        self._names = _core.names(handle.this)
        self.diagnostics = list(diagnostics)
        self.path = None
        self._var_names = None
        self._owner = owner
        return self

    @classmethod
    def load(cls, path) -> "Definition":
        """Load, validate and compile a definition file."""
        import os
        self = cls._make(_core.definition, os.fspath(path))
        self.path = os.fspath(path)
        return self

    @classmethod
    def from_string(cls, xml: Union[str, bytes], name: str = "<string>") -> "Definition":
        """Load, validate and compile a definition from XML text."""
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8")
        return cls._make(_core.definition_parse, xml, name)

    id = property(lambda self: self._d.id(), doc="the process id, e.g. 'bezwaar'")
    version = property(lambda self: self._d.version())
    title = property(lambda self: self._d.title())
    basis = property(lambda self: self._d.basis())
    hash = property(lambda self: self._d.hash(),
                    doc="the identity: SHA-256 of the canonical form (docs/versions.md)")

    @property
    def valid_from(self) -> Optional[_dt.date]:
        """The first day a case may start on this version (``valid-from``), or None."""
        return _core.validity_from(self._d)

    @property
    def valid_until(self) -> Optional[_dt.date]:
        """The last day a case may start on this version (``valid-until``), or None."""
        return _core.validity_until(self._d)

    def canonical(self) -> str:
        """The canonical form: what the hash covers, one statement a line."""
        return _core.canonical_form(self._d)

    @property
    def states(self) -> List[str]:
        return [self._d.state_id(i) for i in range(self._d.state_count())]

    @property
    def events(self) -> List[str]:
        return [self._d.event_id(i) for i in range(self._d.event_count())]

    @property
    def variables(self) -> List[str]:
        """The process variables, in declaration order."""
        return [self._d.var_id(i) for i in range(self._d.var_count())]

    @property
    def terms(self) -> List[str]:
        """The terms (deadlines), in declaration order."""
        return [self._d.term_id(i) for i in range(self._d.term_count())]

    @property
    def roles(self) -> List[str]:
        """The roles, in declaration order."""
        return [self._d.role_id(i) for i in range(self._d.role_count())]

    @property
    def transition_count(self) -> int:
        return self._d.transition_count()

    def dot(self) -> str:
        """The statechart as a Graphviz (dot) diagram."""
        return self._d.dot()

    def start(self, date: DateLike, journal: bool = True, **variables) -> "Case":
        """Start a case of this definition on ``date`` with initial ``variables``
        (Python values: bool, int, Decimal, datetime.date, or str such as "6w").
        ``journal=False`` keeps no audit trail (no allocation per event)."""
        if not _HAVE_INSTANCE:
            raise NotImplementedError("this build of zaakflow has no case instances")
        return Case.start(self, date, journal=journal, **variables)

    def restore(self, xml: Union[str, bytes], journal: bool = True) -> "Case":
        """Rebuild a case of this definition from snapshot XML."""
        return Case.restore(self, xml, journal=journal)

    def _variable_names(self, case: "Case") -> List[str]:
        if self._var_names is None:
            self._var_names = self.variables
        return self._var_names

    def __repr__(self) -> str:
        return "<zaakflow.Definition %s %s>" % (self.id, self.version)


__all__ += ["Definition", "Diagnostic", "validate_files"]


# --------------------------------------------------------------------------
# Cases (instances of a definition)

import decimal as _decimal  # noqa: E402
from collections.abc import Mapping as _Mapping  # noqa: E402


def _text(value) -> str:
    """A Python value as the text the library parses for the declared type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _decimal.Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return "%.2f" % value
    if isinstance(value, str):
        return value
    raise TypeError("cannot pass %s to zaakflow (use bool, int, Decimal, date or str)"
                    % type(value).__name__)


def _params(values: dict):
    if not values:
        return None
    pl = _core.param_list()
    for name, value in values.items():
        if value is None:
            continue
        pl.add(name, _text(value))
    return pl


def _value(vtype: int, text: str):
    """(zf_type, text) from the library -> a Python value."""
    if vtype == _core.TYPE_VOID:
        return None
    if vtype == _core.TYPE_BOOL:
        return text == "true"
    if vtype == _core.TYPE_INT:
        return int(text)
    if vtype == _core.TYPE_MONEY:
        return _decimal.Decimal(text)
    if vtype == _core.TYPE_DATE:
        return _dt.date.fromisoformat(text)
    return text  # duration ("6w"), string, enum value name


def _roles(roles) -> str:
    if roles is None:
        return ""
    if isinstance(roles, str):
        return roles
    return " ".join(roles)


class Term(NamedTuple):
    """A term (deadline) of a case."""

    id: str
    title: str
    basis: str
    status: str                      #: idle, running, suspended, stopped, expired
    trigger: Optional[_dt.date]      #: the day that started it
    length: str                      #: e.g. "6w"
    first_day: Optional[_dt.date]
    nominal_end: Optional[_dt.date]
    end: Optional[_dt.date]          #: the last day on which the act is in time
    suspensions: Tuple[Tuple[_dt.date, Optional[_dt.date]], ...]
    extensions: Tuple[str, ...]
    explanation: str                 #: the computation of `end` in words ("" when idle)

    @property
    def last_day(self) -> Optional[_dt.date]:
        return self.end


class Effect(NamedTuple):
    """Something the host must do: notify someone or start a related case."""

    kind: str            #: "notify" or "spawn"
    date: _dt.date
    to: str = ""         #: notify: addressee
    text: str = ""       #: notify: the notice
    process: str = ""    #: spawn: process id
    relation: str = ""   #: spawn: "vervolg" or "deelzaak"
    params: Tuple[Tuple[str, object], ...] = ()


class JournalItem(NamedTuple):
    kind: str                   #: e.g. "entered", "term-started" (see zf_journal_kind_name)
    name: str
    text: str
    date: Optional[_dt.date]
    value: object = None


class JournalEntry(NamedTuple):
    """One step of the audit trail."""

    seq: int
    date: _dt.date
    event: Optional[str]        #: None for the start of the case
    actor: Optional[str]
    items: Tuple[JournalItem, ...]


class Due(NamedTuple):
    """The next last day among running terms: schedule advance() to the day after."""

    date: _dt.date
    term: str




def _effects_of(h) -> List[Effect]:
    """The effects of the last successful call on the zaakflow.core.instance ``h``
    (also what builds the EffectList that Case.fire() returns, when read)."""
    out = []
    n = h.effect_count()
    for i in range(n):
        e = h.effect_at(i)
        if e.kind == _core.EFFECT_SPAWN:
            ps = []
            for j in range(e.nparams):
                pv = h.effect_param_at(i, j)
                ps.append((pv.name, _value(pv.value_type(), pv.value_text())))
            out.append(Effect("spawn", e.date, process=e.process or "",
                              relation=e.relation or "", params=tuple(ps)))
        else:
            out.append(Effect("notify", e.date, to=e.to or "", text=e.text or ""))
    return out


class Variables(_Mapping):
    """The case's variables, read-only and live: ``case.variables["tijdig"]``."""

    __slots__ = ("_case",)

    def __init__(self, case: "Case"):
        self._case = case

    def __getitem__(self, name: str):
        try:
            pv = self._case._h.var(name)
        except NotFoundError:
            raise KeyError(name) from None
        return _value(pv.value_type(), pv.value_text())

    def __iter__(self):
        return iter(self._case.definition._variable_names(self._case))

    def __len__(self) -> int:
        return len(self._case.definition._variable_names(self._case))

    def __repr__(self) -> str:
        return "Variables(%r)" % dict(self)


class Case:
    """A running procedure of a :class:`Definition`.

    Start one with ``definition.start(date, **variables)`` or rebuild one with
    ``Case.restore(definition, snapshot_xml)``. Time is an argument: every
    event carries its legal date; ``advance(date)`` lets terms expire. A
    failing call raises and changes nothing. The case keeps its definition
    alive. ``with`` closes the case (frees it) at the end of the block.
    """

    # _i: the zaakflow.core.instance proxy; _p: its SWIG pointer object, read
    # by the C fast path of fire(); _fx: the EffectList fire() returned last;
    # _n: the definition's names resolved ahead (zaakflow.core.Names).
    __slots__ = ("_i", "_p", "_fx", "_n", "definition", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use definition.start(date, **variables) or Case.restore(definition, xml)")

    @classmethod
    def _wrap(cls, definition: "Definition", handle) -> "Case":
        self = object.__new__(cls)
        self._i = handle
        self._p = handle.this
        self._fx = None
        self._n = definition._names
        self.definition = definition
        return self

    @classmethod
    def start(cls, definition: "Definition", date: DateLike, journal: bool = True,
              **variables) -> "Case":
        return cls._wrap(definition, _core.instance(definition._d, date, _params(variables),
                                                    1 if journal else 0))

    @classmethod
    def restore(cls, definition: "Definition", xml: Union[str, bytes],
                journal: bool = True) -> "Case":
        """Rebuild a case from snapshot XML made for this very definition
        (id, version and hash must match; else SnapshotError)."""
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8")
        return cls._wrap(definition, _core.instance_restore(definition._d, xml,
                                                            1 if journal else 0))

    @property
    def _h(self):
        h = self._i
        if h is None:
            raise InvalidArgumentError("the case is closed")
        return h

    def close(self) -> None:
        """Free the case now (it is freed anyway when no longer referenced)."""
        if self._i is not None:
            _core.case_settle(self)
        self._i = None
        self._p = None
        self._fx = None

    def __enter__(self) -> "Case":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- changing the case
    def fire(self, event: str, date: DateLike, actor: Optional[str] = None,
             roles: Union[str, Sequence[str]] = (), **params) -> Sequence[Effect]:
        """Fire ``event`` dated ``date`` by ``actor`` holding ``roles``, with the
        event's parameters as keywords. Returns the effects of this call.
        Raises RejectedError (not allowed now), ForbiddenError (role missing),
        NotFoundError (no such event) or InvalidArgumentError (bad date or parameter).

        Replaced below by the C fast path (zaakflow.core.case_install), which
        returns a lazy EffectList; this Python version documents the behaviour."""
        h = self._h
        _core.case_settle(self)
        h.fire(event, date, actor, _roles(roles), _params(params))
        return _effects_of(h)

    def advance(self, date: DateLike) -> List[Effect]:
        """Let time pass up to ``date``: terms whose last day is before it expire."""
        h = self._h
        _core.case_settle(self)
        h.advance(date)
        return self.effects

    # -- reading the case
    @property
    def date(self) -> _dt.date:
        """The case date: the date of the last event or advance."""
        return self._h.date()

    @property
    def active_states(self) -> List[str]:
        h = self._h
        return [h.active_id(i) for i in range(h.active_count())]

    def is_active(self, state: str) -> bool:
        """Whether ``state`` is active (NotFoundError when there is no such state)."""
        return bool(self._h.is_active(state))

    def __contains__(self, state: str) -> bool:
        try:
            return self.is_active(state)
        except NotFoundError:
            return False

    def enabled_events(self, actor: Optional[str] = None,
                       roles: Union[str, Sequence[str]] = ()) -> List[str]:
        """The events ``actor`` with ``roles`` could fire now."""
        text = self._h.enabled_events(actor, _roles(roles))
        return [e for e in text.split("\n") if e]

    @property
    def variables(self) -> Variables:
        return Variables(self)

    def _term(self, t) -> Term:
        h = self._h
        susp = tuple((t.suspension_from(k), t.suspension_to(k))
                     for k in range(t.suspension_count()))
        ext = tuple(t.extension(k) for k in range(t.extension_count()))
        status = _core.term_status_name(t.status)
        explanation = ""
        if t.status != _core.TERM_IDLE:
            try:
                explanation = h.term_explain(t.id)
            except RejectedError:
                explanation = ""
        return Term(t.id, t.title or "", t.basis or "", status, t.trigger,
                    t.term_length() if t.status != _core.TERM_IDLE else "",
                    t.first_day, t.nominal_end, t.end, susp, ext, explanation)

    @property
    def terms(self) -> List[Term]:
        """Every term of the definition, in document order, with its status."""
        h = self._h
        return [self._term(h.term_at(i)) for i in range(h.term_count())]

    def term(self, term_id: str) -> Term:
        """One term by id (NotFoundError when there is none)."""
        return self._term(self._h.term_named(term_id))

    def next_due(self) -> Optional[Due]:
        """The earliest last day among running terms, or None."""
        h = self._h
        d = h.next_due()
        return None if d is None else Due(d, h.next_due_term())

    @property
    def finished(self) -> bool:
        return bool(self._h.finished())

    @property
    def outcome(self) -> Optional[str]:
        return self._h.outcome()

    @property
    def effects(self) -> List[Effect]:
        """The effects of the last successful call (start, fire, advance), in order."""
        return _effects_of(self._h)

    @property
    def journal(self):
        """The audit trail: an iterator of :class:`JournalEntry` (empty when off)."""
        h = self._h
        for i in range(h.journal_count()):
            e = h.journal_entry_at(i)
            items = []
            for j in range(e.nitems):
                it = h.journal_item_at(i, j)
                items.append(JournalItem(_core.journal_kind_name(it.kind), it.name or "",
                                         it.text or "", it.date,
                                         _value(it.value_type(), it.value_text())))
            yield JournalEntry(e.seq, e.date, e.event, e.actor, tuple(items))

    def timeline(self) -> str:
        """The journal as a readable timeline."""
        return self._h.timeline()

    def snapshot(self) -> str:
        """The case as snapshot XML (deterministic; restore with Case.restore())."""
        return self._h.snapshot()

    @property
    def memory(self) -> int:
        """Bytes the case occupies in C (not counting the journal)."""
        return self._h.memory()

    def __repr__(self) -> str:
        if self._i is None:
            return "<zaakflow.Case (closed)>"
        state = "finished: %s" % self.outcome if self.finished else ", ".join(self.active_states)
        return "<zaakflow.Case %s %s [%s]>" % (self.definition.id, self.date, state)


Instance = Case

# Case.fire in C: one call into the library per event (see zaakflow_py.i).
if _HAVE_INSTANCE and hasattr(_core, "case_install"):
    _core.case_install(Case, _effects_of, _text)
    from collections.abc import Sequence as _Sequence  # noqa: E402
    _Sequence.register(_core.EffectList)
    EffectList = _core.EffectList
    __all__ += ["EffectList"]


if _HAVE_INSTANCE:
    __all__ += ["Case", "Instance", "Term", "Effect", "JournalEntry", "JournalItem", "Due",
                "Variables"]


# --------------------------------------------------------------------------
# Versions side by side (docs/versions.md) and migration (docs/migration.md)

class Registry:
    """Definitions side by side: several versions of a process, found by id and
    version, by hash, or by the date a case starts (``valid-from``,
    ``valid-until``). The registry owns its definitions; a Definition or Case it
    gives keeps it alive.

    >>> reg = Registry(["processes/dwangsom_2018.xml", "processes/dwangsom.xml"])
    >>> reg.pick("dwangsom", datetime.date(2018, 12, 20)).version
    '2018.1'
    """

    __slots__ = ("_r", "_views", "__weakref__")

    def __init__(self, paths: Iterable = ()):
        if not _HAVE_INSTANCE:
            raise NotImplementedError("this build of zaakflow has no case instances")
        self._r = _core.registry()
        self._views = {}
        for p in paths:
            self.load(p)

    def _view(self, handle, diagnostics=()) -> "Definition":
        key = int(handle.this)
        d = self._views.get(key)
        if d is None:
            d = self._views[key] = Definition._view(handle, self, diagnostics)
        return d

    def load(self, path) -> "Definition":
        """Load a definition file into the registry (ValidationError when the same
        version is there with other content, or the validities of two versions
        overlap). The same definition twice is registered once."""
        import os
        dl = _core.diagnostic_list()
        try:
            handle = self._r.load(os.fspath(path), dl)
        except ZaakflowError as e:
            e.diagnostics = _diagnostics(dl)
            raise
        d = self._view(handle, _diagnostics(dl))
        if d.path is None:
            d.path = os.fspath(path)
        return d

    def __len__(self) -> int:
        return self._r.count()

    def __iter__(self):
        """The definitions by id, then validity, then version."""
        for i in range(self._r.count()):
            yield self._view(self._r.get(i))

    @property
    def definitions(self) -> List["Definition"]:
        return list(self)

    def find(self, id: str, version: str) -> "Definition":
        """The definition of process ``id`` in ``version`` (NotFoundError)."""
        return self._view(self._r.find(id, version))

    def find_hash(self, hash: str) -> "Definition":
        """The definition with this hash (NotFoundError)."""
        return self._view(self._r.find_hash(hash))

    def pick(self, id: str, date: DateLike) -> "Definition":
        """The version of process ``id`` valid on ``date`` (NotFoundError when none is)."""
        return self._view(self._r.pick(id, date))

    def start(self, id: str, date: DateLike, journal: bool = True, **variables) -> "Case":
        """Start a case of ``id`` on ``date`` with the version valid on that day."""
        return self.pick(id, date).start(date, journal=journal, **variables)

    def follow(self, case: "Case", effect: int = 0, journal: bool = True) -> "Case":
        """Start the related case that spawn effect ``effect`` of ``case`` (its last
        call's effects) asks for: the version valid on the spawn's date."""
        h = self._r.follow(case._h, effect, 1 if journal else 0)
        return Case._wrap(self._view(_core.instance_definition_of(h)), h)

    def restore(self, xml: Union[str, bytes], journal: bool = True) -> "Case":
        """Rebuild a case with the definition its snapshot names (by hash), so an old
        case finds its old version (SnapshotError when the registry lacks it)."""
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8")
        h = self._r.restore(xml, 1 if journal else 0)
        return Case._wrap(self._view(_core.instance_definition_of(h)), h)

    def load_migration(self, path) -> "Migration":
        """Load a migration document with the versions it names from this registry."""
        import os
        dl = _core.diagnostic_list()
        try:
            handle = self._r.load_migration(os.fspath(path), dl)
        except ZaakflowError as e:
            e.diagnostics = _diagnostics(dl)
            raise
        return Migration._wrap(handle, _diagnostics(dl), self)

    def __repr__(self) -> str:
        return "<zaakflow.Registry %s>" % ", ".join(
            "%s %s" % (d.id, d.version) for d in self)


class Migration:
    """A migration document, checked against both versions (docs/migration.md):
    how running cases move from ``from_id@from_version`` to ``to_id@to_version``.
    ``Migration.load(path, old, new)`` or ``registry.load_migration(path)``; a
    document with errors raises ValidationError with ``.diagnostics`` (every
    finding with file, line and column)."""

    __slots__ = ("_m", "diagnostics", "_owner", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use Migration.load(path, old, new) or registry.load_migration(path)")

    @classmethod
    def _wrap(cls, handle, diagnostics, owner) -> "Migration":
        self = object.__new__(cls)
        self._m = handle
        self.diagnostics = diagnostics
        self._owner = owner
        return self

    @classmethod
    def load(cls, path, old: "Definition", new: "Definition") -> "Migration":
        import os
        dl = _core.diagnostic_list()
        try:
            handle = _core.migration(os.fspath(path), old._d, new._d, dl)
        except ZaakflowError as e:
            e.diagnostics = _diagnostics(dl)
            raise
        return cls._wrap(handle, _diagnostics(dl), None)

    from_id = property(lambda self: self._m.from_id())
    from_version = property(lambda self: self._m.from_version())
    from_hash = property(lambda self: self._m.from_hash())
    to_id = property(lambda self: self._m.to_id())
    to_version = property(lambda self: self._m.to_version())
    to_hash = property(lambda self: self._m.to_hash())
    basis = property(lambda self: self._m.basis(), doc="the legal basis, or None")

    def migrate(self, case: "Case", to: "Definition", date: DateLike,
                actor: Optional[str] = None) -> "Case":
        """A new case: ``case`` moved to ``to`` as of ``date`` (journaled, atomic;
        ``case`` is unchanged). InvalidArgumentError for the wrong versions or a date
        before the case date; RejectedError when a term ran out before ``date``
        (advance the case first)."""
        return Case._wrap(to, self._m.migrate(case._h, to._d, date, actor))

    def __repr__(self) -> str:
        return "<zaakflow.Migration %s@%s -> %s@%s>" % (
            self.from_id, self.from_version, self.to_id, self.to_version)


if _HAVE_INSTANCE:
    __all__ += ["Registry", "Migration"]


# ---- ZGW: Catalogi API 1.3.1 and Zaken API 1.5.1 (docs/zgw.md) ------------------

_HAVE_ZGW = hasattr(_core, "zgw_export")

#: The files of Open Zaak's catalogus import layout, in zgw_export()'s order.
ZGW_RESOURCES = ("ZaakType", "StatusType", "ResultaatType", "RolType", "Eigenschap")


def _zgw_call(fn, *args):
    if not _HAVE_ZGW:
        raise NotImplementedError("this build of zaakflow has no ZGW module")
    dl = _core.diagnostic_list()
    try:
        return fn(*args, dl)
    except ZaakflowError as e:
        e.diagnostics = _diagnostics(dl)
        raise


class ZgwConfig:
    """The host's ZGW configuration: catalogus, RSIN, archiving, the generic role
    of each role, ... (strict JSON, docs/zgw.md). ``ZgwConfig.load(path)``; a bad
    file raises ParseError or SchemaError with file, line and column and every
    finding in ``.diagnostics``."""

    __slots__ = ("_c", "path", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use ZgwConfig.load(path)")

    @classmethod
    def load(cls, path) -> "ZgwConfig":
        import os
        self = object.__new__(cls)
        self._c = _zgw_call(_core.zgw_config, os.fspath(path))
        self.path = os.fspath(path)
        return self


def zgw_export(paths, config: ZgwConfig) -> dict:
    """The zaaktypen of the process files `paths` for the Catalogi API, as
    ``zaakflow zgw export`` writes them: ``{"ZaakType": [...], "StatusType": [...],
    "ResultaatType": [...], "RolType": [...], "Eigenschap": [...], "requests": [...]}``
    (parsed JSON). A configuration that lacks fields raises ValidationError with
    every missing field in ``.diagnostics``."""
    import json
    import os
    names = [os.fspath(p) for p in paths]
    for name in names:
        if "\n" in name:
            raise InvalidArgumentError("a path with a newline: %r" % name)
    joined = "\n".join(names)
    out = {}
    for i, res in enumerate(ZGW_RESOURCES + ("requests",)):
        out[res] = json.loads(_zgw_call(_core.zgw_export, joined, config._c, i))
    return out


class ZgwProcess:
    """A process definition with its ZGW declarations (zgw:status, ...):
    ``ZgwProcess.load(path)``. ``case(...)`` and ``case_requests(...)`` give the
    Zaak view of a :class:`Case` of the same definition file."""

    __slots__ = ("_p", "path", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use ZgwProcess.load(path)")

    @classmethod
    def load(cls, path) -> "ZgwProcess":
        import os
        self = object.__new__(cls)
        self._p = _zgw_call(_core.zgw_process, os.fspath(path))
        self.path = os.fspath(path)
        return self

    def case(self, case: "Case", config: ZgwConfig, zaak: str,
             hoofdzaak: Optional[str] = None, vervolg_op: Optional[str] = None) -> dict:
        """The Zaak view of `case`: {"zaak", "status", "resultaat"} (Zaken API 1.5.1)."""
        import json
        return json.loads(self._p.case_view(case._h, config._c, zaak, hoofdzaak, vervolg_op))

    def case_requests(self, case: "Case", config: ZgwConfig, zaak: str,
                      hoofdzaak: Optional[str] = None, vervolg_op: Optional[str] = None,
                      after: int = 0) -> dict:
        """The Zaken API requests for the journal entries after `after`:
        {"after", "requests", "through"}; pass ``through`` as the next `after`."""
        import json
        if not isinstance(after, int) or after < 0 or after > 0xFFFFFFFF:
            raise InvalidArgumentError("after must be a journal entry number")
        return json.loads(self._p.case_requests(case._h, config._c, zaak, hoofdzaak,
                                                vervolg_op, after))


__all__ += ["ZGW_RESOURCES", "ZgwConfig", "ZgwProcess", "zgw_export"]
