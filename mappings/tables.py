"""The code tables in `mappings/codes/`: program code -> standard or local coding, as data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from vocabulary.data import package_dir
from vocabulary.errors import UnmappableRecord

CODES = package_dir("mappings") / "codes"


@cache
def table(name: str) -> dict[str, Any]:
    """`codes/<name>.json` as a dict (cached; treat as read-only)."""
    doc: dict[str, Any] = json.loads((CODES / f"{name}.json").read_text(encoding="utf-8"))
    return doc


def common(section: str) -> dict[str, Any]:
    section_table: dict[str, Any] = table("common")[section]
    return section_table


def lookup(entries: Mapping[str, Any], code: str, expression: str) -> Any:
    """The table entry for a program code, or UnmappableRecord pointing at the record field."""
    if code not in entries:
        raise UnmappableRecord(f"No FHIR mapping for code {code!r}", expression=expression)
    return entries[code]
