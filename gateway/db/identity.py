"""The master patient index's tables: sources, their blocking keys, the pairs that scored at
least as a possible match, and the links the pure resolver (`identity.links.resolve`) derives.

A source's resolution can only change through the sources it is paired with (or a reviewer's
decision names), so each change re-resolves that connected part of the index, never all of
it; and since `resolve` does not depend on order, the links are the same whatever order the
records came in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from gateway import clock
from gateway.db.schema import (
    IdentityBlock,
    IdentityDecision,
    IdentityEvent,
    IdentityLink,
    IdentityPair,
    IdentitySource,
)
from identity.blocking import block_keys
from identity.demographics import Demographics
from identity.links import NO_MATCH, Decision, Link, resolve
from identity.rules import Rules
from identity.score import score

REMOVED = "REMOVED"
IDENTITY_LOCK = 7_302_027  # any fixed number: the advisory lock of identity changes


@dataclass
class Change:
    """What one resolution changed: each source's golden now, and the sources (with their
    records) whose golden moved, whose resources must be derived again."""

    goldens: dict[str, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # source -> record id
    before: set[str] = field(default_factory=set)  # goldens the moved sources left


def to_json(d: Demographics) -> dict[str, Any]:
    return asdict(d)


def from_json(data: dict[str, Any]) -> Demographics:
    identifiers = tuple((str(s), str(v)) for s, v in data.get("identifiers", ()))
    return Demographics(**{**data, "identifiers": identifiers})


def pair(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left <= right else (right, left)


class IdentityTables:
    def __init__(self, rules: Rules, now: Callable[[], datetime] = clock.now) -> None:
        self.rules, self.now = rules, now

    def observe(self, session: Session, record_id: str, d: Demographics, patient: dict[str, Any],
                by: str) -> Change:
        """Keep a record's Patient as a source (again, if its record was re-sent), pair it with
        the candidates it scores against, and re-resolve its part of the index."""
        self.lock(session)
        session.merge(IdentitySource(source=d.source, record_id=record_id,
                                     demographics=to_json(d), patient=patient))
        session.execute(delete(IdentityBlock).where(IdentityBlock.source == d.source))
        keys = sorted(block_keys(d, self.rules))
        session.add_all(IdentityBlock(key=k, source=d.source) for k in keys)
        self._pair(session, d, keys)
        session.flush()
        return self.resolve(session, [d.source], by)

    def _pair(self, session: Session, d: Demographics, keys: Sequence[str]) -> None:
        session.execute(delete(IdentityPair).where(
            or_(IdentityPair.left == d.source, IdentityPair.right == d.source)))
        found = session.scalars(select(IdentitySource).where(
            IdentitySource.source.in_(select(IdentityBlock.source).where(
                IdentityBlock.key.in_(keys))), IdentitySource.source != d.source)).all()
        for other in found:
            if score(d, from_json(other.demographics), self.rules).verdict != NO_MATCH:
                left, right = pair(d.source, other.source)
                session.add(IdentityPair(left=left, right=right))

    def resolve(self, session: Session, seeds: Iterable[str], by: str) -> Change:
        """Resolve the part of the index connected to `seeds`, and write what changed."""
        self.lock(session)
        part = self.component(session, seeds)
        sources = self.sources(session, part)
        decisions = self.decisions(session, part)
        resolution = resolve(list(sources.values()), decisions, self.rules)
        return self._write(session, part, resolution.links, by)

    def lock(self, session: Session) -> None:
        """On PostgreSQL, one transaction at a time changes the index, whichever replica runs
        it (a transaction-scoped advisory lock; SQLite's IMMEDIATE transactions already run
        one at a time): two records of one child accepted at once must see each other."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": IDENTITY_LOCK})

    def component(self, session: Session, seeds: Iterable[str]) -> set[str]:
        part, frontier = set(seeds), set(seeds)
        while frontier:
            edges = [*session.execute(select(IdentityPair.left, IdentityPair.right).where(
                or_(IdentityPair.left.in_(frontier), IdentityPair.right.in_(frontier)))),
                     *session.execute(select(IdentityDecision.left, IdentityDecision.right)
                                      .where(or_(IdentityDecision.left.in_(frontier),
                                                 IdentityDecision.right.in_(frontier))))]
            frontier = {s for edge in edges for s in edge} - part
            part |= frontier
        return part

    def sources(self, session: Session, part: Iterable[str]) -> dict[str, Demographics]:
        rows = session.scalars(select(IdentitySource).where(IdentitySource.source.in_(part)))
        return {row.source: from_json(row.demographics) for row in rows}

    def decisions(self, session: Session, part: Iterable[str]) -> list[Decision]:
        rows = session.scalars(select(IdentityDecision).where(
            IdentityDecision.left.in_(part) | IdentityDecision.right.in_(part)))
        return [Decision(r.left, r.right, r.state) for r in rows]

    def _write(self, session: Session, part: set[str], links: Sequence[Link], by: str,
               ) -> Change:
        current = {(r.source, r.golden): r for r in session.scalars(
            select(IdentityLink).where(IdentityLink.source.in_(part)))}
        wanted = {(link.source, link.golden): link for link in links}
        matched = {s: g for (s, g), row in current.items() if row.state == "MATCH"}
        change = Change(goldens={link.source: link.golden for link in links
                                 if link.state == "MATCH"})
        for key, row in current.items():
            if key not in wanted:
                session.delete(row)
                self._event(session, row.source, row.golden, REMOVED, row.how, row.score, by)
                if row.state == "MATCH":
                    change.before.add(row.golden)
        session.flush()
        # A MATCH given up goes first: a source never holds two, even for a moment.
        leaving = {k: link for k, link in wanted.items()
                   if k in current and current[k].state == "MATCH" != link.state}
        change.before |= {golden for _, golden in leaving}
        for key, link in [*leaving.items(), *((k, v) for k, v in wanted.items()
                                              if k not in leaving)]:
            self._apply(session, current.get(key), link, by)
            if key in leaving:
                session.flush()
        session.flush()
        self._moved(session, matched, change)
        return change

    def _apply(self, session: Session, row: IdentityLink | None, link: Link, by: str) -> None:
        if row is None:
            session.add(IdentityLink(source=link.source, golden=link.golden, state=link.state,
                                     how=link.how, score=link.score, version=1))
        elif (row.state, row.how, row.score) != (link.state, link.how, link.score):
            row.state, row.how, row.score = link.state, link.how, link.score
            row.version += 1
        else:
            return
        self._event(session, link.source, link.golden, link.state, link.how, link.score, by)

    def _moved(self, session: Session, matched: dict[str, str], change: Change) -> None:
        """The sources whose MATCH now names another golden record, with their records."""
        moved = [s for s, g in change.goldens.items() if matched.get(s) not in (None, g)]
        if moved:
            rows = session.execute(select(IdentitySource.source, IdentitySource.record_id)
                                   .where(IdentitySource.source.in_(moved)))
            change.moved = {s: r for s, r in rows}

    def _event(self, session: Session, source: str, golden: str, state: str, how: str,
               value: float | None, by: str) -> None:
        session.add(IdentityEvent(source=source, golden=golden, state=state, how=how,
                                  score=value, by=by, at=self.now()))

    def decide(self, session: Session, left: str, right: str, state: str, by: str) -> None:
        """Record a reviewer's decision about two sources, replacing any earlier one."""
        a, b = pair(left, right)
        session.merge(IdentityDecision(left=a, right=b, state=state, decided_by=by,
                                       decided_at=self.now()))
        session.flush()
