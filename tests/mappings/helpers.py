"""Shared helpers of the mapping tests: fixture cases and walking FHIR JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mappings.golden import Case, cases

CASES = list(cases())
VALID = [c for c in CASES if c.valid]
INVALID = [c for c in CASES if not c.valid]
BINDINGS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "required_bindings.json").read_text(encoding="utf-8"))


def case_id(case: Case) -> str:
    return case.name


def values_at(node: Any, path: str) -> Iterator[Any]:
    """Every value at a dotted path; lists along the way are flattened."""
    if isinstance(node, list):
        for item in node:
            yield from values_at(item, path)
        return
    if not path:
        yield node
        return
    head, _, rest = path.partition(".")
    if isinstance(node, dict) and head in node:
        yield from values_at(node[head], rest)


def references(node: Any) -> Iterator[str]:
    """Every `Reference.reference` string anywhere in a resource."""
    if isinstance(node, dict):
        if isinstance(node.get("reference"), str):
            yield node["reference"]
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def codings(node: Any) -> Iterator[dict[str, Any]]:
    """Every Coding-shaped object (system and code) anywhere in a resource."""
    if isinstance(node, dict):
        if isinstance(node.get("system"), str) and isinstance(node.get("code"), str):
            yield node
        for value in node.values():
            yield from codings(value)
    elif isinstance(node, list):
        for item in node:
            yield from codings(item)


def periods(node: Any) -> Iterator[dict[str, Any]]:
    """Every Period-shaped object (a start and an end) anywhere in a resource."""
    if isinstance(node, dict):
        if isinstance(node.get("start"), str) and isinstance(node.get("end"), str):
            yield node
        for value in node.values():
            yield from periods(value)
    elif isinstance(node, list):
        for item in node:
            yield from periods(item)
