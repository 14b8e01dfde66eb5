"""Questionnaire item constraints: the questionnaire-constraint extension
(https://hl7.org/fhir/R4/extension-questionnaire-constraint.html), a FHIRPath invariant evaluated
on the response item that answers the Questionnaire item carrying it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from fhirpathpy import compile as compile_path
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models

from mappings.sdc.questionnaire import extension_values, label
from vocabulary.errors import InvalidQuestionnaire, Issue, Severity
from vocabulary.fhir import JSONView

CONSTRAINT = "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint"
ITEM_TYPE = "QuestionnaireResponse.item"


def constraint_issues(definition: JSONView, node: JSONView, response: JSONView,
                      path: str) -> Iterator[Issue]:
    """A failed constraint: its expression gives anything but a single true."""
    for extension in extension_values(definition, CONSTRAINT):
        parts = _parts(definition, extension)
        result, error = _evaluate(parts["expression"], node, response)
        if result != [True]:
            human = parts.get("human") or parts["expression"]
            note = f"; it could not be evaluated: {error}" if error else ""
            severity: Severity = "warning" if parts.get("severity") == "warning" else "error"
            yield Issue(f"Item {label(definition)}: {human} ({parts.get('key', 'constraint')})"
                        f"{note}", path, "invariant", severity)


def _parts(definition: JSONView, extension: JSONView) -> dict[str, Any]:
    parts = {e.get("url"): next((v for k, v in e.items() if k.startswith("value")), None)
             for e in extension.get("extension", [])}
    expression = parts.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        raise InvalidQuestionnaire(f"item {label(definition)} has a constraint with no "
                                   "expression")
    return parts


_node: Callable[[Any, str], Any] = ResourceNode.create_node


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> Callable[[Any, Any], Any]:
    """Each expression is parsed once per process, whichever form it is evaluated on."""
    return compile_path(expression, models["r4"])


def _evaluate(expression: str, node: JSONView, response: JSONView) -> tuple[Any, str | None]:
    """fhirpathpy reads its inputs without changing them (tests/mappings/sdc checks that a
    validated response is unchanged), so they are not copied."""
    context = {"resource": response, "rootResource": response}
    try:
        target = _node(node, ITEM_TYPE)
        return _compiled(expression)(target, context), None
    except Exception as exc:  # fhirpathpy raises bare Exceptions, for syntax and type errors
        return None, str(exc)
