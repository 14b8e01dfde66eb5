"""How often an item that repeats may occur: the questionnaire-maxOccurs extension
(https://hl7.org/fhir/R4/extension-questionnaire-maxoccurs.html), else a bound no form needs
to pass, so that one response cannot write thousands of resources. Answers to a repeating
question may not repeat a value: each becomes its own resource."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from mappings.sdc.questionnaire import extension_values, label
from mappings.sdc.values import NUMERIC, Value
from vocabulary.errors import Issue
from vocabulary.fhir import JSONView

MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
MAX_REPEATS = 50


def max_occurs(definition: JSONView) -> int:
    """How many times a repeating item may occur (or a repeating question be answered)."""
    if not definition.get("repeats"):
        return 1
    declared = [e.get("valueInteger") for e in extension_values(definition, MAX_OCCURS)]
    return next((d for d in declared if isinstance(d, int) and not isinstance(d, bool)
                 and d >= 1), MAX_REPEATS)


def repeats_issue(definition: JSONView, count: int, path: str) -> Issue:
    """`path`: the first occurrence (or answer) beyond the bound."""
    return Issue(f"Item {label(definition)} occurs {count} times; at most "
                 f"{max_occurs(definition)} are allowed", path, "structure")


def duplicate_indexes(values: list[tuple[int, Value]]) -> Iterator[tuple[int, int]]:
    """(index, earlier index) of each answer whose value an earlier answer already gave."""
    seen: dict[Any, int] = {}
    for index, value in values:
        key = answer_key(value)
        if key in seen:
            yield index, seen[key]
        else:
            seen[key] = index


def answer_key(value: Value) -> Any:
    """A hashable key under which two values are the same answer (as `values.equal` sees it
    for the types a repeating question takes)."""
    data = value.data
    if value.kind in NUMERIC:
        return "number", Decimal(str(data)).normalize()
    if value.kind == "Coding":
        return "Coding", data.get("system"), data.get("code")
    if value.kind == "Reference" and data.get("reference"):
        return "Reference", data["reference"]
    return value.kind, json.dumps(data, sort_keys=True, default=str)
