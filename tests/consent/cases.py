"""Loads the policy test files (`consent/policy/*.test.yaml`) into decide() inputs.

A test file names principals, resources with their labels, the patient's Consents (FHIR R4
Consent JSON), the rest of the patients' record that every case sees (`record`: Patient,
RelatedPerson with legal authority, Coverage; a case leaves entries out with `without`), a
pinned clock and cases. In `meta.security` a bare code such as `R` or
`42CFRPart2` stands for its full Coding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from fhir.resources.R4B import get_fhir_model_class

from consent.codes import label_coding
from consent.requester import Action, Emergency, Membership, Requester

POLICY_DIR = Path(__file__).resolve().parents[2] / "consent" / "policy"


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    requester: Requester
    action: Action
    resource: dict[str, Any]
    consents: tuple[dict[str, Any], ...]
    now: datetime
    expect: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}: {self.name}"


def policy_test_files() -> list[Path]:
    return sorted(POLICY_DIR.glob("*.test.yaml"))


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _requester(spec: Mapping[str, Any], purpose: str | None) -> Requester:
    teams = frozenset(
        Membership(care_team=m["careTeam"], patient=m["patient"]) for m in spec.get("careTeam", [])
    )
    return Requester(
        who=spec["who"],
        role=spec["role"],
        purpose=purpose or spec["purposeOfUse"],
        organization=spec.get("organization"),
        care_teams=teams,
        display=spec.get("display"),
        emergency=_emergency(spec.get("emergency")),
    )


def _emergency(spec: Mapping[str, Any] | None) -> Emergency | None:
    if spec is None:
        return None
    return Emergency(spec["patient"], spec["reason"], _instant(spec["until"]),
                     spec.get("setting", "EMER"))


def _security(coding: str | Mapping[str, Any]) -> dict[str, Any]:
    return label_coding(coding) if isinstance(coding, str) else dict(coding)


def _resource(spec: Mapping[str, Any]) -> dict[str, Any]:
    resource = dict(spec)
    meta = dict(resource.get("meta", {}))
    if "security" in meta:
        meta["security"] = [_security(c) for c in meta["security"]]
        resource["meta"] = meta
    return resource


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, after checking that it is well-formed FHIR R4 (fhir.resources R4B)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def load_cases(path: Path) -> list[Case]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    clock = _instant(doc["clock"])
    resources = {key: validated(_resource(spec)) for key, spec in doc["resources"].items()}
    consents = {key: validated(dict(spec)) for key, spec in (doc.get("consents") or {}).items()}
    record = {key: validated(dict(spec)) for key, spec in (doc.get("record") or {}).items()}
    return [
        Case(
            file=path.name,
            name=case["name"],
            requester=_requester(doc["principals"][case["principal"]], case.get("purposeOfUse")),
            action=case.get("action", "read"),
            resource=resources[case["resource"]],
            consents=(
                *(consents[key] for key in case.get("consents", [])),
                *(entry for key, entry in record.items() if key not in case.get("without", [])),
            ),
            now=_instant(case["now"]) if "now" in case else clock,
            expect=case["expect"],
        )
        for case in doc["cases"]
    ]


def all_cases() -> list[Case]:
    return [case for path in policy_test_files() for case in load_cases(path)]
