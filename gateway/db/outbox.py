"""The outbox: accepted records and their writes to HAPI, in one local transaction, and the
queue a worker claims them from.

Entries of one child are sent one at a time, in the order they were accepted: only a child's
oldest queued entry can be claimed, and a claim leases it, so a worker that dies lets its lease
run out and another worker takes the entry again. On PostgreSQL, workers of several replicas
claim with `FOR UPDATE SKIP LOCKED`; on SQLite, transactions begin IMMEDIATE, one at a time.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select, text, update
from sqlalchemy.orm import Session, aliased

from gateway import clock
from gateway.db.database import Database
from gateway.db.schema import DEAD, QUEUED, SENT, Entry, Record
from vocabulary.fhir import JSON


@dataclass(frozen=True)
class Write:
    """One entry to queue: for `child`, the `bundle` to send (None: planned at send time)."""

    child: str
    bundle: JSON | None = None
    topic: str | None = None


# Run once the record is kept, in its transaction: (the session, the record's id) -> more
# writes to queue for it, after the ones known before.
Then = Callable[[Session, str], Sequence["Write"]]


@dataclass(frozen=True)
class Work:
    """A claimed entry; `body` is its record's, when its bundle is planned at send time."""

    id: int
    kind: str
    body: JSON
    record_id: str
    bundle: JSON | None
    attempts: int


@dataclass(frozen=True)
class Status:
    id: int
    state: str
    attempts: int
    record_id: str
    created_at: datetime
    sent_at: datetime | None
    sent: JSON | None
    answer: JSON | None
    error: str | None
    failure: int | None


@dataclass(frozen=True)
class Depth:
    queued: int
    dead: int
    oldest: datetime | None

    def lag(self, now: datetime) -> float:
        """Seconds the oldest queued entry has waited."""
        return 0.0 if self.oldest is None else max(0.0, (now - _aware(self.oldest)).total_seconds())


class Outbox:
    def __init__(self, db: Database, now: Callable[[], datetime] = clock.now) -> None:
        self.db, self.now = db, now

    def accept(self, kind: str, body: JSON, sender: str, writes: Sequence[Write],
               then: Then | None = None) -> list[int]:
        """Keep the record and queue its writes, atomically; the entries' ids, in order.
        `then` runs in the same transaction once the record is kept (identity resolution)
        and gives the writes that depend on it."""
        with self.db.session() as session:
            self._lock_children(session, writes)
            when = self.now()
            record = Record(id=str(uuid.uuid4()), kind=kind, body=body, digest=digest(body),
                            sender=sender, received_at=when)
            session.add(record)
            session.flush()
            more = then(session, record.id) if then is not None else ()
            self._lock_children(session, more)
            return _queue(session, record.id, [*writes, *more], when)

    def queue_in(self, session: Session, record_id: str, writes: Sequence[Write]) -> list[int]:
        """Queue writes for a kept record inside a transaction already open (an identity
        change moving another record's child)."""
        self._lock_children(session, writes)
        return _queue(session, record_id, writes, self.now())

    def kept(self, kind: str, body: JSON) -> list[int]:
        """The entries of the latest record of `kind` with this very body, unless one of
        them is dead: what re-importing the same record would queue again."""
        with self.db.reading() as session:
            record = session.scalar(select(Record.id).where(
                Record.kind == kind, Record.digest == digest(body))
                .order_by(Record.received_at.desc()).limit(1))
            if record is None:
                return []
            entries = session.execute(select(Entry.id, Entry.state)
                                      .where(Entry.record_id == record)).all()
            return [] if any(state == DEAD for _, state in entries) else [i for i, _ in entries]

    def requeue(self, record_id: str, writes: Sequence[Write]) -> list[int]:
        """Queue new writes for a kept record (replay)."""
        with self.db.session() as session:
            self._lock_children(session, writes)
            return _queue(session, record_id, writes, self.now())

    def _lock_children(self, session: Session, writes: Sequence[Write]) -> None:
        """On PostgreSQL, entries of one child get their ids in the order they commit: a
        transaction-scoped advisory lock per child (SQLite's IMMEDIATE transactions already
        run one at a time), so the worker never sees a later entry before an earlier one."""
        if self.db.is_postgres:
            for child in sorted({w.child for w in writes}):
                session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": child})

    def claim(self, owner: str, limit: int, lease: float) -> list[Work]:
        """Lease up to `limit` entries that are due, each the oldest queued one of its child."""
        now = self.now()
        earlier = aliased(Entry)
        blocked = exists().where(and_(earlier.child == Entry.child, earlier.state == QUEUED,
                                      earlier.id < Entry.id))
        query = (select(Entry.id, Entry.record_id, Entry.bundle, Entry.attempts, Record.kind)
                 .join(Record, Record.id == Entry.record_id)
                 .where(Entry.state == QUEUED, Entry.due_at <= now, ~blocked,
                        (Entry.leased_until.is_(None)) | (Entry.leased_until < now))
                 .order_by(Entry.id).limit(limit))
        if self.db.is_postgres:
            query = query.with_for_update(skip_locked=True, of=Entry)
        with self.db.session(durable=False) as session:
            rows = session.execute(query).all()
            if not rows:
                return []
            session.execute(update(Entry).where(Entry.id.in_([r.id for r in rows])).values(
                leased_until=now + timedelta(seconds=lease), leased_by=owner,
                attempts=Entry.attempts + 1))
            planned = [r.record_id for r in rows if r.bundle is None]
            bodies: dict[str, JSON] = dict(session.execute(
                select(Record.id, Record.body).where(Record.id.in_(planned))).all()
                if planned else ())
        return [Work(r.id, r.kind, bodies.get(r.record_id, {}), r.record_id, r.bundle,
                     r.attempts + 1) for r in rows]

    def settle_sent(self, entry_id: int, owner: str, sent: JSON | None, answer: JSON) -> bool:
        """`sent` is the bundle planned at send time; None when it was the entry's own."""
        return self._settle(entry_id, owner, state=SENT, sent_at=self.now(), sent=sent,
                            answer=answer, error=None, leased_until=None)

    def settle_later(self, entry_id: int, owner: str, error: str, delay: float) -> bool:
        due = self.now() + timedelta(seconds=delay)
        return self._settle(entry_id, owner, due_at=due, error=error, leased_until=None)

    def settle_dead(self, entry_id: int, owner: str, error: str, outcome: JSON,
                    failure: int) -> bool:
        return self._settle(entry_id, owner, state=DEAD, error=error, answer=outcome,
                            failure=failure, leased_until=None)

    def _settle(self, entry_id: int, owner: str, **values: Any) -> bool:
        """Only the lease holder settles an entry; False when its lease was lost."""
        with self.db.session(durable=False) as session:
            done = session.execute(update(Entry).where(
                Entry.id == entry_id, Entry.leased_by == owner, Entry.state == QUEUED)
                .values(**values))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def status(self, entry_ids: Sequence[int]) -> list[Status]:
        with self.db.reading() as session:
            rows = session.scalars(select(Entry).where(Entry.id.in_(entry_ids))
                                   .order_by(Entry.id)).all()
            return [_status(e) for e in rows]

    def states(self, entry_ids: Sequence[int]) -> dict[int, str]:
        """Each entry's state alone, cheap enough to poll."""
        with self.db.reading() as session:
            return dict(session.execute(select(Entry.id, Entry.state)
                                        .where(Entry.id.in_(entry_ids))).all())

    def dead(self) -> list[Status]:
        with self.db.reading() as session:
            rows = session.scalars(select(Entry).where(Entry.state == DEAD)
                                   .order_by(Entry.id)).all()
            return [_status(e) for e in rows]

    def queued(self) -> list[int]:
        with self.db.reading() as session:
            return list(session.scalars(select(Entry.id).where(Entry.state == QUEUED)
                                        .order_by(Entry.id)))

    def depth(self) -> Depth:
        with self.db.reading() as session:
            counts = dict(session.execute(select(Entry.state, func.count())
                                          .where(Entry.state.in_((QUEUED, DEAD)))
                                          .group_by(Entry.state)).all())
            oldest = session.scalar(select(func.min(Entry.created_at))
                                    .where(Entry.state == QUEUED))
        return Depth(counts.get(QUEUED, 0), counts.get(DEAD, 0), oldest)

    def retry(self, entry_ids: Sequence[int] | None = None) -> int:
        """Queue dead entries again (those named, or every one); how many were."""
        query = update(Entry).where(Entry.state == DEAD)
        if entry_ids is not None:
            query = query.where(Entry.id.in_(entry_ids))
        with self.db.session() as session:
            done = session.execute(query.values(state=QUEUED, due_at=self.now(), attempts=0,
                                                failure=None, answer=None))
            return int(done.rowcount)  # type: ignore[attr-defined]

    def child_of(self, topic: str) -> str | None:
        """The child whose entries name `topic` (a referral's ServiceRequest), if any."""
        with self.db.reading() as session:
            return session.scalar(select(Entry.child).where(Entry.topic == topic)
                                  .order_by(Entry.id.desc()).limit(1))

    def records(self, kinds: Sequence[str] | None = None, since: datetime | None = None,
                ids: Sequence[str] | None = None) -> list[tuple[str, str, JSON]]:
        """Kept records (id, kind, body) in the order they were accepted, for replay."""
        first = (select(func.min(Entry.id)).where(Entry.record_id == Record.id)
                 .scalar_subquery())
        query = select(Record.id, Record.kind, Record.body).order_by(first, Record.received_at)
        if kinds:
            query = query.where(Record.kind.in_(kinds))
        if since is not None:
            query = query.where(Record.received_at >= since)
        if ids is not None:
            query = query.where(Record.id.in_(ids))
        with self.db.reading() as session:
            return [(i, k, b) for i, k, b in session.execute(query)]


def digest(body: JSON) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _queue(session: Session, record_id: str, writes: Sequence[Write], when: datetime
           ) -> list[int]:
    entries = [Entry(record_id=record_id, child=w.child, topic=w.topic, bundle=w.bundle,
                     state=QUEUED, attempts=0, created_at=when, due_at=when) for w in writes]
    session.add_all(entries)
    session.flush()
    return [e.id for e in entries]


def _status(entry: Entry) -> Status:
    return Status(entry.id, entry.state, entry.attempts, entry.record_id,
                  _aware(entry.created_at), entry.sent_at and _aware(entry.sent_at),
                  entry.sent or (entry.bundle if entry.state == SENT else None),
                  entry.answer, entry.error, entry.failure)


def _aware(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return when if when.tzinfo else when.replace(tzinfo=clock.now().tzinfo)
