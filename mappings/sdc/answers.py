"""The answers of one question item: how many, of which type, well formed, allowed by the
item's options and limits (https://hl7.org/fhir/R4/questionnaireresponse.html)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mappings.sdc import paths
from mappings.sdc.limits import limit_issues
from mappings.sdc.options import choice_kinds, option_issues
from mappings.sdc.questionnaire import label, value_key
from mappings.sdc.repeats import duplicate_indexes, max_occurs, repeats_issue
from mappings.sdc.terminology import Terminology
from mappings.sdc.values import KINDS, Value, format_problem, value_of
from vocabulary.errors import Issue
from vocabulary.fhir import JSONView


def item_kinds(definition: JSONView) -> frozenset[str]:
    """The value[x] types (as in valueCoding: Coding) that answer a question item."""
    if definition["type"] in {"choice", "open-choice"}:
        return choice_kinds(definition)
    return KINDS[definition["type"]]


def answer_issues(definition: JSONView, answers: list[Any], item_path: str,
                  terminology: Terminology) -> Iterator[Issue]:
    if len(answers) > 1 and not definition.get("repeats"):
        yield Issue(f"Item {label(definition)} does not repeat, but has {len(answers)} answers",
                    paths.answer(item_path, 1), "structure")
    elif len(answers) > max_occurs(definition):
        yield repeats_issue(definition, len(answers),
                            paths.answer(item_path, max_occurs(definition)))
    for index, answer in enumerate(answers):
        yield from _answer_issues(definition, answer, paths.answer(item_path, index),
                                  terminology)
    for index, earlier in duplicate_indexes(_well_formed(answers)):
        yield Issue(f"Answer {index} to item {label(definition)} repeats answer {earlier}",
                    paths.answer(item_path, index), "duplicate")


def _well_formed(answers: list[Any]) -> list[tuple[int, Value]]:
    values = ((i, value_of(a)) for i, a in enumerate(answers)
              if isinstance(a, Mapping) and len(value_key(a, "value")) == 1)
    return [(i, v) for i, v in values if v is not None and format_problem(v) is None]


def _answer_issues(definition: JSONView, answer: Any, path: str,
                   terminology: Terminology) -> Iterator[Issue]:
    if not isinstance(answer, Mapping):
        yield Issue(f"An answer to item {label(definition)} is not an object", path, "structure")
        return
    keys = value_key(answer, "value")
    if len(keys) != 1:
        yield _count_issue(definition, keys, path)
        return
    value = Value(keys[0].removeprefix("value"), answer[keys[0]])
    kinds = item_kinds(definition)
    problem = format_problem(value)
    if value.kind not in kinds:
        takes = " or ".join(f"value{k}" for k in sorted(kinds))
        kind = definition["type"]
        article = "an" if kind[0] in "aeiou" else "a"
        yield Issue(f"Item {label(definition)} is {article} {kind} question: it takes {takes}, "
                    f"not {keys[0]}", path, "structure")
    elif problem:
        yield Issue(f"Answer to item {label(definition)} {problem}", path, "value")
    else:
        yield from option_issues(definition, value, path, terminology)
        yield from limit_issues(definition, value, path)


def _count_issue(definition: JSONView, keys: list[str], path: str) -> Issue:
    if not keys:
        return Issue(f"An answer to item {label(definition)} has no value", path, "required")
    return Issue(f"An answer to item {label(definition)} has more than one value: "
                 f"{', '.join(keys)}", path, "structure")
