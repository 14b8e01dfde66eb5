"""Program intake: validate and map one native record, then keep it and queue its resources
for HAPI, as one transaction, through the door."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from gateway.db.outbox import Write
from gateway.store import FhirStore, Principal
from gateway.usecases.children import Children
from mappings import registry
from vocabulary import programs
from vocabulary import transaction as tx
from vocabulary.fhir import JSON


def accept_record(store: FhirStore, who: Principal, program: str, record: Any,
                  children: Children | None = None) -> list[int]:
    """Validation and mapping finish before anything is kept, so a bad record keeps nothing.
    With `children`, the record's child is resolved in the transaction that keeps it, and
    its writes point at the child's golden Patient and carry the shared plan. The outbox
    entries' ids."""
    resources = registry.map_record(program, record)
    if children is None:
        return store.accept(who, program, record, _writes(resources))

    def then(session: Session, kept: str) -> list[Write]:
        change = children.identities.observe(session, kept, resources, who.name)
        return children.writes(session, kept, resources, change, store.outbox.queue_in)

    return store.accept(who, program, record, [], then)


def mapped(program: str, record: Any) -> tuple[list[JSON], str]:
    """A kept program record's resources and the organization that keeps it (`Mapper`)."""
    return registry.map_record(program, record), programs.KEEPERS[program]


def writes(program: str, record: Any) -> list[Write]:
    """What a program record sends HAPI: its resources, keyed by the child (its Patient)."""
    return _writes(registry.map_record(program, record))


def _writes(resources: Sequence[JSON]) -> list[Write]:
    return [Write(child=child_of(resources), bundle=tx.puts(resources))]


def child_of(resources: Sequence[JSON]) -> str:
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), resources[0])
    return f"{patient['resourceType']}/{patient.get('id', '')}"


def created(transaction_response: JSON) -> bool:
    return any(str(e.get("response", {}).get("status", "")).startswith("201")
               for e in transaction_response.get("entry", []))
