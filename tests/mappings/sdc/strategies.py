"""Hypothesis strategies: random Questionnaires (nested groups, repeats, required items) and
responses that answer them fully and correctly.

Every group has at least two required children, so taking one required question out of a
valid response leaves its group answered: exactly one item goes missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from mappings.sdc.repeats import answer_key
from mappings.sdc.values import LATEST_YEAR, value_of
from tests.mappings.sdc.builders import JSON, SYSTEM, coding, group, question, questionnaire

LEAVES = ("string", "text", "integer", "decimal", "boolean", "date", "dateTime", "time",
          "choice")
OPTIONS = [coding(code, code.title()) for code in ("red", "green", "blue")]
LAST_DAY = date(LATEST_YEAR, 12, 31)
ZONES = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
VALUES: dict[str, st.SearchStrategy[JSON]] = {
    "string": st.text(st.characters(categories=("L", "N")), min_size=1).map(
        lambda s: {"valueString": s}),
    "integer": st.integers(-(2**31), 2**31 - 1).map(lambda n: {"valueInteger": n}),
    "decimal": st.floats(allow_nan=False, allow_infinity=False).map(lambda x: {"valueDecimal": x}),
    "boolean": st.booleans().map(lambda b: {"valueBoolean": b}),
    "date": st.dates(max_value=LAST_DAY).map(lambda d: {"valueDate": d.isoformat()}),
    "dateTime": st.datetimes(max_value=datetime.combine(LAST_DAY, time()), timezones=ZONES).map(
        lambda d: {"valueDateTime": d.isoformat()}),
    "time": st.times().map(lambda t: {"valueTime": t.isoformat()}),
    "choice": st.sampled_from(OPTIONS),
}
VALUES["text"] = VALUES["string"]


@dataclass(frozen=True)
class Spec:
    """One Questionnaire item, before it has a linkId."""

    kind: str
    required: bool
    repeats: bool
    children: tuple[Spec, ...] = ()


def _group(children: list[Spec]) -> st.SearchStrategy[Spec]:
    first_two_required = tuple(Spec(c.kind, c.required or i < 2, c.repeats, c.children)
                               for i, c in enumerate(children))
    return st.builds(Spec, st.just("group"), st.booleans(), st.booleans(),
                     st.just(first_two_required))


LEAF = st.builds(Spec, st.sampled_from(LEAVES), st.booleans(), st.booleans())
SPECS = st.lists(st.recursive(LEAF, lambda kids: st.lists(kids, min_size=2, max_size=4).flatmap(
    _group), max_leaves=12), min_size=1, max_size=4)


@dataclass(frozen=True)
class Item:
    link_id: str
    spec: Spec
    children: tuple[Item, ...]

    def definition(self) -> JSON:
        fields: dict[str, Any] = {"required": self.spec.required, "repeats": self.spec.repeats,
                                  "text": f"Item {self.link_id}"}
        if self.spec.kind == "group":
            return group(self.link_id, *(c.definition() for c in self.children), **fields)
        if self.spec.kind == "choice":
            fields["answerOption"] = OPTIONS
        return question(self.link_id, self.spec.kind, **fields)


def named(specs: list[Spec] | tuple[Spec, ...], prefix: str = "") -> tuple[Item, ...]:
    return tuple(Item(f"{prefix}{i + 1}", s, named(s.children, f"{prefix}{i + 1}."))
                 for i, s in enumerate(specs))


def form_of(items: tuple[Item, ...]) -> JSON:
    return questionnaire(*(i.definition() for i in items))


def answers(draw: Callable[[st.SearchStrategy[Any]], Any], items: tuple[Item, ...]) -> list[JSON]:
    """Response items for `items`: every required one, and some of the others."""
    found: list[JSON] = []
    for item in items:
        if not (item.spec.required or draw(st.booleans())):
            continue
        count = draw(st.integers(1, 3)) if item.spec.repeats else 1
        if item.spec.kind == "group":
            found += [{"linkId": item.link_id, "item": answers(draw, item.children)}
                      for _ in range(count)]
        else:
            # The answers to a repeating question differ: a repeated value is a mistake.
            values = st.lists(VALUES[item.spec.kind], min_size=1, max_size=count,
                              unique_by=_same_answer)
            found.append({"linkId": item.link_id, "answer": draw(values)})
    return found


def _same_answer(answer: JSON) -> Any:
    value = value_of(answer)
    assert value is not None
    return answer_key(value)


@dataclass(frozen=True)
class Place:
    """A response item in place: the list holding it, its position, and its expression."""

    holder: list[JSON]
    index: int
    item: Item
    expression: str


def places(nodes: list[JSON], items: tuple[Item, ...],
           parent: str = "QuestionnaireResponse") -> Iterator[Place]:
    by_id = {i.link_id: i for i in items}
    seen: dict[str, int] = {}
    for index, node in enumerate(nodes):
        item = by_id[node["linkId"]]
        repeated = item.spec.kind == "group" and item.spec.repeats
        where = f"{parent}.item.where(linkId='{item.link_id}')"
        expression = where + (f"[{seen.get(item.link_id, 0)}]" if repeated else "")
        seen[item.link_id] = seen.get(item.link_id, 0) + 1
        yield Place(nodes, index, item, expression)
        yield from places(node.get("item", []), item.children, expression)


def codes_of(system: str = SYSTEM) -> set[tuple[str, str]]:
    return {(system, o["valueCoding"]["code"]) for o in OPTIONS}
