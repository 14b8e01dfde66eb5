"""Program intake: validate and map one native record, then write its resources in one
transaction through the door."""

from __future__ import annotations

from typing import Any

from gateway.store import FhirStore, Principal
from mappings import registry
from vocabulary import transaction as tx
from vocabulary.fhir import JSON


def write_record(store: FhirStore, who: Principal, program: str, record: Any) -> JSON:
    """Validation and mapping finish before anything is sent, so a bad record writes nothing;
    the transaction is atomic on HAPI, so a failed write leaves nothing half written."""
    return store.transaction(who, tx.puts(registry.map_record(program, record)))


def created(transaction_response: JSON) -> bool:
    return any(str(e.get("response", {}).get("status", "")).startswith("201")
               for e in transaction_response.get("entry", []))
