"""OnePlan's own conformance artefacts from `profiles/`: the Green Form Questionnaire, its
ValueSets and CodeSystems (compiled by SUSHI into `profiles/fsh-generated/resources/`), and the
hand-kept CodeSystems and NamingSystems. Loaded once by the app factory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mappings.sdc.terminology import Terminology
from vocabulary.data import PROFILES

FOLDERS = ("fsh-generated/resources", "codesystems", "namingsystems")
GREEN_FORM = "http://oneplan.example.org/fhir/Questionnaire/green-form"


@dataclass(frozen=True)
class Conformance:
    resources: tuple[dict[str, Any], ...]
    terminology: Terminology

    @classmethod
    def load(cls, root: Path = PROFILES) -> Conformance:
        resources = tuple(json.loads(p.read_text(encoding="utf-8")) for p in _files(root))
        kinds = ("ValueSet", "CodeSystem")
        return cls(resources, Terminology.from_resources(
            r for r in resources if r["resourceType"] in kinds))

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any] | None:
        return next((r for r in self.resources if (r["resourceType"], r["id"]) ==
                     (resource_type, resource_id)), None)

    def by_url(self, resource_type: str, canonical: str) -> list[dict[str, Any]]:
        """Every artefact of that type whose `url` or `url|version` is `canonical`."""
        url, _, version = canonical.partition("|")
        return [r for r in self.resources if r["resourceType"] == resource_type
                and r.get("url") == url and version in ("", r.get("version"))]


def _files(root: Path) -> Iterator[Path]:
    for folder in FOLDERS:
        yield from sorted((root / folder).glob("*.json"))
