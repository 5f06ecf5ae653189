# Type stubs for the zaakflow package (the Pythonic layer in __init__.py).
# tests/test_api.py checks them against the module: the same public names, the
# same parameters and defaults, and no Any where a type is known.
import datetime
import enum
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Dict, List, NamedTuple, Optional, Tuple, Union, overload

from . import core as core

DateLike = Union[datetime.date, str]
Value = Union[None, bool, int, Decimal, datetime.date, str]
PathLike = Union[str, "os.PathLike[str]"]
# A JSON value as json.loads() returns it (the ZGW documents).
Json = Union[None, bool, int, float, str, List["Json"], Dict[str, "Json"]]

__version__: str
def version() -> str: ...
def register(definition: Definition) -> Definition: ...

class ZaakflowError(Exception):
    code: str
    message: str
    file: str
    line: int
    column: int
    diagnostics: List[Diagnostic]
    def __init__(self, message: str, file: str = ..., line: int = ..., column: int = ...) -> None: ...

class OutOfMemoryError(ZaakflowError, MemoryError): ...
class InvalidArgumentError(ZaakflowError, ValueError): ...
class ParseError(ZaakflowError, ValueError): ...
class SchemaError(ZaakflowError, ValueError): ...
class ValidationError(ZaakflowError, ValueError): ...
class NotFoundError(ZaakflowError, LookupError): ...
class RejectedError(ZaakflowError): ...
class SnapshotError(ZaakflowError, ValueError): ...
class RangeError(ZaakflowError, ValueError): ...
class FileError(ZaakflowError, OSError): ...
class ForbiddenError(ZaakflowError, PermissionError): ...
class EvaluationError(ZaakflowError, ArithmeticError): ...
class LimitError(ZaakflowError): ...
class ConflictError(ZaakflowError): ...
class DatabaseError(ZaakflowError): ...

class Day(NamedTuple):
    date: datetime.date
    name: str
    basis: str
    kind: str
    @property
    def working(self) -> bool: ...

class Calendar:
    def __init__(self, which: PathLike = ...) -> None: ...
    @property
    def id(self) -> str: ...
    def is_working_day(self, date: DateLike) -> bool: ...
    def why(self, date: DateLike) -> Day: ...
    def working_days(self, first: DateLike, last: DateLike) -> int: ...
    def year(self, year: int) -> List[Day]: ...

def calendar(year: int, calendar: Union[str, Calendar] = ...) -> List[Day]: ...
def is_working_day(date: DateLike, calendar: Union[str, Calendar] = ...) -> bool: ...
def why(date: DateLike, calendar: Union[str, Calendar] = ...) -> Day: ...
def working_days(first: DateLike, last: DateLike, calendar: Union[str, Calendar] = ...) -> int: ...

class Step(NamedTuple):
    kind: str
    date: Optional[datetime.date]
    days: int
    note: str
    day: Optional[Day]

class Deadline:
    first_day: datetime.date
    nominal_end: datetime.date
    last_day: datetime.date
    suspended_days: int
    atw_applied: bool
    truncated: bool
    length: str
    steps: List[Step]
    @property
    def explanation(self) -> str: ...

def deadline(from_date: DateLike, length: str, calendar: Union[str, Calendar] = ...,
             suspend: Iterable[Tuple[DateLike, DateLike]] = ...,
             extend: Union[str, Iterable[str]] = ..., explain: bool = ..., atw: bool = ...,
             suspend_rule: str = ..., extend_rule: str = ...) -> Deadline: ...

class Diagnostic(NamedTuple):
    severity: str
    code: str
    check: str
    file: str
    line: int
    column: int
    message: str

def validate_files(paths: Iterable[PathLike], beside: bool = ...,
                   strict: bool = ...) -> List[Diagnostic]: ...

class EventKind(str, enum.Enum):
    EXTERNAL = "external"
    INTERNAL = "internal"
    EXPIRY = "expiry"
    DONE = "done"

class Parameter(NamedTuple):
    name: str
    type: str
    required: bool
    enumeration: Optional[str]
    values: Tuple[str, ...]

class Event(NamedTuple):
    name: str
    kind: EventKind
    title: str
    basis: str
    roles: Tuple[str, ...]
    parameters: Tuple[Parameter, ...]
    line: int
    @property
    def implicit(self) -> bool: ...

class Definition:
    diagnostics: List[Diagnostic]
    path: Optional[str]
    @classmethod
    def load(cls, path: PathLike) -> Definition: ...
    @classmethod
    def from_string(cls, xml: Union[str, bytes], name: str = ...) -> Definition: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def states(self) -> List[str]: ...
    @property
    def events(self) -> List[str]: ...
    @property
    def implicit_events(self) -> List[str]: ...
    def event(self, name: str) -> Event: ...
    @property
    def variables(self) -> List[str]: ...
    @property
    def terms(self) -> List[str]: ...
    def term_party(self, term_id: str) -> Optional[str]: ...
    @property
    def roles(self) -> List[str]: ...
    @property
    def transition_count(self) -> int: ...
    def dot(self) -> str: ...
    def start(self, date: DateLike, journal: bool = ..., **variables: Value) -> Case: ...
    def restore(self, xml: Union[str, bytes], journal: bool = ...) -> Case: ...
    def unpack(self, data: bytes, journal: bool = ...) -> Case: ...

class TermStatus(str, enum.Enum):
    IDLE = "idle"
    RUNNING = "running"
    SUSPENDED = "suspended"
    STOPPED = "stopped"
    EXPIRED = "expired"

class EffectKind(str, enum.Enum):
    NOTIFY = "notify"
    SPAWN = "spawn"

class JournalKind(str, enum.Enum):
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

class Term(NamedTuple):
    id: str
    title: str
    basis: str
    status: TermStatus
    trigger: Optional[datetime.date]
    length: str
    first_day: Optional[datetime.date]
    nominal_end: Optional[datetime.date]
    end: Optional[datetime.date]
    suspensions: Tuple[Tuple[datetime.date, Optional[datetime.date]], ...]
    extensions: Tuple[str, ...]
    explanation: str
    party: Optional[str]
    @property
    def last_day(self) -> Optional[datetime.date]: ...

class Params(Mapping[str, Value]):
    def __init__(self, items: Iterable[Tuple[str, Value]] = ...) -> None: ...
    def __getitem__(self, name: str) -> Value: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...

class Effect(NamedTuple):
    kind: EffectKind
    date: datetime.date
    to: str
    text: str
    process: str
    relation: str
    params: Params

class JournalItem(NamedTuple):
    kind: JournalKind
    name: str
    text: str
    date: Optional[datetime.date]
    value: Value

class JournalEntry(NamedTuple):
    seq: int
    date: datetime.date
    event: Optional[str]
    actor: Optional[str]
    items: Tuple[JournalItem, ...]

class Due(NamedTuple):
    date: datetime.date
    term: str

class FireCheck(NamedTuple):
    allowed: bool
    reason: Optional[ZaakflowError]

class Variables(Mapping[str, Value]):
    def __init__(self, case: Case) -> None: ...
    def __getitem__(self, name: str) -> Value: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...

class EffectList(Sequence[Effect]):
    """What Case.fire() returns: the call's effects, built when first read."""
    @overload
    def __getitem__(self, key: int) -> Effect: ...
    @overload
    def __getitem__(self, key: slice) -> List[Effect]: ...
    def __len__(self) -> int: ...
    def tolist(self) -> List[Effect]: ...

class Case:
    definition: Definition
    @classmethod
    def start(cls, definition: Definition, date: DateLike, journal: bool = ...,
              **variables: Value) -> Case: ...
    @classmethod
    def restore(cls, definition: Definition, xml: Union[str, bytes],
                journal: bool = ...) -> Case: ...
    @classmethod
    def unpack(cls, definition: Definition, data: bytes, journal: bool = ...) -> Case: ...
    def close(self) -> None: ...
    def __enter__(self) -> Case: ...
    def __exit__(self, *exc: object) -> None: ...
    def clone(self) -> Case: ...
    def __copy__(self) -> Case: ...
    def __deepcopy__(self, memo: object) -> Case: ...
    def fire(self, event: str, date: Union[DateLike, int], actor: Optional[str] = ...,
             roles: Union[str, Sequence[str], None] = ..., **params: Value) -> EffectList: ...
    def can_fire(self, event: str, date: Union[DateLike, int], actor: Optional[str] = ...,
                 roles: Union[str, Sequence[str], None] = ..., **params: Value) -> FireCheck: ...
    def advance(self, date: DateLike) -> List[Effect]: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def active_states(self) -> List[str]: ...
    def is_active(self, state: str) -> bool: ...
    def __contains__(self, state: str) -> bool: ...
    def enabled_events(self, actor: Optional[str] = ...,
                       roles: Union[str, Sequence[str], None] = ...) -> List[str]: ...
    @property
    def variables(self) -> Variables: ...
    @property
    def terms(self) -> List[Term]: ...
    def term(self, term_id: str) -> Term: ...
    def next_due(self, party: Optional[str] = ...) -> Optional[Due]: ...
    @property
    def finished(self) -> bool: ...
    @property
    def outcome(self) -> Optional[str]: ...
    @property
    def effects(self) -> List[Effect]: ...
    @property
    def journal(self) -> Iterator[JournalEntry]: ...
    def timeline(self) -> str: ...
    def snapshot(self) -> str: ...
    def pack(self) -> bytes: ...
    @property
    def memory(self) -> int: ...

Instance = Case

# ---- ZGW (docs/zgw.md) ----
ZGW_RESOURCES: Tuple[str, ...]

class ZgwConfig:
    path: str
    @classmethod
    def load(cls, path: PathLike) -> ZgwConfig: ...

def zgw_export(paths: Iterable[PathLike], config: ZgwConfig) -> Dict[str, List[Dict[str, Json]]]: ...

class ZgwProcess:
    path: str
    @classmethod
    def load(cls, path: PathLike) -> ZgwProcess: ...
    def case(self, case: Case, config: ZgwConfig, zaak: str, hoofdzaak: Optional[str] = ...,
             vervolg_op: Optional[str] = ...) -> Dict[str, Json]: ...
    def case_requests(self, case: Case, config: ZgwConfig, zaak: str,
                      hoofdzaak: Optional[str] = ..., vervolg_op: Optional[str] = ...,
                      after: int = ...) -> Dict[str, Json]: ...

class SnapshotInfo(NamedTuple):
    process: str
    version: str
    hash: str
    date: datetime.date
    steps: int
    finished: bool
    outcome: Optional[str]
    next_due: Optional[datetime.date]
    next_term: Optional[str]
    journal_entries: int
    sealed: bool

def snapshot_info(xml: Union[str, bytes], key: Optional[Union[str, bytes]] = ...) -> SnapshotInfo: ...

# ---- The case store (zaakflow/store.py, typed; docs/store.md), when built ----
from . import store as _store

Store = _store.Store
StoredCase = _store.StoredCase
