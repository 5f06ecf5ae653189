"""The case store: cases, their journal, the due report and the effect outbox in
SQLite (embedded, the default) or PostgreSQL (several workers on several
machines), through libzaakflow-store.

    >>> import datetime, zaakflow
    >>> with zaakflow.Store("sqlite:cases.db") as store:
    ...     store.add_definition("processes/bezwaar.xml")
    ...     case = store.start("bezwaar", datetime.date(2026, 1, 2),
    ...                        verzonden=datetime.date(2026, 1, 2), commissie_gemeld=True)
    ...     store.due(datetime.date(2026, 12, 31))

Every change (start, fire, advance, expire) is one transaction; several join one
with ``with store.transaction():``. A change of a case at another revision than
the one given raises :class:`zaakflow.ConflictError` and changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from typing import Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import storecore as _sc
from . import (_text, _value, InvalidArgumentError, Case, Definition,  # noqa: F401
               JournalItem, JournalKind)

__all__ = ["Store", "StoredCase", "CaseInfo", "Step", "DueItem", "OutboxItem",
           "StoredEntry", "WorkResult"]

_EPOCH = _dt.date(1970, 1, 1).toordinal()
_NONE = -2**31
DateLike = Union[_dt.date, str]


def _day(d: DateLike) -> int:
    if isinstance(d, _dt.datetime):
        d = d.date()
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d)
    if not isinstance(d, _dt.date):
        raise TypeError("a date please (datetime.date or 'YYYY-MM-DD'), not %s"
                        % type(d).__name__)
    return d.toordinal() - _EPOCH


def _date(n: int) -> Optional[_dt.date]:
    return None if n == _NONE else _dt.date.fromordinal(n + _EPOCH)


class Step(NamedTuple):
    """What one change did (all the cases it touched)."""

    case: int       #: the case started or changed
    revision: int   #: its revision now
    entries: int    #: journal entries written
    expired: int    #: terms expired
    effects: int    #: outbox items written
    spawned: int    #: related cases started by spawn effects


class CaseInfo(NamedTuple):
    """A stored case's summary (a listing never restores a case)."""

    id: int
    revision: int
    process: str
    version: str
    hash: str
    started: _dt.date
    date: _dt.date                  #: the case date
    active: Tuple[str, ...]         #: active states, document order
    finished: bool
    outcome: Optional[str]
    next_due: Optional[_dt.date]
    next_term: Optional[str]
    parent: Optional[int]           #: the case whose spawn started it
    relation: Optional[str]         #: "vervolg" or "deelzaak"


class DueItem(NamedTuple):
    """A running term: who must act by which last day."""

    last_day: _dt.date
    case: int
    process: str
    term: str
    title: Optional[str]
    basis: Optional[str]
    party: Optional[str]            #: who must act; None when the term does not say


class OutboxItem(NamedTuple):
    """An effect for delivery, at least once, with a stable idempotency key."""

    id: int
    case: int
    revision: int
    key: str                        #: "CASE/REVISION/N", the same on every delivery
    kind: str                       #: "notify" or "spawn"
    date: _dt.date
    to: Optional[str]
    text: Optional[str]
    process: Optional[str]
    relation: Optional[str]
    spawned: Optional[int]          #: spawn: the case it started
    payload: str                    #: the effect as JSON
    status: str                     #: "pending", "claimed" or "done"
    attempts: int
    error: Optional[str]


class StoredEntry(NamedTuple):
    """A journal entry of a stored case."""

    seq: int
    revision: int                   #: the revision its step made
    date: _dt.date
    event: Optional[str]            #: None for the start of the case
    actor: Optional[str]
    items: Tuple[JournalItem, ...]  #: as in Case.journal


class WorkResult(NamedTuple):
    cases: int
    expired: int
    skipped: int
    failed: int
    batches: int


_TYPES = {"bool": 1, "int": 2, "money": 3, "date": 4, "duration": 5, "string": 6, "enum": 7}


def _step(s) -> Step:
    return Step(s.case_id, s.revision, s.entries, s.expired, s.effects, s.spawned)


def _info(r) -> CaseInfo:
    return CaseInfo(r.id, r.revision, r.process, r.version or "", r.hash or "",
                    _date(r.started), _date(r.date), tuple((r.active or "").split()),
                    bool(r.finished), r.outcome, _date(r.next_due), r.next_term,
                    r.parent or None, r.relation)


def _cases(lst) -> List[CaseInfo]:
    return [_info(lst.case_at(i)) for i in range(lst.count())]


def _outbox(lst) -> List[OutboxItem]:
    out = []
    for i in range(lst.count()):
        o = lst.outbox_at(i)
        out.append(OutboxItem(o.id, o.case_id, o.revision, o.key,
                              "spawn" if o.kind == 1 else "notify", _date(o.date), o.to,
                              o.text, o.process, o.relation, o.spawned or None, o.payload,
                              o.status, o.attempts, o.error))
    return out


class StoredCase:
    """A case read from the store: its summary, its XML snapshot (without the
    journal, which :meth:`Store.journal` reads) and, given its definition, the
    restored :class:`zaakflow.Case`."""

    __slots__ = ("info", "snapshot")

    def __init__(self, info: CaseInfo, snapshot: str):
        self.info = info
        self.snapshot = snapshot

    def restore(self, definition: "Definition") -> "Case":
        """The case as a :class:`zaakflow.Case` of ``definition`` (which must be the
        very definition it runs: same hash)."""
        return Case.restore(definition, self.snapshot, journal=False)

    def __getattr__(self, name):
        return getattr(self.info, name)

    def __repr__(self) -> str:
        return "<zaakflow.StoredCase %d %s rev %d>" % (self.info.id, self.info.process,
                                                       self.info.revision)


class Store:
    """A connection to a case store: ``Store("sqlite:cases.db")`` (created when
    missing) or ``Store("postgresql://user@host/db")``. ``lease`` is how long
    claims last, in seconds of the database's clock (default 300); ``owner``
    names the claimer. ``with`` closes the store at the end of the block. One
    thread at a time."""

    def __init__(self, url: str = "sqlite:zaakflow.db", lease: float = 0,
                 owner: Optional[str] = None):
        self._s = _sc.store(str(url), int(lease * 1000), owner)

    @property
    def _h(self):
        s = self._s
        if s is None:
            raise InvalidArgumentError("the store is closed")
        return s

    def close(self) -> None:
        """Close the connection (rolling back a transaction left open)."""
        self._s = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def driver(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._h.driver()

    # -- transactions
    def begin(self) -> None:
        self._h.begin()

    def commit(self) -> None:
        self._h.commit()

    def rollback(self) -> None:
        self._h.rollback()

    @property
    def in_transaction(self) -> bool:
        return bool(self._h.in_transaction())

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Changes inside the block are one transaction: committed at its end,
        rolled back when it raises. A change that fails inside it is undone
        alone (and raises)."""
        self._h.begin()
        try:
            yield self
        except BaseException:
            if self._s is not None and self._s.in_transaction():
                self._s.rollback()
            raise
        self._h.commit()

    # -- definitions
    def add_definition(self, path=None, xml: Optional[Union[str, bytes]] = None,
                       name: Optional[str] = None) -> Tuple[str, str, str]:
        """Keep a definition (a file, or ``xml=`` text); every version is kept by
        its canonical hash, with its validity (as in a registry: one version has
        one meaning, validities do not overlap; adding a stored one again with
        another validity updates it). Returns ``(process, version, hash)``."""
        if xml is not None:
            if isinstance(xml, bytes):
                xml = xml.decode("utf-8")
            r = self._h.add_definition(xml, name)
        else:
            r = self._h.add_definition_file(os.fspath(path))
        process, version, digest = r.split(" ")
        return process, version, digest

    def pick(self, process: str, date: DateLike) -> Tuple[str, str, str]:
        """The version of ``process`` valid on ``date`` (by its validity, as a
        registry picks it), on which a case started that day starts. Returns
        ``(process, version, hash)``; raises NotFoundError when no version is
        valid then, ValidationError when two are."""
        process, version, digest = self._h.pick(process, _day(date)).split(" ")
        return process, version, digest

    # -- changes
    def _args(self, values: dict, actor=None, roles=()) -> object:
        a = _sc.store_args()
        for k, v in values.items():
            if v is not None:
                a.add(k, _text(v))
        if actor is not None:
            a.set_actor(actor)
        if isinstance(roles, str):
            roles = roles.split()
        for r in roles:
            a.add_role(r)
        return a

    def start(self, process: str, date: DateLike, **variables) -> Step:
        """Start a case on the version of ``process`` valid on ``date`` (or on the
        definition named ``process@version`` or by its hash) with its variables;
        its spawn effects start related cases in the same transaction."""
        return _step(self._h.start(process, _day(date), self._args(variables)))

    def fire(self, case: int, event: str, date: DateLike, actor: Optional[str] = None,
             roles: Union[str, Sequence[str]] = (), revision: int = 0, **params) -> Step:
        """Fire ``event`` on ``case``; with ``revision`` the case must still be at it
        (else ConflictError, nothing changed)."""
        return _step(self._h.fire(int(case), int(revision), event, _day(date),
                                  self._args(params, actor, roles)))

    def advance(self, case: int, date: DateLike, revision: int = 0) -> Step:
        """Let time pass on ``case`` up to ``date``."""
        return _step(self._h.advance(int(case), int(revision), _day(date)))

    def expire(self, case: int, until: DateLike) -> Step:
        """Expire the terms of ``case`` whose last day is before ``until`` (the
        worker's step)."""
        return _step(self._h.expire(int(case), _day(until)))

    def work(self, until: DateLike, batch: int = 32) -> WorkResult:
        """The worker: expire every term due before ``until``, a case at a time."""
        r = self._h.work(_day(until), int(batch))
        return WorkResult(r.cases, r.expired, r.skipped, r.failed, r.batches)

    # -- reading
    def case(self, case: int) -> StoredCase:
        c = self._h.read(int(case))
        return StoredCase(_info(c.summary()), c.snapshot())

    def cases(self, process: Optional[str] = None, state: str = "all", after: int = 0,
              limit: int = 0) -> List[CaseInfo]:
        """Cases by id; ``state`` is "all", "open" or "finished"."""
        which = {"all": 0, "open": 1, "finished": 2}.get(state)
        if which is None:
            raise InvalidArgumentError("state %r is not all, open or finished" % (state,))
        return _cases(self._h.cases(process, which, int(after), int(limit)))

    def journal(self, case: int) -> List[StoredEntry]:
        lst = self._h.journal(int(case))
        out = []
        for i in range(lst.count()):
            e = lst.journal_at(i)
            items = []
            for j in range(e.nitems):
                vt = lst.item_value_type(i, j)
                value = _value(_TYPES[vt], lst.item_value_text(i, j)) if vt else None
                items.append(JournalItem(JournalKind(lst.item_kind(i, j)),
                                         lst.item_name(i, j) or "", lst.item_text(i, j) or "",
                                         _date(lst.item_date(i, j)), value))
            out.append(StoredEntry(e.seq, e.revision, _date(e.date), e.event, e.actor,
                                   tuple(items)))
        return out

    def due(self, until: DateLike, party: Optional[str] = None,
            limit: int = 0) -> List[DueItem]:
        """The due report: running terms with a last day on or before ``until``."""
        lst = self._h.due(_day(until), party, int(limit))
        out = []
        for i in range(lst.count()):
            d = lst.due_at(i)
            out.append(DueItem(_date(d.last_day), d.case_id, d.process, d.term, d.title,
                               d.basis, d.party))
        return out

    def claim(self, until: DateLike, max: int = 32) -> List[CaseInfo]:
        """Claim cases with a term to expire before ``until`` (for the lease)."""
        return _cases(self._h.claim(_day(until), int(max)))

    # -- the outbox
    def outbox(self, status: Optional[str] = None, case: int = 0,
               limit: int = 0) -> List[OutboxItem]:
        return _outbox(self._h.outbox(status, int(case), int(limit)))

    def outbox_claim(self, max: int = 10) -> List[OutboxItem]:
        return _outbox(self._h.outbox_claim(int(max)))

    def outbox_ack(self, item: Union[int, OutboxItem]) -> None:
        self._h.outbox_ack(item.id if isinstance(item, OutboxItem) else int(item))

    def outbox_release(self, item: Union[int, OutboxItem], reason: Optional[str] = None) -> None:
        self._h.outbox_release(item.id if isinstance(item, OutboxItem) else int(item), reason)

    def __repr__(self) -> str:
        return "<zaakflow.Store %s>" % (self._s.driver() if self._s else "(closed)")
