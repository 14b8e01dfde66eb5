"""The door against the real HAPI: batch reads, a transaction that reads back what it wrote,
and a conditional create that matches several resources."""

from __future__ import annotations

import uuid

import pytest

from gateway.store import SYSTEM, FhirStore
from vocabulary import transaction as tx
from vocabulary.errors import AmbiguousMatch

SYSTEM_URL = "http://oneplan.example.org/fhir/sid/test-door"


def patient(family: str, value: str) -> dict[str, object]:
    return {"resourceType": "Patient", "id": str(uuid.uuid4()), "name": [{"family": family}],
            "identifier": [{"system": SYSTEM_URL, "value": value}]}


def test_read_many_is_one_batch_with_none_for_what_is_missing(store: FhirStore) -> None:
    mateo = patient("Rivera", str(uuid.uuid4()))
    store.transaction(SYSTEM, tx.puts([mateo]))
    found = store.read_many(SYSTEM, [tx.url(mateo), f"Patient/{uuid.uuid4()}"])
    first, missing = found.values()
    assert first is not None
    assert first["name"] == [{"family": "Rivera"}]
    assert missing is None


def test_a_get_in_a_transaction_reads_what_its_writes_stored(store: FhirStore) -> None:
    """A transaction's GETs run after its writes (https://hl7.org/fhir/R4/http.html#trules)."""
    grace = patient("Okafor", str(uuid.uuid4()))
    bundle = tx.puts([grace])
    bundle["entry"] = [{"request": {"method": "GET", "url": tx.url(grace)}}, *bundle["entry"]]
    answer = store.transaction(SYSTEM, bundle)
    stored = answer["entry"][0]["resource"]
    assert (stored["id"], stored["meta"]["versionId"]) == (grace["id"], "1")
    assert stored["name"] == [{"family": "Okafor"}]


def test_a_conditional_create_matching_two_resources_is_an_ambiguous_match(
        store: FhirStore) -> None:
    shared = str(uuid.uuid4())
    store.transaction(SYSTEM, tx.puts([patient("Chen", shared), patient("Chen", shared)]))
    again = tx.create_if_none(patient("Chen", shared), f"urn:uuid:{uuid.uuid4()}",
                              f"identifier={SYSTEM_URL}|{shared}")
    with pytest.raises(AmbiguousMatch):
        store.transaction(SYSTEM, tx.transaction([again]))
