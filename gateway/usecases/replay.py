"""Replay: derive the writes of kept records again and queue them, so that a mapping fix (or,
later, a changed identity link) reaches HAPI. The records are the truth; what HAPI holds is
derived from them with deterministic ids, so replaying twice changes nothing more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from gateway.db.outbox import Write
from gateway.store import FhirStore
from gateway.usecases import intake
from gateway.usecases.submission import GREEN_FORM_KIND, Submissions
from vocabulary.errors import Issue, ValidationFailed
from vocabulary.fhir import JSON


@dataclass
class Replayed:
    records: int = 0
    queued: dict[int, str] = field(default_factory=dict)  # outbox entry -> record id
    failures: list[tuple[str, tuple[Issue, ...]]] = field(default_factory=list)


def replay(store: FhirStore, submissions: Submissions, kinds: Sequence[str] | None = None,
           since: datetime | None = None, advance: Callable[[], None] = lambda: None,
           ids: Sequence[str] | None = None) -> Replayed:
    """Queue again the writes of the kept records of `kinds`, since `since`, or with `ids`
    (the records whose child an identity decision moved)."""
    done = Replayed()
    for record_id, kind, body in store.outbox.records(kinds, since, ids):
        done.records += 1
        try:
            queued = _requeue(store, submissions, record_id, kind, body)
        except ValidationFailed as exc:
            done.failures.append((record_id, tuple(exc.issues)))
        else:
            done.queued.update(dict.fromkeys(queued, record_id))
        advance()
    store.accepted.ring()
    return done


def _writes(submissions: Submissions, kind: str, body: JSON) -> list[Write]:
    return submissions.writes(body) if kind == GREEN_FORM_KIND else intake.writes(kind, body)


def _requeue(store: FhirStore, submissions: Submissions, record_id: str, kind: str,
             body: JSON) -> list[int]:
    """A record's writes derived again and queued. With identity, in one transaction: a
    record kept before its child was resolved is resolved first."""
    children = submissions.children
    if children is None or kind == GREEN_FORM_KIND:
        return store.outbox.requeue(record_id, _writes(submissions, kind, body))
    outbox = store.outbox
    with outbox.db.session() as session:
        writes = children.rederived(session, record_id, kind, body)
        if not writes:
            resources = intake.mapped(kind, body)[0]
            change = children.identities.observe(session, record_id, resources, "replay")
            writes = children.writes(session, record_id, resources, change, outbox.queue_in)
        return outbox.queue_in(session, record_id, writes)
