"""Literal references in one form: `Type/id`, whether written relative, absolute or versioned.

https://hl7.org/fhir/R4/references.html#literal. A reference that names no resource of a known
shape (a contained `#id`, a logical identifier, a URN) normalises to None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REFERENCE = re.compile(
    r"(?:^|/)(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?/?$"
)


def normalise(reference: str | None) -> str | None:
    if not isinstance(reference, str) or reference.startswith(("#", "urn:")):
        return None
    found = _REFERENCE.search(reference.split("?", 1)[0])
    return f"{found['type']}/{found['id']}" if found else None


def of(node: Any) -> str | None:
    """The normalised reference of a FHIR Reference element, or None."""
    return normalise(node.get("reference")) if isinstance(node, Mapping) else None


def patient_of(node: Any) -> str | None:
    ref = of(node)
    return ref if ref is not None and ref.startswith("Patient/") else None
