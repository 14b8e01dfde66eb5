"""stale_entries(): an amended form deletes what it no longer says, and nothing shared."""

from __future__ import annotations

from mappings.green_form import extract, stale_entries
from tests.mappings.green_form.helpers import form, one, resources, stored, without


def amended_without_medication() -> dict[str, object]:
    response = without(form("lily-chen-adhd-follow-up"), "medication")
    response["status"] = "amended"
    return response


def test_what_an_amended_form_dropped_is_deleted() -> None:
    server, _ = stored("lily-chen-adhd-follow-up")
    before = extract(form("lily-chen-adhd-follow-up"))
    previous = server.read(f"Provenance/{one(before, 'Provenance')['id']}")
    after = extract(amended_without_medication())
    dropped = [f"MedicationStatement/{m['id']}" for m in resources(before, "MedicationStatement")]
    assert stale_entries(previous, after) == [
        {"request": {"method": "DELETE", "url": url}} for url in dropped]


def test_an_unchanged_form_deletes_nothing_and_shared_resources_never() -> None:
    server, _ = stored("lily-chen-adhd-follow-up")
    bundle = extract(form("lily-chen-adhd-follow-up"))
    previous = server.read(f"Provenance/{one(bundle, 'Provenance')['id']}")
    assert any(t["reference"].startswith("Patient/") for t in previous["target"])
    assert stale_entries(previous, bundle) == []
    only_response = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    deleted = [e["request"]["url"].split("/")[0] for e in stale_entries(previous, only_response)]
    assert deleted
    assert not {"Patient", "Organization", "Practitioner"} & set(deleted)


def test_versioned_and_absolute_references_are_understood() -> None:
    previous = {"resourceType": "Provenance", "target": [
        {"reference": "http://hapi.example/fhir/Condition/c-1/_history/3"},
        {"reference": "Observation/o-1/_history/1"},
        {"reference": "urn:uuid:0d7e4f1c-5f57-4f0e-9a0f-6a1c8a6b2f10"},
        {"reference": "Condition/c-1"}]}
    assert stale_entries(previous, {"entry": []}) == [
        {"request": {"method": "DELETE", "url": "Condition/c-1"}},
        {"request": {"method": "DELETE", "url": "Observation/o-1"}}]
