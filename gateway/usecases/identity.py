"""Identity: resolving each record's child to a golden record, the review queue, reviewers'
decisions and the link history (`oneplan identity ...`, `/identity/...`, `Patient/$match`).

Decisions are versioned: each names the version of the link it was made on, and a link that
changed since is refused (StaleDecision, 409). A reviewer's decision is kept as a decision
about two sources, which the matcher never overrides; undoing a link therefore rebuilds both
golden records from their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.db import Database
from gateway.db.identity import Change, IdentityTables, from_json
from gateway.db.schema import IdentityBlock, IdentityEvent, IdentityLink, IdentitySource
from identity.blocking import block_keys
from identity.demographics import Demographics, from_patient
from identity.golden import golden_patient
from identity.links import MATCH, NO_MATCH, POSSIBLE_MATCH
from identity.match import searchset
from identity.rules import Rules
from identity.score import Score, score
from vocabulary.errors import NotFound, StaleDecision, ValidationFailed
from vocabulary.fhir import JSON

GUARDIAN_TYPES = ("RelatedPerson",)


@dataclass(frozen=True)
class Candidate:
    """A possible match waiting for review, with its score explained field by field."""

    source: str
    golden: str
    version: int
    score: Score
    against: str  # the golden record's source it was scored against


@dataclass(frozen=True)
class Event:
    source: str
    golden: str
    state: str
    how: str
    score: float | None
    by: str
    at: datetime


def demographics(resources: Sequence[JSON]) -> tuple[Demographics, JSON] | None:
    """The child of a record's resources, as the matcher sees them: its Patient and the
    people related to it. None if the record writes no Patient."""
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), None)
    if patient is None:
        return None
    related = [r for r in resources if r.get("resourceType") in GUARDIAN_TYPES]
    return from_patient(patient, related), patient


class Identities:
    def __init__(self, db: Database, rules: Rules, tables: IdentityTables | None = None) -> None:
        self.db, self.rules = db, rules
        self.tables = tables or IdentityTables(rules)

    def observe(self, session: Session, record_id: str, resources: Sequence[JSON],
                by: str) -> Change:
        """Resolve the child of a record being kept, in the transaction that keeps it."""
        found = demographics(resources)
        if found is None:
            return Change()
        d, patient = found
        return self.tables.observe(session, record_id, d, patient, by)

    def golden_of(self, source: str) -> str | None:
        with self.db.reading() as session:
            return self.golden_in(session, source)

    def golden_in(self, session: Session, source: str) -> str | None:
        """The golden record `source` is a MATCH of."""
        return session.scalar(select(IdentityLink.golden).where(
            IdentityLink.source == source, IdentityLink.state == MATCH))

    def members(self, session: Session, golden: str) -> list[str]:
        return sorted(session.scalars(select(IdentityLink.source).where(
            IdentityLink.golden == golden, IdentityLink.state == MATCH)))

    def review(self) -> list[Candidate]:
        """Every possible match, oldest source first, each scored against the golden
        record's source it resembles most."""
        with self.db.reading() as session:
            links = session.scalars(select(IdentityLink).where(
                IdentityLink.state == POSSIBLE_MATCH).order_by(IdentityLink.source,
                                                                IdentityLink.golden)).all()
            mine = {r.source: r.golden for r in session.scalars(select(IdentityLink).where(
                IdentityLink.source.in_({link.source for link in links}),
                IdentityLink.state == MATCH))}
            pairs: dict[frozenset[str], IdentityLink] = {}
            for link in links:  # two children that may be one are reviewed once
                pairs.setdefault(frozenset({mine.get(link.source, link.source), link.golden}),
                                 link)
            return [self._candidate(session, link) for link in pairs.values()]

    def _candidate(self, session: Session, link: IdentityLink) -> Candidate:
        sources = self.tables.sources(session, [link.source, *self.members(session, link.golden)])
        mine = sources.pop(link.source)
        scored = sorted(((score(mine, other, self.rules), key) for key, other in sources.items()),
                        key=lambda found: (-found[0].total, found[1]))
        best, against = scored[0] if scored else (score(mine, mine, self.rules), link.source)
        return Candidate(link.source, link.golden, link.version, best, against)

    def decide(self, source: str, golden: str, state: str, version: int, by: str) -> Change:
        """Accept (MATCH) or reject (NO_MATCH) the link of `source` to `golden`, made on
        `version` of it: a MATCH joins the source to the golden record's sources, a NO_MATCH
        keeps it apart from every one of them."""
        if state not in (MATCH, NO_MATCH):
            raise ValidationFailed(f"A decision is {MATCH} or {NO_MATCH}, not {state!r}",
                                   expression="state")
        with self.db.session() as session:
            self.tables.lock(session)
            self._current(session, source, golden, version)
            members = [m for m in self.members(session, golden) if m != source]
            if not members:
                raise NotFound(f"No golden record {golden!r} with other sources")
            for other in members[:1] if state == MATCH else members:
                self.tables.decide(session, source, other, state, by)
            return self.tables.resolve(session, [source, *members], by)

    def unlink(self, source: str, version: int, by: str) -> Change:
        """Undo the MATCH of `source` (made on `version`): it becomes a child of its own, and
        the golden record it left is rebuilt from its other sources."""
        with self.db.session() as session:
            self.tables.lock(session)
            golden = session.scalar(select(IdentityLink.golden).where(
                IdentityLink.source == source, IdentityLink.state == MATCH))
            if golden is None:
                raise NotFound(f"No source {source!r} in the index", expression="source")
            self._current(session, source, golden, version)
            others = [m for m in self.members(session, golden) if m != source]
            for other in others:
                self.tables.decide(session, source, other, NO_MATCH, by)
            return self.tables.resolve(session, [source, *others], by)

    def _current(self, session: Session, source: str, golden: str, version: int) -> None:
        link = session.scalar(select(IdentityLink).where(IdentityLink.source == source,
                                                         IdentityLink.golden == golden))
        if link is None:
            raise NotFound(f"No link of {source!r} to {golden!r}", expression="golden")
        if link.version != version:
            raise StaleDecision(f"The link of {source!r} to {golden!r} is at version "
                                f"{link.version}, not {version}: review it again",
                                expression="version")

    def history(self, key: str) -> list[Event]:
        """Every change to the links of a source or a golden record, oldest first."""
        with self.db.reading() as session:
            rows = session.scalars(select(IdentityEvent).where(
                (IdentityEvent.source == key) | (IdentityEvent.golden == key))
                .order_by(IdentityEvent.id))
            return [Event(r.source, r.golden, r.state, r.how, r.score, r.by, r.at) for r in rows]

    def golden(self, session: Session, golden: str) -> JSON:
        """The golden Patient, chosen from its sources' Patients."""
        rows = session.scalars(select(IdentitySource).where(
            IdentitySource.source.in_(self.members(session, golden)))).all()
        return golden_patient(golden, [(from_json(r.demographics), r.patient) for r in rows])

    def match(self, patient: JSON, only_certain: bool, count: int | None) -> JSON:
        """`Patient/$match` (https://hl7.org/fhir/R4/patient-operation-match.html): the golden
        records the given Patient resembles, best first."""
        wanted = from_patient({**patient, "id": "match"})
        with self.db.reading() as session:
            best: dict[str, tuple[float, Score]] = {}
            for source, d in self._candidates(session, wanted).items():
                golden = session.scalar(select(IdentityLink.golden).where(
                    IdentityLink.source == source, IdentityLink.state == MATCH))
                found = score(wanted, d, self.rules)
                if golden and found.verdict != NO_MATCH and (
                        golden not in best or found.total > best[golden][0]):
                    best[golden] = (found.total, found)
            entries: list[tuple[dict[str, Any], Score]] = [
                (self.golden(session, g), s) for g, (_, s) in sorted(best.items())]
        return searchset(entries, only_certain, count)

    def _candidates(self, session: Session, d: Demographics) -> dict[str, Demographics]:
        keys = sorted(block_keys(d, self.rules))
        rows = session.scalars(select(IdentitySource).where(IdentitySource.source.in_(
            select(IdentityBlock.source).where(IdentityBlock.key.in_(keys)))))
        return {r.source: from_json(r.demographics) for r in rows}
