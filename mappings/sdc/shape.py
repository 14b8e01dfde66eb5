"""The shape of a response before it is judged against its Questionnaire: how deep and how
large it is, and whether its strings and numbers can be FHIR primitives at all.

One pass with an explicit stack, so no input can exhaust Python's recursion, and nothing after it
meets a response deeper or larger than the bounds below. Strings may hold no control characters
but tab, CR and LF (https://hl7.org/fhir/R4/datatypes.html#string); numbers must be finite
(https://hl7.org/fhir/R4/datatypes.html#decimal).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mappings.sdc import paths
from vocabulary.errors import Issue, TooComplex
from vocabulary.fhir import JSONView

MAX_DEPTH = 64  # nested JSONView objects and arrays
MAX_ITEM_DEPTH = 16  # items within items (under item or answer.item)
MAX_ITEMS = 1000  # response items in all
MAX_ANSWERS = 2000  # answers in all
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Answer values whose own check already says when they are not finite
CHECKED_NUMBERS = frozenset({"valueDecimal", "valueInteger"})


@dataclass(frozen=True)
class Step:
    """Where a value sits: a linked list of keys and indexes back to the root, so a path costs
    nothing until an issue needs it."""

    parent: Step | None
    key: str | int

    def expression(self) -> str:
        keys: list[str | int] = []
        step: Step | None = self
        while step is not None:
            keys.append(step.key)
            step = step.parent
        return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in reversed(keys))


def shape_issues(response: JSONView) -> list[Issue]:
    """Control characters and non-finite numbers, each located; raises TooComplex when the
    response is deeper or larger than any form needs."""
    return list(_walk(response))


def _walk(response: JSONView) -> Iterator[Issue]:
    counts = {"item": 0, "answer": 0}
    root = Step(None, paths.ROOT)
    stack: list[tuple[Any, Step, int, int]] = [(response, root, 0, 0)]
    while stack:
        value, step, depth, items = stack.pop()
        if isinstance(value, str):
            if CONTROL.search(value):
                yield _control(value, step)
        elif isinstance(value, float):
            if not math.isfinite(value) and step.key not in CHECKED_NUMBERS:
                yield Issue(f"{value} is not a finite number", _at(step), "value")
        elif isinstance(value, Mapping | list):
            if depth >= MAX_DEPTH:
                raise TooComplex(f"The resource nests deeper than {MAX_DEPTH} levels",
                                 expression=_at(step))
            stack.extend(reversed(list(_children(value, step, depth, items, counts))))


def _children(value: Mapping[str, Any] | list[Any], step: Step, depth: int, items: int,
              counts: dict[str, int]) -> Iterator[tuple[Any, Step, int, int]]:
    if isinstance(value, list):
        kind = step.key if step.key in counts else None
        for index, child in enumerate(value):
            at = Step(step, index)
            nested = items
            if kind is not None and isinstance(child, Mapping):
                nested = _count(counts, str(kind), at, items)
            yield child, at, depth + 1, nested
        return
    for key, child in value.items():
        yield child, Step(step, str(key)), depth + 1, items


def _count(counts: dict[str, int], kind: str, at: Step, items: int) -> int:
    counts[kind] += 1
    most = MAX_ITEMS if kind == "item" else MAX_ANSWERS
    if counts[kind] > most:
        raise TooComplex(f"The response has more than {most} {kind}s", expression=_at(at))
    if kind == "answer":
        return items
    if items >= MAX_ITEM_DEPTH:
        raise TooComplex(f"The response nests items deeper than {MAX_ITEM_DEPTH} levels",
                         expression=_at(at))
    return items + 1


def _at(step: Step) -> str:
    return step.expression().removeprefix(".")


def _control(text: str, step: Step) -> Issue:
    found = CONTROL.search(text)
    assert found is not None
    return Issue(f"The string has a control character (U+{ord(found.group()):04X}) at "
                 f"position {found.start()}; FHIR strings allow only tab, CR and LF",
                 _at(step), "value")
