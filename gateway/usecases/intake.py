"""Program intake: validate and map one native record, then keep it and queue its resources
for HAPI, as one transaction, through the door."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.db.outbox import Write
from gateway.store import FhirStore, Principal
from mappings import registry
from vocabulary import transaction as tx
from vocabulary.fhir import JSON


def accept_record(store: FhirStore, who: Principal, program: str, record: Any) -> list[int]:
    """Validation and mapping finish before anything is kept, so a bad record keeps nothing;
    the outbox entry's ids."""
    return store.accept(who, program, record, writes(program, record))


def writes(program: str, record: Any) -> list[Write]:
    """What a program record sends HAPI: its resources, keyed by the child (its Patient)."""
    resources = registry.map_record(program, record)
    return [Write(child=child_of(resources), bundle=tx.puts(resources))]


def child_of(resources: Sequence[JSON]) -> str:
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), resources[0])
    return f"{patient['resourceType']}/{patient.get('id', '')}"


def created(transaction_response: JSON) -> bool:
    return any(str(e.get("response", {}).get("status", "")).startswith("201")
               for e in transaction_response.get("entry", []))
