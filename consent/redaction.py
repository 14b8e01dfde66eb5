"""redact(): apply a decision's REDACT obligations to a resource. Never part of decide().

An element path is dotted from the resource root (`note`, `activity.detail.description`) and
walks through lists; `extension:<url>` drops that extension wherever it occurs. The result is
labelled REDACTED (v3-ObservationValue) so a recipient knows it is not the whole record.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from consent import codes
from consent.decision import Decision, Effect

REDACTED = {"system": codes.OBSERVATION_VALUE, "code": "REDACTED", "display": "redacted"}


class DeniedResource(Exception):
    """A denied resource is withheld whole; there is nothing to redact."""


def redact(resource: Mapping[str, Any], decision: Decision) -> dict[str, Any]:
    if decision.effect is Effect.DENY:
        raise DeniedResource(decision.resource)
    result = copy.deepcopy(dict(resource))
    paths = [path for o in decision.obligations if o.code == "REDACT" for path in o.elements]
    if not paths:
        return result
    for path in paths:
        _drop(result, path)
    meta = result.setdefault("meta", {})
    meta["security"] = [*meta.get("security", []), dict(REDACTED)]
    return result


def _drop(resource: dict[str, Any], path: str) -> None:
    if path.startswith("extension:"):
        _drop_extension(resource, path.removeprefix("extension:"))
    else:
        _drop_path(resource, path.split("."))


def _drop_path(node: Any, parts: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _drop_path(item, parts)
    elif isinstance(node, dict):
        if len(parts) == 1:
            node.pop(parts[0], None)
        elif parts[0] in node:
            _drop_path(node[parts[0]], parts[1:])


def _drop_extension(node: Any, url: str) -> None:
    if isinstance(node, list):
        for item in node:
            _drop_extension(item, url)
    elif isinstance(node, dict):
        for key in ("extension", "modifierExtension"):
            if key in node:
                node[key] = [e for e in node[key] if e.get("url") != url]
                if not node[key]:
                    del node[key]
        for value in node.values():
            _drop_extension(value, url)
