"""Invented children for the identity tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from identity.demographics import Demographics, from_patient
from mappings.systems import identifier_system

HUSKY = identifier_system("husky-member-id")
MRN = identifier_system("mrn-capitol-peds")
FIXTURES = Path(__file__).parents[2] / "fixtures"


def child(source: str, given: str = "Tomás", family: str = "Quintero", *,
          birth_date: str = "2019-05-08", sex: str = "male", husky: str | None = None,
          mrn: str | None = None, phone: str | None = "(860) 555-0142",
          guardian: str | None = "Marisol Quintero", language: str | None = "es") -> Demographics:
    ids = tuple(sorted((s, v) for s, v in ((HUSKY, husky), (MRN, mrn)) if v))
    return Demographics(f"Patient/{source}", given, family, birth_date, sex, ids, phone,
                        guardian, language)


def resources(path: Path) -> list[dict[str, Any]]:
    """Every resource in an expected-output file (bundles nested anywhere)."""
    found: list[dict[str, Any]] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if isinstance(x.get("resource"), dict):
                found.append(x["resource"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def fixture_children() -> list[tuple[Demographics, dict[str, Any]]]:
    paths = sorted(FIXTURES.glob("records/*/valid/*.expected.json"))
    paths += sorted(FIXTURES.glob("green-form/valid/*.expected.json"))
    out = []
    for n, path in enumerate(paths):
        found = resources(path)
        patients = [r for r in found if r["resourceType"] == "Patient"]
        if not patients:
            continue
        patient = {**patients[0], "id": f"p{n}"}
        related = [r for r in found if r["resourceType"] == "RelatedPerson"]
        out.append((from_patient(patient, related), patient))
    return out
