"""An index over a Questionnaire (https://hl7.org/fhir/R4/questionnaire.html): items by linkId,
where each sits, and the definition checks a response validator relies on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from vocabulary.errors import InvalidQuestionnaire
from vocabulary.fhir import JSONView

QUESTION_TYPES = frozenset({
    "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text", "url",
    "choice", "open-choice", "attachment", "reference", "quantity",
})
ITEM_TYPES = QUESTION_TYPES | {"group", "display"}
OPERATORS = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})
UNORDERED = frozenset({"Boolean", "Coding", "Reference"})


def children(definition: JSONView) -> list[JSONView]:
    return [i for i in definition.get("item", []) if isinstance(i, Mapping)]


def label(definition: JSONView) -> str:
    """How diagnostics name an item: its linkId, and its text when it has one."""
    text = definition.get("text")
    return f"'{definition['linkId']}'" + (f" ({text})" if text else "")


def extension_values(element: JSONView, url: str) -> list[JSONView]:
    return [e for e in element.get("extension", []) if e.get("url") == url]


def value_key(element: JSONView, prefix: str) -> list[str]:
    """The keys of a choice element `<prefix>[x]` that are present, e.g. valueCoding."""
    n = len(prefix)
    return [k for k in element if k.startswith(prefix) and k[n:n + 1].isupper()]


@dataclass(frozen=True)
class Form:
    """A Questionnaire with its items indexed by linkId; `lineage[linkId]` runs from the
    top-level item down to the item itself."""

    resource: JSONView
    items: Mapping[str, JSONView]
    lineage: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, questionnaire: JSONView) -> Form:
        if questionnaire.get("resourceType") != "Questionnaire":
            raise InvalidQuestionnaire("the resource to validate against is not a Questionnaire")
        items: dict[str, JSONView] = {}
        lineage: dict[str, tuple[str, ...]] = {}
        problems = list(_index(questionnaire, (), items, lineage))
        form = cls(questionnaire, items, lineage)
        problems += [p for d in items.values() for p in _definition_problems(form, d)]
        if not problems:
            problems += _cycles(form)
        if problems:
            raise InvalidQuestionnaire("the Questionnaire is invalid: " + "; ".join(problems))
        return form


def _index(parent: JSONView, above: tuple[str, ...], items: dict[str, JSONView],
           lineage: dict[str, tuple[str, ...]]) -> Iterator[str]:
    for definition in children(parent):
        link_id = definition.get("linkId")
        if not isinstance(link_id, str) or not link_id:
            yield "an item has no linkId"
            continue
        if link_id in items:
            yield f"linkId '{link_id}' is used twice (que-2)"
        items[link_id] = definition
        lineage[link_id] = (*above, link_id)
        yield from _index(definition, lineage[link_id], items, lineage)


def _definition_problems(form: Form, definition: JSONView) -> Iterator[str]:
    name = label(definition)
    kind = definition.get("type")
    if kind not in ITEM_TYPES:
        yield f"item {name} has type {kind!r}, which no response can answer"
    if kind == "group" and not children(definition):
        yield f"group {name} has no items (que-1)"
    if kind == "display" and (children(definition) or definition.get("required")
                              or definition.get("repeats")):
        yield f"display item {name} has items, or is required or repeats (que-1, que-6)"
    has_options = "answerOption" in definition
    if (has_options or "answerValueSet" in definition) and kind not in {"choice", "open-choice"}:
        yield f"item {name} has answer options but is not a choice (que-5)"
    if has_options and "answerValueSet" in definition:
        yield f"item {name} has both answerOption and answerValueSet (que-4)"
    yield from _enable_when_problems(form, definition)


def _enable_when_problems(form: Form, definition: JSONView) -> Iterator[str]:
    conditions = definition.get("enableWhen", [])
    if len(conditions) > 1 and definition.get("enableBehavior") not in {"all", "any"}:
        yield f"item {label(definition)} has several enableWhen but no enableBehavior (que-12)"
    for condition in conditions:
        yield from _condition_problems(form, definition, condition)


def _condition_problems(form: Form, definition: JSONView, condition: JSONView) -> Iterator[str]:
    name, question = label(definition), condition.get("question")
    operator, answers = condition.get("operator"), value_key(condition, "answer")
    if not isinstance(question, str) or question not in form.items:
        yield f"enableWhen of {name} refers to unknown question {question!r}"
    elif definition["linkId"] in form.lineage[question]:
        yield f"enableWhen of {name} refers to the item itself or one of its own items"
    if operator not in OPERATORS or len(answers) != 1:
        yield f"enableWhen of {name} needs a known operator and exactly one answer[x]"
    elif operator == "exists" and answers != ["answerBoolean"]:
        yield f"enableWhen of {name} uses 'exists' without answerBoolean (que-7)"
    elif operator not in {"exists", "=", "!="} and answers[0].removeprefix("answer") in UNORDERED:
        yield f"enableWhen of {name} orders {answers[0]}, which has no order"


def _cycles(form: Form) -> list[str]:
    """An item whose enablement depends on itself: through enableWhen questions and, since a
    disabled item disables what it holds, through the items that hold it."""
    reaches_cycle: dict[str, bool] = {}  # True while being explored, then whether it does

    def visit(link_id: str) -> bool:
        if link_id not in reaches_cycle:
            reaches_cycle[link_id] = True
            reaches_cycle[link_id] = any(visit(d) for d in _dependencies(form, link_id))
        return reaches_cycle[link_id]

    first = next((i for i in form.items if visit(i)), None)
    return [] if first is None else [f"the enableWhen of item {label(form.items[first])} "
                                     "depends on itself"]


def _dependencies(form: Form, link_id: str) -> list[str]:
    parent = form.lineage[link_id][-2:-1]
    return [*parent, *(c["question"] for c in form.items[link_id].get("enableWhen", []))]
