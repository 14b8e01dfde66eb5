"""Limits an item sets on its answers: maxLength, and the core extensions minLength, regex,
minValue, maxValue and questionnaire-referenceResource
(https://hl7.org/fhir/R4/extensibility-registry.html)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mappings.sdc.questionnaire import extension_values, label
from mappings.sdc.values import NUMERIC, TEXTUAL, Value, compare, value_of
from vocabulary.errors import InvalidQuestionnaire, Issue
from vocabulary.fhir import JSONView

EXT = "http://hl7.org/fhir/StructureDefinition/"
REGEX, MIN_LENGTH = EXT + "regex", EXT + "minLength"
MIN_VALUE, MAX_VALUE = EXT + "minValue", EXT + "maxValue"
REFERENCE_RESOURCE = EXT + "questionnaire-referenceResource"
# [type]/[id] at the end of a relative or absolute reference, before any _history/[vid]
REFERENCE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}(?:/_history/[^/]+)?\Z")


def limit_issues(definition: JSONView, value: Value, path: str) -> Iterator[Issue]:
    yield from _length_issues(definition, value, path)
    yield from _regex_issues(definition, value, path)
    yield from _bound_issues(definition, value, path)
    yield from _reference_issues(definition, value, path)


def _length_issues(definition: JSONView, value: Value, path: str) -> Iterator[Issue]:
    if value.kind not in {"String", "Uri"}:
        return
    longest = definition.get("maxLength")
    shortest = next((e.get("valueInteger") for e in extension_values(definition, MIN_LENGTH)),
                    None)
    if isinstance(longest, int) and len(value.data) > longest:
        yield _issue(definition, f"is {len(value.data)} characters long; at most {longest} "
                     "are allowed", path)
    if isinstance(shortest, int) and len(value.data) < shortest:
        yield _issue(definition, f"is {len(value.data)} characters long; at least {shortest} "
                     "are needed", path)


def _regex_issues(definition: JSONView, value: Value, path: str) -> Iterator[Issue]:
    if value.kind not in TEXTUAL:
        return
    for extension in extension_values(definition, REGEX):
        pattern = extension.get("valueString", "")
        try:
            matched = re.fullmatch(pattern, value.data)
        except re.error as exc:
            raise InvalidQuestionnaire(
                f"item {label(definition)} has an invalid regex {pattern!r}: {exc}") from exc
        if matched is None:
            yield _issue(definition, f"{value.data!r} does not match the pattern {pattern}",
                         path)


def _bound_issues(definition: JSONView, value: Value, path: str) -> Iterator[Issue]:
    for url, name, wrong in ((MIN_VALUE, "minimum", -1), (MAX_VALUE, "maximum", 1)):
        for extension in extension_values(definition, url):
            bound = value_of(extension)
            if bound is None or not _comparable(bound, value):
                raise InvalidQuestionnaire(
                    f"item {label(definition)} has a {name} that its answers cannot meet")
            if compare(value, bound) == wrong:
                yield _issue(definition, f"{value.data!r} is beyond the {name} {bound.data!r}",
                             path)


def _comparable(bound: Value, value: Value) -> bool:
    return bound.kind == value.kind or {bound.kind, value.kind} <= NUMERIC


def _reference_issues(definition: JSONView, value: Value, path: str) -> Iterator[Issue]:
    allowed = [e.get("valueCode") for e in extension_values(definition, REFERENCE_RESOURCE)]
    if value.kind != "Reference" or not allowed:
        return
    found = _referenced_type(value.data)
    if found not in allowed:
        wanted = " or ".join(str(a) for a in allowed)
        got = f"refers to a {found}" if found else "has no [type]/[id] reference"
        yield _issue(definition, f"{got}; it must refer to a {wanted}", path)


def _referenced_type(reference: JSONView) -> str | None:
    """The resource type a Reference names, from `reference` and `type`; None if they
    disagree or say nothing."""
    text = reference.get("reference")
    match = REFERENCE.search(text) if isinstance(text, str) else None
    if match is None:
        return None
    declared = reference.get("type")
    return match.group(1) if declared in {None, match.group(1)} else None


def _issue(definition: JSONView, problem: str, path: str) -> Issue:
    return Issue(f"Answer to item {label(definition)} {problem}", path, "value")
