"""What the shared plan is derived from: the child, and each kept record's part."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consent.codes import ONEPLAN_BASE, ORGANIZATIONS

SOURCE = f"{ONEPLAN_BASE}/shared-plan"  # meta.source of what the shared plan writes


@dataclass(frozen=True)
class Contribution:
    """One kept record's resources (already pointed at the golden Patient), from `source`
    ("<kind>/<record id>"), contributed by `organization` (a CAST organization key)."""

    source: str
    organization: str
    resources: tuple[dict[str, Any], ...]

    def of_type(self, resource_type: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r.get("resourceType") == resource_type]


@dataclass(frozen=True)
class Child:
    """The golden Patient as a Reference, and the family's language (bcp47)."""

    patient: dict[str, Any]
    language: str = "en"

    @property
    def golden(self) -> str:
        return str(self.patient["reference"]).split("/")[-1]


def organization(key: str) -> dict[str, Any]:
    """A CAST organization by its key; anyone else by name only."""
    return {"reference": f"Organization/{key}"} if key in ORGANIZATIONS else {"display": key}
