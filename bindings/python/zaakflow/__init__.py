"""zaakflow: Dutch municipal legal procedures as XML-defined statecharts.

The Pythonic layer over the C library (through the SWIG module
``zaakflow.core``).  Dates are :class:`datetime.date` everywhere; durations are
strings such as ``"6w"``, ``"14d"``, ``"3m"``, ``"1y"``; every failure is a
:class:`ZaakflowError` subclass, never an error code.

Two rules hold everywhere (README "Use it from Python"):

* A legal date is a Dutch calendar date. A ``datetime.date`` is taken as it
  is; an aware ``datetime`` counts as its calendar date in Europe/Amsterdam
  (23:30 UTC on 13 April 2026 is 14 April there); a naive ``datetime`` is
  refused (TypeError), because its date depends on a time zone it does not
  name.
* A case is used by one call at a time: calls on one :class:`Case` from
  several threads wait for each other (fire() runs without the GIL, so
  threads working on different cases run in parallel).

    >>> import datetime, zaakflow
    >>> zaakflow.deadline(datetime.date(2026, 4, 3), "6w").last_day
    datetime.date(2026, 5, 18)
"""

from __future__ import annotations

import datetime as _dt
import enum as _enum
import os as _os
import threading as _threading
import weakref as _weakref
from collections.abc import Iterable as _IterableABC
from collections.abc import Mapping as _Mapping
from collections.abc import Sequence as _SequenceABC
from typing import Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

__all__ = [
    "ZaakflowError", "OutOfMemoryError", "InvalidArgumentError", "ParseError",
    "SchemaError", "ValidationError", "NotFoundError", "RejectedError",
    "SnapshotError", "RangeError", "FileError", "ForbiddenError",
    "EvaluationError", "LimitError", "ConflictError", "DatabaseError",
    "Calendar", "Day", "Deadline", "Step", "deadline", "calendar", "is_working_day",
    "working_days", "why", "version", "register",
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


class ConflictError(ZaakflowError):
    """The case was changed by someone else since it was read (its revision
    moved on): read it again and retry. Nothing was changed."""
    code = "ZF_ECONFLICT"


class DatabaseError(ZaakflowError):
    """The case store's database failed (connection, SQL, schema version)."""
    code = "ZF_EDATABASE"


_ERRORS = {
    -1: OutOfMemoryError, -2: InvalidArgumentError, -3: ParseError, -4: SchemaError,
    -5: ValidationError, -6: NotFoundError, -7: RejectedError, -8: SnapshotError,
    -9: RangeError, -10: FileError, -11: ForbiddenError, -12: EvaluationError,
    -13: LimitError, -14: ConflictError, -15: DatabaseError,
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
# Arguments: never None where a value is needed, never a guessed date.


def _type_name(value) -> str:
    return "None" if value is None else type(value).__name__


def _need(value, name: str, types, what: str):
    """``value`` when it is one of ``types``, else TypeError naming the argument."""
    if not isinstance(value, types):
        raise TypeError("%s must be %s, not %s" % (name, what, _type_name(value)))
    return value


def _need_str(value, name: str) -> str:
    return _need(value, name, str, "a str")


def _need_flag(value, name: str) -> bool:
    return bool(_need(value, name, int, "a bool"))   # bool is an int; None is not


def _need_date(value, name: str):
    """A date argument: datetime.date (an aware datetime too) or 'YYYY-MM-DD'.
    The C layer converts it; here only the kinds are checked, to name the argument."""
    return _need(value, name, (_dt.date, str), "a datetime.date or 'YYYY-MM-DD'")


def _need_path(value, name: str) -> str:
    _need(value, name, (str, _os.PathLike), "a path (str or os.PathLike)")
    path = _os.fspath(value)
    return _need(path, name, str, "a path (str or os.PathLike)")


_AMSTERDAM = None
_NAIVE = ("%s: a naive datetime has no time zone, so its legal date is unknown; "
          "pass a datetime.date (e.g. value.date() for a Dutch local time) or an "
          "aware datetime, whose calendar date in Europe/Amsterdam is taken")


def _amsterdam():
    global _AMSTERDAM
    if _AMSTERDAM is None:
        try:
            import zoneinfo
            _AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
        except Exception as e:   # ZoneInfoNotFoundError, or no zoneinfo module
            raise FileError("time zone data for Europe/Amsterdam not found (%s): install "
                            "tzdata (Debian: apt-get install tzdata)" % e) from None
    return _AMSTERDAM


def _amsterdam_date(value: _dt.datetime, what: str = "date") -> _dt.date:
    """The legal date of a datetime: its calendar date in Europe/Amsterdam when it
    is aware; a naive datetime is refused. Called by the C layer for every
    datetime it is given."""
    tz = value.tzinfo
    if tz is None or tz.utcoffset(value) is None:
        raise TypeError(_NAIVE % what)
    return value.astimezone(_amsterdam()).date()


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

    def __init__(self, which: Union[str, "_os.PathLike[str]"] = "atw"):
        if which == "atw":
            self._c = _core.calendar_atw()
        elif which == "none":
            self._c = _core.calendar_none()
        else:
            self._c = _core.calendar(_need_path(which, "which"))
        self._name = which

    @property
    def id(self) -> str:
        return self._c.id()

    def is_working_day(self, date: DateLike) -> bool:
        return bool(self._c.is_working_day(_need_date(date, "date")))

    def why(self, date: DateLike) -> Day:
        """The day with the reason it is or is not a working day."""
        return _day(self._c.why(_need_date(date, "date")))

    def working_days(self, first: DateLike, last: DateLike) -> int:
        """Number of working days from ``first`` up to and including ``last``."""
        return self._c.workdays(_need_date(first, "first"), _need_date(last, "last"))

    def year(self, year: int) -> List[Day]:
        """Non-working days of ``year`` other than plain weekends, in date order."""
        year = _need_year(year)
        n = self._c.holiday_count(year)
        return [_day(self._c.holiday(year, i)) for i in range(min(n, 128))]

    def __repr__(self) -> str:
        return "<zaakflow.Calendar %r>" % self.id


def _need_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError("year must be an int, not %s" % _type_name(year))
    if not 1 <= year <= 9999:
        raise RangeError("year outside 1-9999: %d" % year)
    return year


_ATW = None


def _calendar(cal, name: str = "calendar") -> Calendar:
    global _ATW
    if isinstance(cal, Calendar):
        return cal
    _need(cal, name, (str, _os.PathLike), "'atw', 'none', a path or a Calendar")
    if cal == "atw":
        if _ATW is None:
            _ATW = Calendar("atw")
        return _ATW
    return Calendar(cal)


def calendar(year: int, calendar: Union[str, Calendar] = "atw") -> List[Day]:
    """The holidays and equated days of ``year`` (plain weekends left out)."""
    year = _need_year(year)
    return _calendar(calendar).year(year)


def is_working_day(date: DateLike, calendar: Union[str, Calendar] = "atw") -> bool:
    """Whether ``date`` is a working day under the Algemene termijnenwet (or ``calendar``)."""
    _need_date(date, "date")
    return _calendar(calendar).is_working_day(date)


def why(date: DateLike, calendar: Union[str, Calendar] = "atw") -> Day:
    """``date`` with the reason it is or is not a working day."""
    _need_date(date, "date")
    return _calendar(calendar).why(date)


def working_days(first: DateLike, last: DateLike,
                 calendar: Union[str, Calendar] = "atw") -> int:
    """Number of working days in the closed interval [first, last]."""
    _need_date(first, "first")
    _need_date(last, "last")
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

    def __init__(self, *args, **kwargs):
        raise TypeError("use zaakflow.deadline(from_date, length)")

    @classmethod
    def _make(cls, r, length: str) -> "Deadline":
        self = object.__new__(cls)
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
        return self

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
             extend: Union[str, Iterable[str]] = (), explain: bool = False, atw: bool = True,
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

    Raises ParseError or RangeError (both ValueError) for bad input, TypeError
    for an argument of the wrong type (None included).
    """
    _need_date(from_date, "from_date")
    _need_str(length, "length")
    cal = _calendar(calendar)
    _need(suspend, "suspend", _IterableABC, "an iterable of (date, date) pairs")
    _need(extend, "extend", (str, _IterableABC), "a duration or an iterable of durations")
    explain = _need_flag(explain, "explain")
    atw = _need_flag(atw, "atw")
    _need_str(suspend_rule, "suspend_rule")
    _need_str(extend_rule, "extend_rule")
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
    spec = _core.term_spec(from_date, length)
    spec.set_calendar(cal._c)
    spec.atw = _core.ATW_AUTO if atw else _core.ATW_OFF
    spec.suspend_rule = srule
    spec.extend_rule = erule
    for pair in suspend:
        _need(pair, "a suspension", (tuple, list), "a (date, date) pair")
        if len(pair) != 2:
            raise TypeError("a suspension must be a (date, date) pair, not %d items" % len(pair))
        a, b = pair
        spec.add_suspension(_need_date(a, "suspension start"), _need_date(b, "suspension end"))
    if isinstance(extend, str):
        extend = (extend,)
    for e in extend:
        spec.add_extension(_need_str(e, "an extension"))
    r = spec.compute()
    d = Deadline._make(r, r.length_given())
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


def validate_files(paths: Iterable[Union[str, "_os.PathLike[str]"]], beside: bool = False,
                   strict: bool = False) -> List[Diagnostic]:
    """Validate process definition files together: each file on its own (schema,
    semantic checks) and the links between them (no two files define the same
    process id and version; a spawn names a process of the set, passes
    parameters it declares, with the right types, and every variable it
    requires). Returns every finding, errors and warnings, with file, line and
    column; an empty list means all is well.

    With ``beside=True``, as ``zaakflow validate`` does, a spawned process that
    is not among the files is looked for beside the file that spawns it (same
    directory, by the id of its root element); one found nowhere is a warning,
    or an error with ``strict=True``. Without it, only the files given count
    and a spawn of any other process is an error."""
    if isinstance(paths, (str, bytes, _os.PathLike)):
        raise TypeError("paths must be a list of paths, not one %s" % _type_name(paths))
    _need(paths, "paths", _IterableABC, "an iterable of paths")
    names = [_need_path(p, "a path") for p in paths]
    beside = _need_flag(beside, "beside")
    strict = _need_flag(strict, "strict")
    for name in names:
        if "\n" in name:
            raise InvalidArgumentError("a path with a newline: %r" % name)
    dl = _core.diagnostic_list()
    _core.validate_files_ext("\n".join(names), beside, strict, dl)
    return _diagnostics(dl)


class EventKind(str, _enum.Enum):
    """The kind of an event: only EXTERNAL events are fired by the host."""

    EXTERNAL = "external"   #: declared in <events>, fired with Case.fire()
    INTERNAL = "internal"   #: declared with internal="true": raised by the process itself
    EXPIRY = "expiry"       #: implicit expired.<term>: a term expired
    DONE = "done"           #: implicit done.state.<id>: a state reached its final state

    def __str__(self) -> str:
        return self.value


_EVENT_KINDS = {_core.EVENT_EXTERNAL: EventKind.EXTERNAL, _core.EVENT_INTERNAL: EventKind.INTERNAL,
                _core.EVENT_EXPIRY: EventKind.EXPIRY, _core.EVENT_DONE: EventKind.DONE}


class Parameter(NamedTuple):
    """A parameter of an event."""

    name: str
    type: str                   #: bool, int, money, date, duration, string or enum
    required: bool              #: fire() refuses the event without it
    enumeration: Optional[str]  #: for type "enum": the enumeration's id
    values: Tuple[str, ...]     #: for type "enum": its values, in declaration order


class Event(NamedTuple):
    """An event of a definition: what fire() needs to know about it."""

    name: str
    kind: EventKind
    title: str
    basis: str                         #: the legal basis ("" when none)
    roles: Tuple[str, ...]             #: roles that may fire it; () = anyone (a transition may still require one)
    parameters: Tuple[Parameter, ...]  #: in declaration order
    line: int                          #: where it is declared (an implicit event: its term or state)

    @property
    def implicit(self) -> bool:
        """True for expired.<term> and done.state.<id>: raised by the engine."""
        return self.kind in (EventKind.EXPIRY, EventKind.DONE)


# Definitions by hash: every Definition loaded in this process (weakly) and those
# register()ed (kept). Unpickling a Case or a Definition looks its definition up here.
_LOADED: "_weakref.WeakValueDictionary[str, Definition]" = _weakref.WeakValueDictionary()
_REGISTERED: "dict[str, Definition]" = {}
_REGISTRY_LOCK = _threading.Lock()


def register(definition: "Definition") -> "Definition":
    """Keep ``definition`` for unpickling: a pickled :class:`Case` (or Definition)
    names its definition by id, version and hash, and unpickling finds it among the
    definitions loaded in this process or registered here. Every loaded definition
    is found while it is alive; register one to keep it. Returns ``definition``."""
    _need(definition, "definition", Definition, "a zaakflow.Definition")
    with _REGISTRY_LOCK:
        _REGISTERED[definition.hash] = definition
    return definition


def _definition_by_identity(id: str, version: str, hash: str) -> "Definition":
    with _REGISTRY_LOCK:
        d = _REGISTERED.get(hash) or _LOADED.get(hash)
    if d is None or d.id != id or d.version != version:
        raise NotFoundError("no definition %s %s (hash %s...) is loaded: load it "
                            "(Definition.load) or zaakflow.register() it before unpickling"
                            % (id, version, hash[:12]))
    return d


class Definition:
    """A compiled, immutable process definition.

    ``Definition.load(path)`` or ``Definition.from_string(xml)``. A failure
    raises ParseError, SchemaError, ValidationError or FileError carrying the
    first error's file, line and column, with every finding in
    ``.diagnostics``. Warnings of a valid definition are in ``.diagnostics``.
    A definition is immutable: any number of threads and cases may share it;
    copying returns the definition itself and pickling names it by id,
    version and hash (see :func:`register`).
    """

    __slots__ = ("_d", "diagnostics", "path", "_var_names", "_names", "_events", "_owner",
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
        self._events = None
        self._owner = None
        with _REGISTRY_LOCK:
            _LOADED[self.hash] = self
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
        self._events = None
        self._owner = owner
        with _REGISTRY_LOCK:
            _LOADED.setdefault(self.hash, self)
        return self

    @classmethod
    def load(cls, path: Union[str, "_os.PathLike[str]"]) -> "Definition":
        """Load, validate and compile a definition file."""
        path = _need_path(path, "path")
        self = cls._make(_core.definition, path)
        self.path = path
        return self

    @classmethod
    def from_string(cls, xml: Union[str, bytes], name: str = "<string>") -> "Definition":
        """Load, validate and compile a definition from XML text."""
        _need(xml, "xml", (str, bytes), "a str or bytes")
        _need_str(name, "name")
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

    def _all_events(self) -> Tuple[Event, ...]:
        if self._events is None:
            self._events = tuple(self._event_at(i) for i in range(self._d.event_count()))
        return self._events

    def _event_at(self, i: int) -> Event:
        d = self._d
        e = d.event_info(i)
        roles = tuple(d.event_role(i, k) for k in range(e.nroles))
        params = []
        for k in range(e.nparams):
            p = d.param_info(i, k)
            values = tuple(d.param_enum_value(i, k, v) for v in range(p.nvalues))
            params.append(Parameter(p.id, _core.type_name(p.type), bool(p.required),
                                    p.enumeration, values))
        return Event(e.id, _EVENT_KINDS.get(e.kind, EventKind.EXTERNAL), e.title or "",
                     e.basis or "", roles, tuple(params), e.line)

    @property
    def events(self) -> List[str]:
        """The declared events (external and internal), in declaration order; the
        implicit expired.* and done.state.* events are in :attr:`implicit_events`."""
        return [e.name for e in self._all_events() if not e.implicit]

    @property
    def implicit_events(self) -> List[str]:
        """The events the engine raises itself: expired.<term> and done.state.<id>."""
        return [e.name for e in self._all_events() if e.implicit]

    def event(self, name: str) -> Event:
        """Event ``name`` with its kind, roles and parameters (NotFoundError when
        there is no such event)."""
        _need_str(name, "name")
        i = self._d.event_index(name)
        if i < 0:
            raise NotFoundError("process '%s' has no event '%s'" % (self.id, name))
        return self._all_events()[i]

    @property
    def variables(self) -> List[str]:
        """The process variables, in declaration order."""
        return [self._d.var_id(i) for i in range(self._d.var_count())]

    @property
    def terms(self) -> List[str]:
        """The terms (deadlines), in declaration order."""
        return [self._d.term_id(i) for i in range(self._d.term_count())]

    def term_party(self, term_id: str) -> Optional[str]:
        """Who must act before the last day of term ``term_id``: "bestuursorgaan",
        "belanghebbende", "partijen", "rechter" or "toezichthouder" (docs/language.md,
        "Who must act"); None when the term declares none. NotFoundError when there is
        no such term."""
        _need_str(term_id, "term_id")
        d = self._d
        for i in range(d.term_count()):
            if d.term_id(i) == term_id:
                return d.term_party(i)
        raise NotFoundError("process '%s' has no term '%s'" % (self.id, term_id))

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
        (Python values: bool, int, Decimal, datetime.date, or str such as "6w";
        None leaves a variable unset). ``journal=False`` keeps no audit trail (no
        allocation per event)."""
        if not _HAVE_INSTANCE:
            raise NotImplementedError("this build of zaakflow has no case instances")
        return Case.start(self, date, journal=journal, **variables)

    def restore(self, xml: Union[str, bytes], journal: bool = True) -> "Case":
        """Rebuild a case of this definition from snapshot XML."""
        return Case.restore(self, xml, journal=journal)

    def unpack(self, data: bytes, journal: bool = True) -> "Case":
        """Rebuild a case of this definition from its compact form (Case.pack())."""
        return Case.unpack(self, data, journal=journal)

    def _variable_names(self) -> List[str]:
        if self._var_names is None:
            self._var_names = self.variables
        return self._var_names

    def __copy__(self) -> "Definition":
        return self   # immutable

    def __deepcopy__(self, memo) -> "Definition":
        return self

    def __reduce__(self):
        return (_definition_by_identity, (self.id, self.version, self.hash))

    def __repr__(self) -> str:
        return "<zaakflow.Definition %s %s>" % (self.id, self.version)


__all__ += ["Definition", "Diagnostic", "validate_files", "Event", "EventKind", "Parameter"]


# --------------------------------------------------------------------------
# Cases (instances of a definition)

import decimal as _decimal  # noqa: E402


def _text(value, what: str = "a value") -> str:
    """A Python value as the text the library parses for the declared type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return _amsterdam_date(value, what).isoformat()
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
    raise TypeError("%s: cannot pass %s to zaakflow (use bool, int, Decimal, date or str)"
                    % (what, type(value).__name__))


def _params(values: dict):
    if not values:
        return None
    pl = _core.param_list()
    for name, value in values.items():
        if value is None:
            continue
        pl.add(name, _text(value, name))
    return pl


def _value(vtype: int, text: Optional[str]):
    """(zf_type, text) from the library -> a Python value."""
    if vtype == _core.TYPE_VOID or text is None:
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
    return " ".join(_need_str(r, "a role") for r in roles)


class TermStatus(str, _enum.Enum):
    """The status of a term; equal to its name ("running" == TermStatus.RUNNING)."""

    IDLE = "idle"              #: never started
    RUNNING = "running"
    SUSPENDED = "suspended"    #: an opschorting is open
    STOPPED = "stopped"        #: stopped by leaving its state or a stop action
    EXPIRED = "expired"        #: time passed its last day

    def __str__(self) -> str:
        return self.value


class EffectKind(str, _enum.Enum):
    """What an effect asks of the host."""

    NOTIFY = "notify"   #: send a notice
    SPAWN = "spawn"     #: start a related case (vervolg or deelzaak)

    def __str__(self) -> str:
        return self.value


class JournalKind(str, _enum.Enum):
    """The kind of a journal item; equal to its name in snapshots."""

    LEFT = "left"
    ENTERED = "entered"
    TRANSITION = "transition"
    TERM_STARTED = "term-started"
    TERM_STOPPED = "term-stopped"
    TERM_EXPIRED = "term-expired"
    TERM_SUSPENDED = "term-suspended"
    TERM_RESUMED = "term-resumed"
    TERM_EXTENDED = "term-extended"
    NOTIFY = "notify"
    SPAWN = "spawn"
    SPAWN_PARAM = "spawn-param"
    LOG = "log"
    ASSIGN = "assign"
    MIGRATED = "migrated"        #: name: from process@version; value: to; text: the basis
    TERM_MOVED = "term-moved"    #: name: term; value: the last day before; date: the new one

    def __str__(self) -> str:
        return self.value


_TERM_STATUS = {_core.TERM_IDLE: TermStatus.IDLE, _core.TERM_RUNNING: TermStatus.RUNNING,
                _core.TERM_SUSPENDED: TermStatus.SUSPENDED,
                _core.TERM_STOPPED: TermStatus.STOPPED, _core.TERM_EXPIRED: TermStatus.EXPIRED}
_JOURNAL_KIND = {k: JournalKind(_core.journal_kind_name(k)) for k in range(len(JournalKind))}


class Term(NamedTuple):
    """A term (deadline) of a case."""

    id: str
    title: str
    basis: str
    status: TermStatus
    trigger: Optional[_dt.date]      #: the day that started it
    length: str                      #: e.g. "6w"
    first_day: Optional[_dt.date]
    nominal_end: Optional[_dt.date]
    end: Optional[_dt.date]          #: the last day on which the act is in time
    suspensions: Tuple[Tuple[_dt.date, Optional[_dt.date]], ...]
    extensions: Tuple[str, ...]
    explanation: str                 #: the computation of `end` in words ("" when idle)
    party: Optional[str] = None      #: who must act before `end` (None: not declared)

    @property
    def last_day(self) -> Optional[_dt.date]:
        return self.end


class Params(_Mapping):
    """The parameters of a spawn effect: a read-only mapping in the order the
    definition passes them (hashable and picklable, like the Effect holding it)."""

    __slots__ = ("_items", "_d")

    def __init__(self, items: Iterable[Tuple[str, object]] = ()):
        if isinstance(items, _Mapping):
            items = items.items()
        _need(items, "items", _IterableABC, "an iterable of (name, value) pairs")
        self._items = tuple((_need_str(k, "a parameter name"), v) for k, v in items)
        self._d = dict(self._items)

    def __getitem__(self, name: str):
        return self._d[_need_str(name, "name")]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __eq__(self, other) -> bool:
        if isinstance(other, _Mapping):
            return self._d == dict(other.items())
        return NotImplemented

    def __reduce__(self):
        return (Params, (self._items,))

    def __repr__(self) -> str:
        return "Params(%r)" % (self._d,)


_NO_PARAMS = Params()


class Effect(NamedTuple):
    """Something the host must do: notify someone or start a related case."""

    kind: EffectKind
    date: _dt.date
    to: str = ""         #: notify: addressee
    text: str = ""       #: notify: the notice
    process: str = ""    #: spawn: process id
    relation: str = ""   #: spawn: "vervolg" or "deelzaak"
    params: Params = _NO_PARAMS   #: spawn: the evaluated parameters


class JournalItem(NamedTuple):
    kind: JournalKind
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


class FireCheck(NamedTuple):
    """What :meth:`Case.can_fire` found: true when fire() would take the event."""

    allowed: bool
    reason: Optional[ZaakflowError]   #: the error fire() would raise (.code, .message); None when allowed

    def __bool__(self) -> bool:
        return self.allowed


def _effects_from_raw(raw) -> List[Effect]:
    """Effect objects from the plain data the C layer copies out of a case (also
    what builds the EffectList that Case.fire() returns, when it is read)."""
    out = []
    for kind, date, to, text, process, relation, params in raw:
        if kind == _core.EFFECT_SPAWN:
            out.append(Effect(EffectKind.SPAWN, date, process=process or "",
                              relation=relation or "",
                              params=Params((n, _value(t, v)) for n, t, v in params)))
        else:
            out.append(Effect(EffectKind.NOTIFY, date, to=to or "", text=text or ""))
    return out


def _journal_from_raw(raw) -> List[JournalEntry]:
    return [JournalEntry(seq, date, event, actor,
                         tuple(JournalItem(_JOURNAL_KIND.get(kind, kind), name or "",
                                           text or "", idate, _value(vt, vv))
                               for kind, name, text, idate, vt, vv in items))
            for seq, date, event, actor, items in raw]


class Variables(_Mapping):
    """The case's variables, read-only and live: ``case.variables["tijdig"]``."""

    __slots__ = ("_case",)

    def __init__(self, case: "Case"):
        self._case = _need(case, "case", Case, "a zaakflow.Case")

    def __getitem__(self, name: str):
        _need_str(name, "name")
        with self._case._g:
            try:
                pv = self._case._h.var(name)
            except NotFoundError:
                raise KeyError(name) from None
            return _value(pv.value_type(), pv.value_text())

    def __iter__(self) -> Iterator[str]:
        return iter(self._case.definition._variable_names())

    def __len__(self) -> int:
        return len(self._case.definition._variable_names())

    def __repr__(self) -> str:
        return "Variables(%r)" % dict(self)


def _case_from_pickle(ident: Tuple[str, str, str], xml: str, journal: bool) -> "Case":
    return Case.restore(_definition_by_identity(*ident), xml, journal=journal)


class Case:
    """A running procedure of a :class:`Definition`.

    Start one with ``definition.start(date, **variables)`` or rebuild one with
    ``Case.restore(definition, snapshot_xml)``. Time is an argument: every
    event carries its legal date; ``advance(date)`` lets terms expire. A
    failing call raises and changes nothing. The case keeps its definition
    alive. ``with`` closes the case (frees it) at the end of the block.

    Threads: calls on one case from several threads wait for each other; fire()
    works without the GIL, so threads on different cases run in parallel.
    Copies: ``case.clone()`` (also ``copy.copy``/``copy.deepcopy``) is an exact,
    independent copy sharing the definition; ``pickle`` stores the snapshot
    with the definition's identity (see :func:`register`).
    """

    # _i: the zaakflow.core.instance proxy; _p: its SWIG pointer object, read
    # by the C fast path of fire(); _fx: the EffectList fire() returned last;
    # _n: the definition's names resolved ahead (zaakflow.core.Names); _g: the
    # Guard every call on the case holds (one call at a time); _journal: whether
    # the case keeps a journal.
    __slots__ = ("_i", "_p", "_fx", "_n", "_g", "_journal", "definition", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use definition.start(date, **variables) or Case.restore(definition, xml)")

    @classmethod
    def _wrap(cls, definition: "Definition", handle, journal: bool) -> "Case":
        self = object.__new__(cls)
        self._g = _core.Guard()
        self._i = handle
        self._p = handle.this
        self._fx = None
        self._n = definition._names
        self._journal = journal
        self.definition = definition
        return self

    @classmethod
    def start(cls, definition: "Definition", date: DateLike, journal: bool = True,
              **variables) -> "Case":
        """Start a case of ``definition`` on ``date`` (see Definition.start)."""
        _need(definition, "definition", Definition, "a zaakflow.Definition")
        _need_date(date, "date")
        journal = _need_flag(journal, "journal")
        return cls._wrap(definition, _core.instance(definition._d, date, _params(variables),
                                                    1 if journal else 0), journal)

    @classmethod
    def restore(cls, definition: "Definition", xml: Union[str, bytes],
                journal: bool = True) -> "Case":
        """Rebuild a case from snapshot XML made for this very definition
        (id, version and hash must match; else SnapshotError)."""
        _need(definition, "definition", Definition, "a zaakflow.Definition")
        _need(xml, "xml", (str, bytes), "a str or bytes")
        journal = _need_flag(journal, "journal")
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8")
        return cls._wrap(definition, _core.instance_restore(definition._d, xml,
                                                            1 if journal else 0), journal)

    @classmethod
    def unpack(cls, definition: "Definition", data: bytes, journal: bool = True) -> "Case":
        """Rebuild a case from its compact form (pack()) made for this very
        definition (its hash must match; else SnapshotError, as for damaged or
        inconsistent bytes). ``journal=False`` skips the journal unread."""
        _need(definition, "definition", Definition, "a zaakflow.Definition")
        _need(data, "data", (bytes, bytearray, memoryview), "bytes")
        journal = _need_flag(journal, "journal")
        return cls._wrap(definition, _core.instance_unpack(definition._d, bytes(data),
                                                           1 if journal else 0), journal)

    @property
    def _h(self):
        """The core instance; the caller holds the guard."""
        h = self._i
        if h is None:
            raise InvalidArgumentError("the case is closed")
        return h

    def close(self) -> None:
        """Free the case now (it is freed anyway when no longer referenced).
        Effects returned earlier stay readable."""
        with self._g:
            if self._i is not None:
                _core.case_settle(self)
            self._i = None
            self._p = None
            self._fx = None

    def __enter__(self) -> "Case":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- copies
    def clone(self) -> "Case":
        """An exact copy (state, variables, terms, journal, the last call's effects)
        that changes independently from here on: "what if we decide on date X?"."""
        with self._g:
            h = _core.instance_clone(self._h)
        return Case._wrap(self.definition, h, self._journal)

    def __copy__(self) -> "Case":
        return self.clone()

    def __deepcopy__(self, memo) -> "Case":
        return self.clone()   # the definition is immutable: shared, not copied

    def __reduce__(self):
        d = self.definition
        return (_case_from_pickle, ((d.id, d.version, d.hash), self.snapshot(), self._journal))

    # -- changing the case
    def fire(self, event: str, date: Union[DateLike, int], actor: Optional[str] = None,
             roles: Union[str, Sequence[str], None] = (), **params) -> Sequence[Effect]:
        """Fire ``event`` dated ``date`` by ``actor`` holding ``roles``, with the
        event's parameters as keywords. Returns the effects of this call.
        Raises RejectedError (not allowed now), ForbiddenError (role missing),
        NotFoundError (no such event) or InvalidArgumentError (bad date or parameter).

        Replaced below by the C fast path (zaakflow.core.case_install), which
        returns a lazy EffectList; this Python version documents the behaviour."""
        _need_str(event, "event")
        _need(date, "date", (_dt.date, str, int), "a datetime.date or 'YYYY-MM-DD'")
        with self._g:
            h = self._h
            _core.case_settle(self)
            h.fire(event, date, actor, _roles(roles), _params(params))
            raw = _core.effects_raw(self._p)
        return _effects_from_raw(raw)

    def can_fire(self, event: str, date: Union[DateLike, int], actor: Optional[str] = None,
                 roles: Union[str, Sequence[str], None] = (), **params) -> FireCheck:
        """Whether ``fire()`` with these arguments would take the event now, and if
        not why: ``.allowed`` and ``.reason`` (the ZaakflowError fire() would raise,
        with ``.code`` and ``.message``). The real fire path runs and is undone:
        the case does not change. TypeError for arguments of the wrong type."""
        reason = self._can_fire(event, date, actor, roles, **params)
        return FireCheck(reason is None, reason)

    def _can_fire(self, event, date, actor=None, roles=(), **params):
        raise NotImplementedError("replaced by the C layer")   # see case_install below

    def advance(self, date: DateLike) -> List[Effect]:
        """Let time pass up to ``date``: terms whose last day is before it expire."""
        _need_date(date, "date")
        with self._g:
            h = self._h
            _core.case_settle(self)
            h.advance(date)
            raw = _core.effects_raw(self._p)
        return _effects_from_raw(raw)

    # -- reading the case
    @property
    def date(self) -> _dt.date:
        """The case date: the date of the last event or advance."""
        with self._g:
            return self._h.date()

    @property
    def active_states(self) -> List[str]:
        with self._g:
            h = self._h
            return [h.active_id(i) for i in range(h.active_count())]

    def is_active(self, state: str) -> bool:
        """Whether ``state`` is active (NotFoundError when there is no such state)."""
        _need_str(state, "state")
        with self._g:
            return bool(self._h.is_active(state))

    def __contains__(self, state: str) -> bool:
        try:
            return self.is_active(state)
        except NotFoundError:
            return False

    def enabled_events(self, actor: Optional[str] = None,
                       roles: Union[str, Sequence[str], None] = ()) -> List[str]:
        """The events ``actor`` with ``roles`` could fire now."""
        if actor is not None:
            _need_str(actor, "actor")
        _need(roles, "roles", (str, _SequenceABC, type(None)), "a str or a sequence of str")
        with self._g:
            text = self._h.enabled_events(actor, _roles(roles))
        return [e for e in text.split("\n") if e]

    @property
    def variables(self) -> Variables:
        """The variables, read-only and live (a mapping of name to value)."""
        with self._g:
            self._h
        return Variables(self)

    def _term(self, h, t) -> Term:
        susp = tuple((t.suspension_from(k), t.suspension_to(k))
                     for k in range(t.suspension_count()))
        ext = tuple(t.extension(k) for k in range(t.extension_count()))
        explanation = ""
        if t.status != _core.TERM_IDLE:
            try:
                explanation = h.term_explain(t.id)
            except RejectedError:
                explanation = ""
        return Term(t.id, t.title or "", t.basis or "", _TERM_STATUS[t.status], t.trigger,
                    t.term_length() if t.status != _core.TERM_IDLE else "",
                    t.first_day, t.nominal_end, t.end, susp, ext, explanation, t.party)

    @property
    def terms(self) -> List[Term]:
        """Every term of the definition, in document order, with its status."""
        with self._g:
            h = self._h
            return [self._term(h, h.term_at(i)) for i in range(h.term_count())]

    def term(self, term_id: str) -> Term:
        """One term by id (NotFoundError when there is none)."""
        _need_str(term_id, "term_id")
        with self._g:
            h = self._h
            return self._term(h, h.term_named(term_id))

    def next_due(self, party: Optional[str] = None) -> Optional[Due]:
        """The earliest last day among running terms, or None. With ``party``
        (e.g. "bestuursorgaan"), only among the terms that party must act on."""
        if party is not None:
            _need_str(party, "party")
        with self._g:
            h = self._h
            if party is None:
                d = h.next_due()
                return None if d is None else Due(d, h.next_due_term())
            d = h.due_for(party)
            return None if d is None else Due(d, h.due_term_for(party))

    @property
    def finished(self) -> bool:
        with self._g:
            return bool(self._h.finished())

    @property
    def outcome(self) -> Optional[str]:
        with self._g:
            return self._h.outcome()

    @property
    def effects(self) -> List[Effect]:
        """The effects of the last successful call (start, fire, advance), in order."""
        with self._g:
            self._h
            raw = _core.effects_raw(self._p)
        return _effects_from_raw(raw)

    @property
    def journal(self) -> Iterator[JournalEntry]:
        """The audit trail: an iterator of :class:`JournalEntry` (empty when off),
        as it is when read."""
        with self._g:
            self._h
            raw = _core.journal_raw(self._p)
        return iter(_journal_from_raw(raw))

    def timeline(self) -> str:
        """The journal as a readable timeline."""
        return _core.case_timeline(self)   # takes the guard; writes without the GIL

    def snapshot(self) -> str:
        """The case as snapshot XML (deterministic; restore with Case.restore())."""
        return _core.case_snapshot(self)   # takes the guard; writes without the GIL

    def pack(self) -> bytes:
        """The case in its compact binary form, for a host's own storage: the
        state of the snapshot, bound to the definition's hash, restored with
        Case.unpack() far faster than XML (the XML snapshot stays the exchange
        format). Holds the journal when the case keeps one."""
        with self._g:
            return self._h.pack()

    @property
    def memory(self) -> int:
        """Bytes the case occupies in C (not counting the journal)."""
        with self._g:
            return self._h.memory()

    def __repr__(self) -> str:
        with self._g:
            h = self._i
            if h is None:
                return "<zaakflow.Case (closed)>"
            if h.finished():
                state = "finished: %s" % h.outcome()
            else:
                state = ", ".join(h.active_id(i) for i in range(h.active_count()))
            return "<zaakflow.Case %s %s [%s]>" % (self.definition.id, h.date(), state)


Instance = Case

# Case.fire and Case._can_fire in C: one call into the library per event (see
# zaakflow_py.i).
if _HAVE_INSTANCE and hasattr(_core, "case_install"):
    _core.case_install(Case, _effects_from_raw, _text)
    _SequenceABC.register(_core.EffectList)
    EffectList = _core.EffectList
    __all__ += ["EffectList"]


if _HAVE_INSTANCE:
    __all__ += ["Case", "Instance", "Term", "Effect", "JournalEntry", "JournalItem", "Due",
                "Variables", "Params", "FireCheck", "TermStatus", "EffectKind", "JournalKind"]


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

    def __init__(self, paths: Iterable[Union[str, "_os.PathLike[str]"]] = ()):
        if not _HAVE_INSTANCE:
            raise NotImplementedError("this build of zaakflow has no case instances")
        if isinstance(paths, (str, bytes, _os.PathLike)):
            raise TypeError("paths must be a list of paths, not one %s" % _type_name(paths))
        _need(paths, "paths", _IterableABC, "an iterable of paths")
        names = [_need_path(p, "a path") for p in paths]
        self._r = _core.registry()
        self._views = {}
        for p in names:
            self.load(p)

    # The C registry is changed only by load(), and every call into it keeps the GIL
    # (zaakflow.core wrappers do), so threads sharing a registry take turns; the
    # definitions it holds never move and are immutable.
    def _view(self, handle, diagnostics=()) -> "Definition":
        key = int(handle.this)
        d = self._views.get(key)
        if d is None:
            d = self._views.setdefault(key, Definition._view(handle, self, diagnostics))
        return d

    def _case(self, handle, journal: bool) -> "Case":
        return Case._wrap(self._view(_core.instance_definition_of(handle)), handle, journal)

    def load(self, path: Union[str, "_os.PathLike[str]"]) -> "Definition":
        """Load a definition file into the registry (ValidationError when the same
        version is there with other content, or the validities of two versions
        overlap). The same definition twice is registered once."""
        path = _need_path(path, "path")
        dl = _core.diagnostic_list()
        try:
            handle = self._r.load(path, dl)
        except ZaakflowError as e:
            e.diagnostics = _diagnostics(dl)
            raise
        d = self._view(handle, _diagnostics(dl))
        if d.path is None:
            d.path = path
        return d

    def __len__(self) -> int:
        return self._r.count()

    def __iter__(self) -> Iterator["Definition"]:
        """The definitions by id, then validity, then version."""
        return iter([self._view(self._r.get(i)) for i in range(self._r.count())])

    @property
    def definitions(self) -> List["Definition"]:
        return list(self)

    def find(self, id: str, version: str) -> "Definition":
        """The definition of process ``id`` in ``version`` (NotFoundError)."""
        _need_str(id, "id")
        _need_str(version, "version")
        return self._view(self._r.find(id, version))

    def find_hash(self, hash: str) -> "Definition":
        """The definition with this hash (NotFoundError)."""
        _need_str(hash, "hash")
        return self._view(self._r.find_hash(hash))

    def pick(self, id: str, date: DateLike) -> "Definition":
        """The version of process ``id`` valid on ``date`` (NotFoundError when none is,
        SemanticError when two are: their validities are open on both sides)."""
        _need_str(id, "id")
        _need_date(date, "date")
        return self._view(self._r.pick(id, date))

    def start(self, id: str, date: DateLike, journal: bool = True, **variables) -> "Case":
        """Start a case of ``id`` on ``date`` with the version valid on that day."""
        _need_flag(journal, "journal")
        return self.pick(id, date).start(date, journal=journal, **variables)

    def follow(self, case: "Case", effect: int = 0, journal: bool = True) -> "Case":
        """Start the related case that spawn effect ``effect`` of ``case`` (its last
        call's effects) asks for: the version valid on the spawn's date."""
        _need(case, "case", Case, "a zaakflow.Case")
        _need(effect, "effect", int, "an int")
        journal = _need_flag(journal, "journal")
        with case._g:
            h = self._r.follow(case._h, effect, 1 if journal else 0)
        return self._case(h, journal)

    def restore(self, xml: Union[str, bytes], journal: bool = True) -> "Case":
        """Rebuild a case with the definition its snapshot names (by hash), so an old
        case finds its old version (SnapshotError when the registry lacks it)."""
        _need(xml, "xml", (str, bytes), "a str or bytes")
        journal = _need_flag(journal, "journal")
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8")
        return self._case(self._r.restore(xml, 1 if journal else 0), journal)

    def load_migration(self, path: Union[str, "_os.PathLike[str]"]) -> "Migration":
        """Load a migration document with the versions it names from this registry."""
        path = _need_path(path, "path")
        dl = _core.diagnostic_list()
        try:
            handle = self._r.load_migration(path, dl)
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
    finding with file, line and column). A migration is immutable: threads may
    share it."""

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
    def load(cls, path: Union[str, "_os.PathLike[str]"], old: "Definition",
             new: "Definition") -> "Migration":
        """Load a migration document and check it against ``old`` and ``new``."""
        path = _need_path(path, "path")
        _need(old, "old", Definition, "a zaakflow.Definition")
        _need(new, "new", Definition, "a zaakflow.Definition")
        dl = _core.diagnostic_list()
        try:
            handle = _core.migration(path, old._d, new._d, dl)
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
        _need(case, "case", Case, "a zaakflow.Case")
        _need(to, "to", Definition, "a zaakflow.Definition")
        _need_date(date, "date")
        if actor is not None:
            _need_str(actor, "actor")
        with case._g:
            h = self._m.migrate(case._h, to._d, date, actor)
            journal = case._journal
        return Case._wrap(to, h, journal)

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
    def load(cls, path: Union[str, "_os.PathLike[str]"]) -> "ZgwConfig":
        path = _need_path(path, "path")
        self = object.__new__(cls)
        self._c = _zgw_call(_core.zgw_config, path)
        self.path = path
        return self


def zgw_export(paths, config: ZgwConfig) -> dict:
    """The zaaktypen of the process files `paths` for the Catalogi API, as
    ``zaakflow zgw export`` writes them: ``{"ZaakType": [...], "StatusType": [...],
    "ResultaatType": [...], "RolType": [...], "Eigenschap": [...], "requests": [...]}``
    (parsed JSON). A configuration that lacks fields raises ValidationError with
    every missing field in ``.diagnostics``."""
    import json
    if isinstance(paths, (str, bytes, _os.PathLike)):
        raise TypeError("paths must be a list of paths, not one %s" % _type_name(paths))
    _need(paths, "paths", _IterableABC, "an iterable of paths")
    _need(config, "config", ZgwConfig, "a zaakflow.ZgwConfig")
    names = [_need_path(p, "a path") for p in paths]
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
    def load(cls, path: Union[str, "_os.PathLike[str]"]) -> "ZgwProcess":
        path = _need_path(path, "path")
        self = object.__new__(cls)
        self._p = _zgw_call(_core.zgw_process, path)
        self.path = path
        return self

    def _zaak_args(self, case, config, zaak, hoofdzaak, vervolg_op):
        _need(case, "case", Case, "a zaakflow.Case")
        _need(config, "config", ZgwConfig, "a zaakflow.ZgwConfig")
        _need_str(zaak, "zaak")
        if hoofdzaak is not None:
            _need_str(hoofdzaak, "hoofdzaak")
        if vervolg_op is not None:
            _need_str(vervolg_op, "vervolg_op")

    def case(self, case: "Case", config: ZgwConfig, zaak: str,
             hoofdzaak: Optional[str] = None, vervolg_op: Optional[str] = None) -> dict:
        """The Zaak view of `case`: {"zaak", "status", "resultaat"} (Zaken API 1.5.1)."""
        import json
        self._zaak_args(case, config, zaak, hoofdzaak, vervolg_op)
        with case._g:   # the case is read: one call on it at a time
            text = self._p.case_view(case._h, config._c, zaak, hoofdzaak, vervolg_op)
        return json.loads(text)

    def case_requests(self, case: "Case", config: ZgwConfig, zaak: str,
                      hoofdzaak: Optional[str] = None, vervolg_op: Optional[str] = None,
                      after: int = 0) -> dict:
        """The Zaken API requests for the journal entries after `after`:
        {"after", "requests", "through"}; pass ``through`` as the next `after`."""
        import json
        self._zaak_args(case, config, zaak, hoofdzaak, vervolg_op)
        if isinstance(after, bool) or not isinstance(after, int):
            raise TypeError("after must be an int, not %s" % _type_name(after))
        if after < 0 or after > 0xFFFFFFFF:
            raise InvalidArgumentError("after must be a journal entry number")
        with case._g:
            text = self._p.case_requests(case._h, config._c, zaak, hoofdzaak, vervolg_op,
                                         after)
        return json.loads(text)


__all__ += ["ZGW_RESOURCES", "ZgwConfig", "ZgwProcess", "zgw_export"]


# --------------------------------------------------------------------------
# Snapshots without their definition


class SnapshotInfo(NamedTuple):
    """What a snapshot is of, read without its definition (zf_snapshot_info())."""
    process: str
    version: str
    hash: str
    date: _dt.date
    steps: int
    finished: bool
    outcome: Optional[str]
    next_due: Optional[_dt.date]
    next_term: Optional[str]
    journal_entries: int
    sealed: bool


def snapshot_info(xml: Union[str, bytes], key: Optional[Union[str, bytes]] = None) -> SnapshotInfo:
    """Process id, version and hash (the definition to restore it with), case date,
    steps, closed or open, next due day and term, journal entries, and whether it
    is sealed with a key. The SHA-256 digest is checked (SnapshotError when the
    snapshot is corrupt); with `key`, the HMAC too (a snapshot not sealed with it
    is refused)."""
    _need(xml, "xml", (str, bytes), "a str or bytes")
    if key is not None:
        _need(key, "key", (str, bytes), "a str or bytes")
    if isinstance(xml, bytes):
        xml = xml.decode("utf-8")
    if isinstance(key, bytes):
        key = key.decode("utf-8")
    s = _core.snapshot_info(xml, key or "")
    return SnapshotInfo(s.process, s.version, s.hash, s.date, int(s.seq), bool(s.finished),
                        s.outcome or None, s.next_due, s.next_term or None,
                        int(s.journal_entries), bool(s.sealed))


__all__ += ["SnapshotInfo", "snapshot_info"]


# The case store (zaakflow/store.py over the SWIG module zaakflow.storecore,
# linked with libzaakflow-store), when this build has it.
import importlib.util as _ilu  # noqa: E402

if _ilu.find_spec(__name__ + ".storecore") is not None:
    from .store import Store, StoredCase  # noqa: E402,F401
    __all__ += ["Store", "StoredCase"]
