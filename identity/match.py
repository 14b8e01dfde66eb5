"""The answer of `Patient/$match` (https://hl7.org/fhir/R4/patient-operation-match.html)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from identity.score import Score

MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade"


def searchset(candidates: Sequence[tuple[dict[str, Any], Score]], only_certain: bool,
              count: int | None) -> dict[str, Any]:
    """A searchset Bundle of the candidate Patients, the best score first (ties by id); with
    `only_certain`, just the `certain` grades; at most `count` entries."""
    chosen = [(p, s) for p, s in candidates if not only_certain or s.grade == "certain"]
    chosen.sort(key=lambda c: (-c[1].total, str(c[0].get("id", ""))))
    if count is not None:
        chosen = chosen[:count]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(chosen),
        "entry": [_entry(p, s) for p, s in chosen],
    }


def _entry(patient: dict[str, Any], score: Score) -> dict[str, Any]:
    return {
        "resource": patient,
        "search": {
            "extension": [{"url": MATCH_GRADE, "valueCode": score.grade}],
            "mode": "match",
            "score": score.total,
        },
    }
