"""Shared helpers of the mapping tests: fixture cases and walking FHIR JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gateway.devtools.golden import Case, cases

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


def objects(node: Any, keep: Callable[[dict[str, Any]], bool]) -> Iterator[dict[str, Any]]:
    """Every JSON object anywhere in `node` that `keep` accepts, depth first."""
    if isinstance(node, dict):
        if keep(node):
            yield node
        for value in node.values():
            yield from objects(value, keep)
    elif isinstance(node, list):
        for item in node:
            yield from objects(item, keep)


def _strings(*keys: str) -> Callable[[dict[str, Any]], bool]:
    return lambda node: all(isinstance(node.get(k), str) for k in keys)


def references(node: Any) -> Iterator[str]:
    """Every `Reference.reference` string anywhere in a resource."""
    return (o["reference"] for o in objects(node, _strings("reference")))


def codings(node: Any) -> Iterator[dict[str, Any]]:
    """Every Coding-shaped object (system and code) anywhere in a resource."""
    return objects(node, _strings("system", "code"))


def periods(node: Any) -> Iterator[dict[str, Any]]:
    """Every Period-shaped object (a start and an end) anywhere in a resource."""
    return objects(node, _strings("start", "end"))
