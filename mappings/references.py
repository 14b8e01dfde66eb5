"""Pointing a record's resources at the child's golden Patient instead of the record's own
(source) Patient. The source Patient itself is left as mapped: sources are never changed.

https://hl7.org/fhir/R4/references.html
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vocabulary.fhir import JSON


def repoint(resources: Sequence[JSON], source: str, target: str) -> list[JSON]:
    """Copies of `resources` where every Reference to `source` (`Type/id`) refers to `target`
    instead; `resources` are not changed."""
    return [resource if _url(resource) == source else _repointed(resource, source, target)
            for resource in resources]


def _url(resource: JSON) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def _repointed(value: Any, source: str, target: str) -> Any:
    if isinstance(value, dict):
        found = {k: _repointed(v, source, target) for k, v in value.items()}
        if found.get("reference") == source:
            found["reference"] = target
        return found
    if isinstance(value, list):
        return [_repointed(v, source, target) for v in value]
    return value
