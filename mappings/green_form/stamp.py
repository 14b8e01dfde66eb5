"""What every resource extracted from one Green Form carries (`mappings.stamping`): a
deterministic id and business identifier keyed by the form's own identifier, and `meta.source`;
and the form's code tables.

Ids are `mappings.ids.resource_id("green-form", "<system>|<value>", type, discriminator)` of the
QuestionnaireResponse's identifier, so submitting the same form again writes the same resources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from consent.codes import program_source
from mappings.datatypes import compact, reference
from mappings.stamping import Stamping
from vocabulary.data import package_dir
from vocabulary.fhir import JSON
from vocabulary.programs import GREEN_FORM

PROGRAM = GREEN_FORM
SOURCE = program_source(PROGRAM)
CODES = package_dir("mappings") / "green_form" / "codes.json"


@cache
def _tables() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(CODES.read_text(encoding="utf-8"))
    return doc


def table(name: str) -> dict[str, Any]:
    """A section of `codes.json` (cached; treat as read-only)."""
    section: dict[str, Any] = _tables()[name]
    return section


def coding(name: str) -> JSON:
    """A fixed Coding from the `codings` table, as a fresh dict."""
    return dict(table("codings")[name])


def concept(name: str, text: str | None = None) -> JSON:
    return compact(coding=[coding(name)], text=text)


@dataclass(frozen=True)
class Stamp(Stamping):
    """The stamps of one form, keyed by its identifier (its form number)."""

    system: str
    value: str

    @property
    def key(self) -> str:
        return f"{self.system}|{self.value}"

    @property
    def namespace(self) -> str:
        return PROGRAM

    @property
    def source(self) -> str:
        return SOURCE

    @property
    def record_key(self) -> str:
        return self.key

    @property
    def identifier_system(self) -> str:
        return self.system

    @property
    def identifier_value(self) -> str:
        return self.value


def ref_to(resource: JSON, display: str | None = None) -> JSON:
    """A relative reference to a resource this module built (it has its id)."""
    return reference(resource["resourceType"], resource["id"], display)
