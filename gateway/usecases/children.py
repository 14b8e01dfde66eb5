"""What OnePlan writes for one child, derived from the child's kept records and identity
links alone: each record's resources pointed at the child's golden Patient (program plans
`partOf` the shared plan), the golden Patient, and the shared plan (`shared_plan.derive`).

Nothing here reads HAPI, so deriving again gives the same writes, and every write is a PUT.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.db.identity import Change
from gateway.db.outbox import Write
from gateway.db.schema import IdentitySource, Record
from gateway.usecases.identity import Identities
from identity.golden import GOLDEN_TAG, IDENTITY_SYSTEM
from mappings.references import repoint
from shared_plan.contribution import Child, Contribution
from shared_plan.derive import derive, part_of
from vocabulary import transaction as tx
from vocabulary.fhir import JSON
from vocabulary.programs import GREEN_FORM

# (record kind, record body) -> the record's resources as mapped, before re-pointing, and
# the organization (a CAST key) that contributes them
Mapper = Callable[[str, JSON], tuple[list[JSON], str]]
Queue = Callable[[Session, str, Sequence[Write]], object]  # Outbox.queue_in
RETIRED_TAG = {"system": IDENTITY_SYSTEM, "code": "retired",
               "display": "No source record is linked to this golden record any more"}


def golden_url(golden: str) -> str:
    return f"Patient/{golden}"


class Children:
    def __init__(self, identities: Identities, mapped: Mapper) -> None:
        self.identities, self.mapped = identities, mapped

    def record_writes(self, session: Session, record_id: str, resources: Sequence[JSON],
                      golden: str) -> list[JSON]:
        """A record's resources as they are sent: pointed at the golden Patient, each
        program plan part of the shared plan."""
        source = _source_of(session, record_id)
        moved = repoint(resources, source, golden_url(golden)) if source else list(resources)
        return part_of(moved, golden)

    def child_write(self, session: Session, golden: str, resources: Sequence[JSON] = ()
                    ) -> Write:
        """One write for the child: `resources` (a record's own, re-pointed), then the
        golden Patient and the shared plan derived from all the child's records."""
        patient = self.identities.golden(session, golden)
        plan = derive(_child(patient), self.contributions(session, golden))
        return Write(child=golden_url(golden),
                     bundle=tx.puts([*resources, patient, *plan]))

    def writes(self, session: Session, record_id: str, resources: Sequence[JSON],
               change: Change, queue: Queue) -> list[Write]:
        """The writes of a record just kept, whose child `change` resolved: its own resources
        with the child's golden Patient and shared plan. Records whose child the change moved
        are derived again (`queue`d for their own records), and each golden record the
        change left is written again, or retired when no source is left in it."""
        source = _source_of(session, record_id)
        golden = change.goldens.get(source or "")
        if golden is None:
            return [Write(child=f"record/{record_id}", bundle=tx.puts(resources))]
        self.moved(session, change, queue, but=record_id)
        return [self.child_write(session, golden,
                                 self.record_writes(session, record_id, resources, golden))]

    def moved(self, session: Session, change: Change, queue: Queue, but: str | None = None
              ) -> None:
        """Derive again the records whose child `change` moved, and the children it left."""
        for record_id in sorted(set(change.moved.values()) - {but}):
            kind, body = session.execute(select(Record.kind, Record.body)
                                         .where(Record.id == record_id)).one()
            queue(session, record_id, self.rederived(session, record_id, kind, body))
        for golden in sorted(change.before):
            left = self.identities.members(session, golden)
            record = but or next(iter(change.moved.values()), None)
            if record is not None:
                queue(session, record, [self.child_write(session, golden) if left
                                        else self.retired(session, golden, change)])

    def rederived(self, session: Session, record_id: str, kind: str, body: JSON
                  ) -> list[Write]:
        """A kept program record's writes derived again (replay, or its child moved); None
        for a record planned at send time (a Green Form): its child's write instead."""
        source = _source_of(session, record_id)
        golden = self.identities.golden_in(session, source) if source else None
        if golden is None:
            return []
        if kind == GREEN_FORM:
            return [self.child_write(session, golden)]
        own = self.record_writes(session, record_id, self.mapped(kind, body)[0], golden)
        return [self.child_write(session, golden, own)]

    def resend(self, change: Change, queue: Queue) -> int:
        """After a reviewer's decision: derive again what it moved; how many records."""
        with self.identities.db.session() as session:
            self.moved(session, change, queue)
        return len(set(change.moved.values()))

    def retired(self, session: Session, golden: str, change: Change) -> Write:
        """A golden record no source is left in: inactive, and replaced by the golden record
        its sources went to, when they all went to one."""
        went = {change.goldens[s] for s in change.moved if s in change.goldens}
        patient: JSON = {"resourceType": "Patient", "id": golden, "active": False,
                         "meta": {"tag": [GOLDEN_TAG, RETIRED_TAG]}}
        if len(went) == 1:
            patient["link"] = [{"other": {"reference": golden_url(went.pop())},
                                "type": "replaced-by"}]
        return Write(child=golden_url(golden), bundle=tx.puts([patient]))

    def contributions(self, session: Session, golden: str) -> list[Contribution]:
        rows = session.execute(
            select(Record.id, Record.kind, Record.body, IdentitySource.source)
            .join(IdentitySource, IdentitySource.record_id == Record.id)
            .where(IdentitySource.source.in_(self.identities.members(session, golden)))
            .order_by(Record.received_at, Record.id)).all()
        latest = {source: (rid, kind, body) for rid, kind, body, source in rows}
        found = []
        for source, (_record_id, kind, body) in sorted(latest.items()):
            resources, organization = self.mapped(kind, body)
            mapped = repoint(resources, source, golden_url(golden))
            # Named by its source Patient, whose id the record's own id fixes: a record sent
            # again is the same contribution.
            found.append(Contribution(f"{kind}/{source.removeprefix('Patient/')}", organization,
                                      tuple(part_of(mapped, golden))))
        return found


def _source_of(session: Session, record_id: str) -> str | None:
    return session.scalar(select(IdentitySource.source).where(
        IdentitySource.record_id == record_id))


def _child(patient: JSON) -> Child:
    name = (patient.get("name") or [{}])[0]
    display = " ".join([*name.get("given", ()), name.get("family", "")]).strip()
    language = next((c.get("language", {}).get("coding", [{}])[0].get("code", "en")
                     for c in patient.get("communication", ()) if c.get("preferred")), "en")
    reference = {"reference": golden_url(patient["id"])}
    return Child({**reference, "display": display} if display else reference, language)
