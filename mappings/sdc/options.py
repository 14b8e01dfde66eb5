"""Whether a choice answer is allowed: one of the item's answerOptions, or a code of its
answerValueSet (https://hl7.org/fhir/R4/questionnaire-definitions.html#Questionnaire.item.answerOption)."""

from __future__ import annotations

from collections.abc import Iterator

from mappings.sdc.questionnaire import label
from mappings.sdc.terminology import Terminology
from mappings.sdc.values import Value, equal, value_of
from vocabulary.errors import Issue
from vocabulary.fhir import JSONView


def choice_kinds(definition: JSONView) -> frozenset[str]:
    """The value[x] types a choice or open-choice item takes."""
    options = (value_of(o) for o in definition.get("answerOption", []))
    kinds = frozenset(v.kind for v in options if v is not None) or frozenset({"Coding"})
    return kinds | {"String"} if definition["type"] == "open-choice" else kinds


def option_issues(definition: JSONView, value: Value, path: str,
                  terminology: Terminology) -> Iterator[Issue]:
    if definition["type"] == "open-choice" and value.kind == "String":
        return  # free text is what open-choice adds to the options
    if value.kind == "Coding":
        yield from _coding_issues(definition, value.data, path, terminology)
    elif "answerOption" in definition and _option(definition, value) is None:
        yield _issue(f"Answer {value.data!r} to item {label(definition)} is not one of its "
                     "answer options", path)


def _coding_issues(definition: JSONView, coding: JSONView, path: str,
                   terminology: Terminology) -> Iterator[Issue]:
    system, code = coding.get("system"), coding.get("code")
    if not system or not code:
        missing = "system" if not system else "code"
        yield _issue(f"Answer to item {label(definition)} is a Coding with no {missing}", path)
    elif "answerOption" in definition:
        yield from _option_issues(definition, coding, path)
    elif "answerValueSet" in definition:
        yield from _value_set_issues(definition, coding, path, terminology)


def _option_issues(definition: JSONView, coding: JSONView, path: str) -> Iterator[Issue]:
    option = _option(definition, Value("Coding", coding))
    if option is None:
        yield _issue(f"Answer {_code(coding)} to item {label(definition)} is not one of its "
                     "answer options", path)
    else:
        yield from _display_issues(definition, coding, option.data.get("display"), path)


def _value_set_issues(definition: JSONView, coding: JSONView, path: str,
                      terminology: Terminology) -> Iterator[Issue]:
    value_set = definition["answerValueSet"]
    if (coding["system"], coding["code"]) not in terminology.expand(value_set):
        yield _issue(f"Answer {_code(coding)} to item {label(definition)} is not in ValueSet "
                     f"{value_set}", path)
    else:
        expected = terminology.display(coding["system"], coding["code"])
        yield from _display_issues(definition, coding, expected, path)


def _display_issues(definition: JSONView, coding: JSONView, expected: str | None,
                    path: str) -> Iterator[Issue]:
    given = coding.get("display")
    if given is not None and expected is not None and given != expected:
        yield _issue(f"Answer {_code(coding)} to item {label(definition)} has display "
                     f"{given!r}; the code's display is {expected!r}", path)


def _option(definition: JSONView, value: Value) -> Value | None:
    options = (value_of(o) for o in definition.get("answerOption", []))
    return next((o for o in options if o is not None and equal(value, o)), None)


def _code(coding: JSONView) -> str:
    return f"{coding['system']}|{coding['code']}"


def _issue(diagnostics: str, path: str) -> Issue:
    return Issue(diagnostics, path, "code-invalid")
