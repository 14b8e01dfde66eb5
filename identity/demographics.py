"""The demographics of one source record's Patient, the only input the matcher sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

GUARDIAN_CODES = ("legal-custody", "GUARD", "MTH", "FTH", "PRN", "GRMTH", "GRFTH", "GRPRN",
                  "NMTH", "NFTH", "STPMTH", "STPFTH", "FMTH", "FFTH", "AUNT", "UNCLE")
"""Relationship codes that mark a guardian, the strongest first (legal custody, then parents)."""


@dataclass(frozen=True)
class Demographics:
    source: str
    given: str
    family: str
    birth_date: str
    sex: str
    identifiers: tuple[tuple[str, str], ...]
    phone: str | None = None
    guardian: str | None = None
    language: str | None = None

    def values(self, system: str) -> frozenset[str]:
        return frozenset(v for s, v in self.identifiers if s == system)


def from_patient(patient: dict[str, Any], related: Sequence[dict[str, Any]] = ()) -> Demographics:
    """Read a FHIR Patient and the RelatedPerson(s) of its record.

    The guardian is the related person whose relationship ranks first in `GUARDIAN_CODES`
    (ties: the first listed); the guardian's first phone stands for the family phone when the
    Patient has none of its own."""
    given, family = _name(patient.get("name") or [])
    guardian = _guardian(related)
    phone = _phone(patient.get("telecom") or [])
    if not phone and guardian:
        phone = _phone(guardian.get("telecom") or [])
    guardian_name = _name(guardian.get("name") or []) if guardian else None
    return Demographics(
        source=f"Patient/{patient.get('id', '')}",
        given=given,
        family=family,
        birth_date=str(patient.get("birthDate", "")),
        sex=str(patient.get("gender", "unknown")),
        identifiers=tuple(sorted(
            (str(i["system"]), str(i["value"]))
            for i in patient.get("identifier") or [] if i.get("system") and i.get("value")
        )),
        phone=phone or None,
        guardian=" ".join(p for p in guardian_name if p) if guardian_name else None,
        language=_language(patient.get("communication") or []),
    )


def _name(names: list[dict[str, Any]]) -> tuple[str, str]:
    if not names:
        return "", ""
    first = names[0]
    if first.get("family") or first.get("given"):
        return " ".join(first.get("given") or []), str(first.get("family", ""))
    words = str(first.get("text", "")).split()
    return " ".join(words[:-1]), (words[-1] if words else "")


def _phone(telecom: list[dict[str, Any]]) -> str | None:
    return next((str(t["value"]) for t in telecom if t.get("system") == "phone" and t.get("value")),
                None)


def _rank(person: dict[str, Any]) -> int:
    codes = {c.get("code") for r in person.get("relationship") or [] for c in r.get("coding") or []}
    return min((GUARDIAN_CODES.index(c) for c in codes if c in GUARDIAN_CODES),
               default=len(GUARDIAN_CODES))


def _guardian(related: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    ranked = [(r, i) for i, p in enumerate(related) if (r := _rank(p)) < len(GUARDIAN_CODES)]
    return related[min(ranked)[1]] if ranked else None


def _language(communication: list[dict[str, Any]]) -> str | None:
    chosen = next((c for c in communication if c.get("preferred")), None)
    codings = (chosen or {}).get("language", {}).get("coding") or []
    return str(codings[0]["code"]) if codings and codings[0].get("code") else None
