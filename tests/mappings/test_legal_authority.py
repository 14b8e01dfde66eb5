"""Legal authority is recorded at intake, on the RelatedPerson (consent/record.py), and a
program's release counts only because its signer holds it (issue 11, item 5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from consent import codes
from consent.decision import Effect
from consent.engine import decide
from consent.requester import Requester
from consent.rules import load_policy
from gateway.devtools.golden import RECORDS
from mappings.registry import map_record

POLICY = load_policy()
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def mapped(program: str, name: str) -> list[dict[str, Any]]:
    raw = json.loads((RECORDS / program / "valid" / f"{name}.json").read_text("utf-8"))
    return map_record(program, raw)


def authority(person: dict[str, Any]) -> list[str]:
    return [c["code"] for concept in person["relationship"] for c in concept.get("coding", ())
            if c["system"] == codes.LEGAL_AUTHORITY]


def people(resources: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {r["name"][0]["text"]: authority(r) for r in resources
            if r["resourceType"] == "RelatedPerson"}


def test_a_wraparound_team_records_the_parents_custody_and_nobody_elses() -> None:
    assert people(mapped("wrapct", "mateo-rivera")) == {
        "Lucia Rivera": ["legal-custody"], "Carmen Rivera": [], "Father Tomás Ortiz": []}


def test_a_programs_guardian_holds_legal_authority() -> None:
    found = [r for r in mapped("home", "mateo-rivera") if r["resourceType"] == "RelatedPerson"]
    assert [authority(r) for r in found] == [["legal-custody"]]


def test_the_wraparound_release_counts_because_its_signer_holds_custody() -> None:
    record = mapped("wrapct", "mateo-rivera")
    patient = next(r for r in record if r["resourceType"] == "Patient")
    restricted = {"resourceType": "Observation", "id": "o1", "status": "final",
                  "code": {"text": "Hearing screen"},
                  "subject": {"reference": f"Patient/{patient['id']}"}}
    clinician = Requester(who="Practitioner/ana-whitfield", role="pcp", purpose="TREAT",
                          organization="Organization/capitol-peds")
    kept = [r for r in record if r["resourceType"] in ("Consent", "RelatedPerson", "Patient")]
    assert decide(clinician, "read", restricted, kept, POLICY, NOW).effect is Effect.PERMIT
    unrecorded = [r for r in kept if r["resourceType"] != "RelatedPerson"]
    assert decide(clinician, "read", restricted, unrecorded, POLICY, NOW).effect is Effect.DENY
