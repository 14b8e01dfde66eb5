"""Whether an item is enabled (https://hl7.org/fhir/R4/questionnaire-definitions.html#Questionnaire.item.enableWhen).

An item is enabled when all its ancestors are and its own enableWhen conditions hold, combined
by enableBehavior. A condition reads the answers of its question where it is nearest to the
item: under the innermost group occurrence, among the item's ancestors, that holds both (the
ancestor axis first). A question that is itself disabled counts as unanswered.

Operators (https://hl7.org/fhir/R4/codesystem-questionnaire-enable-operator.html): `exists`
compares "has an answer" with answerBoolean; `=` and the orderings hold when at least one
answer satisfies them; `!=` holds when no answer equals the value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mappings.sdc.questionnaire import Form
from mappings.sdc.values import Value, compare, equal, format_problem, value_of
from vocabulary.fhir import JSONView


@dataclass(frozen=True)
class Frame:
    """A response item and its Questionnaire item; the root frame pairs the response itself with
    the Questionnaire."""

    node: JSONView
    definition: JSONView


Chain = tuple[Frame, ...]
Key = tuple[int, str, int]

ORDERINGS: Mapping[str, Callable[[int], bool]] = {
    ">": lambda c: c > 0, "<": lambda c: c < 0, ">=": lambda c: c >= 0, "<=": lambda c: c <= 0,
}


def nested(node: JSONView) -> Iterator[JSONView]:
    """A response item's child items: under `item`, and under each answer's `item`."""
    for key_node in (node, *_mappings(node.get("answer"))):
        yield from _mappings(key_node.get("item"))


def _mappings(value: Any) -> list[JSONView]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def answer_values(node: JSONView) -> list[Value]:
    """The well-formed answer values of a response item."""
    values = (value_of(a) for a in _mappings(node.get("answer")))
    return [v for v in values if v is not None and format_problem(v) is None]


class Enablement:
    """Enablement answers for one response; it remembers what it has worked out."""

    def __init__(self, form: Form) -> None:
        self._form = form
        self._known: dict[Key, bool] = {}
        self._found: dict[tuple[int, str], list[Value]] = {}
        self._children: dict[int, dict[str, list[JSONView]]] = {}

    def enabled(self, parents: Chain, definition: JSONView, node: JSONView | None = None) -> bool:
        """Whether `definition` is enabled below `parents`, for its response item `node` when
        it has one in the response."""
        key = (id(parents[-1].node), definition["linkId"], id(node))
        if key not in self._known:  # Form.of refuses enableWhen cycles, so this ends
            self._known[key] = self._ancestors_enabled(parents) and self._own(
                definition, (*parents, Frame(node, definition)) if node is not None else parents)
        return self._known[key]

    def _ancestors_enabled(self, parents: Chain) -> bool:
        return all(self.enabled(parents[:i], f.definition, f.node)
                   for i, f in enumerate(parents) if i > 0)

    def _own(self, definition: JSONView, chain: Chain) -> bool:
        conditions = definition.get("enableWhen", [])
        results = (self._holds(c, definition, chain) for c in conditions)
        return any(results) if definition.get("enableBehavior") == "any" else all(results)

    def _holds(self, condition: JSONView, definition: JSONView, chain: Chain) -> bool:
        answers = self._answers(condition["question"], definition["linkId"], chain)
        expected, operator = value_of(condition, "answer"), condition["operator"]
        if expected is None:  # Form.of refuses such a condition
            return False
        if operator == "exists":
            return bool(answers) is expected.data
        if operator == "!=":
            return not any(equal(a, expected) for a in answers)
        if operator == "=":
            return any(equal(a, expected) for a in answers)
        return any(c is not None and ORDERINGS[operator](c)
                   for c in (compare(a, expected) for a in answers))

    def _answers(self, question: str, source: str, chain: Chain) -> list[Value]:
        target = self._form.lineage[question]
        common = _common_prefix(self._form.lineage[source], target)
        scope = _innermost(chain, target[common - 1] if common else None)
        if scope is None:
            return []
        key = (id(chain[scope].node), question)
        if key not in self._found:  # the same for every item that asks below this scope
            self._found[key] = [
                v for occurrence in self._descend(chain[:scope + 1], target[common:])
                if self.enabled(occurrence[:-1], occurrence[-1].definition, occurrence[-1].node)
                for v in answer_values(occurrence[-1].node)]
        return self._found[key]

    def _descend(self, chain: Chain, link_ids: tuple[str, ...]) -> list[Chain]:
        """Every occurrence of the item path `link_ids` below the last frame of `chain`."""
        chains = [chain]
        for link_id in link_ids:
            chains = [(*c, Frame(n, self._form.items[link_id]))
                      for c in chains for n in self._nested(c[-1].node).get(link_id, [])]
        return chains

    def _nested(self, node: JSONView) -> dict[str, list[JSONView]]:
        """A response item's child items by linkId, sorted once per item."""
        if id(node) not in self._children:
            grouped: dict[str, list[JSONView]] = {}
            for child in nested(node):
                grouped.setdefault(str(child.get("linkId")), []).append(child)
            self._children[id(node)] = grouped
        return self._children[id(node)]


def _common_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _innermost(chain: Chain, link_id: str | None) -> int | None:
    """The index of the innermost frame of the item `link_id` (None: the response root)."""
    if link_id is None:
        return 0
    return next((i for i in reversed(range(1, len(chain)))
                 if chain[i].definition["linkId"] == link_id), None)
