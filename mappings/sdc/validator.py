"""Validate a QuestionnaireResponse against its Questionnaire, as strictly as the HL7 validator
(https://hl7.org/fhir/R4/questionnaireresponse.html#link): every problem in one pass."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mappings.sdc import paths
from mappings.sdc.answers import answer_issues
from mappings.sdc.constraints import constraint_issues
from mappings.sdc.enablement import Chain, Enablement, Frame, nested
from mappings.sdc.questionnaire import Form, children, label
from mappings.sdc.repeats import max_occurs, repeats_issue
from mappings.sdc.shape import shape_issues
from mappings.sdc.terminology import Terminology
from vocabulary.errors import Issue
from vocabulary.fhir import JSONView

STATUSES = frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
DRAFTS = frozenset({"in-progress", "stopped"})


def validate_response(questionnaire: Mapping[str, Any], response: Mapping[str, Any],
                      terminology: Terminology, shape: list[Issue] | None = None
                      ) -> list[Issue]:
    """Every problem with `response` as an answer to `questionnaire`; empty when it is valid.

    Drafts (status in-progress or stopped) need not be complete: their missing required items
    and failed constraints are not problems. Raises InvalidQuestionnaire when the Questionnaire
    itself is broken, and TerminologyError when an answerValueSet cannot be expanded. Raises
    TooComplex when the response is deeper or larger than `mappings.sdc.shape` allows; a caller
    that ran `shape_issues` first passes what it found as `shape`.
    """
    form = Form.of(questionnaire)
    shape = shape_issues(response) if shape is None else shape
    walk = Walk(form, response, terminology, Enablement(form),
                enforce=response.get("status") not in DRAFTS)
    root = (Frame(response, questionnaire),)
    return [*shape, *header_issues(form, response), *walk.level(root, response, paths.ROOT)]


def header_issues(form: Form, response: JSONView) -> Iterator[Issue]:
    if response.get("resourceType") != "QuestionnaireResponse":
        yield Issue("The resource is not a QuestionnaireResponse", paths.ROOT, "structure")
    yield from _questionnaire_issues(form.resource, response.get("questionnaire"))
    status, where = response.get("status"), paths.field(paths.ROOT, "status")
    if status is None:
        yield Issue("The QuestionnaireResponse has no status", where, "required")
    elif status not in STATUSES:
        yield Issue(f"Status {status!r} is not one of {', '.join(sorted(STATUSES))}", where,
                    "code-invalid")


def _questionnaire_issues(questionnaire: JSONView, named: Any) -> Iterator[Issue]:
    where, url = paths.field(paths.ROOT, "questionnaire"), questionnaire.get("url")
    if not isinstance(named, str) or not named:
        yield Issue("The QuestionnaireResponse does not name its Questionnaire", where,
                    "required")
        return
    named_url, _, version = named.partition("|")
    if named_url != url:
        yield Issue(f"This is an answer to {named_url}; only answers to {url} are accepted "
                    "here", where, "not-supported")
    elif version and version != questionnaire.get("version"):
        yield Issue(f"This answers version {version} of {url}; only version "
                    f"{questionnaire.get('version')} is accepted here", where, "not-supported")


@dataclass(frozen=True)
class Walk:
    """One pass over a response. `enforce`: required items and constraints count."""

    form: Form
    response: JSONView
    terminology: Terminology
    enablement: Enablement
    enforce: bool
    known: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)

    def level(self, chain: Chain, holder: JSONView, path: str) -> Iterator[Issue]:
        """The items under `holder` (the response, a group item or an answer), answering the
        child items of the last definition in `chain`."""
        definitions = children(chain[-1].definition)
        nodes = holder.get("item", [])
        if not isinstance(nodes, list):
            yield Issue("item must be a list", paths.field(path, "item"), "structure")
            return
        grouped: dict[str, list[JSONView]] = {d["linkId"]: [] for d in definitions}
        yield from self._placement(definitions, nodes, grouped, path)
        for definition in definitions:
            yield from self.item(chain, definition, grouped[definition["linkId"]], path)

    def _placement(self, definitions: list[JSONView], nodes: list[Any],
                   grouped: dict[str, list[JSONView]], path: str) -> Iterator[Issue]:
        """Items that are not objects, lack a linkId, belong elsewhere or come out of order;
        the rest are sorted into `grouped` by linkId."""
        order = {d["linkId"]: i for i, d in enumerate(definitions)}
        counts = Counter(_link_id(n) for n in nodes)
        latest = -1
        for index, node in enumerate(nodes):
            link_id = _link_id(node)
            if link_id is None or link_id not in order:
                yield self._stray(node, link_id, paths.positional_item(path, index), path)
                continue
            definition = definitions[order[link_id]]
            if order[link_id] < latest:
                at = len(grouped[link_id]) if _indexed(definition, counts[link_id]) else None
                yield _out_of_order(definition, definitions[latest],
                                    paths.item(path, link_id, at))
            latest = max(latest, order[link_id])
            grouped[link_id].append(node)

    def _stray(self, node: Any, link_id: str | None, position: str, path: str) -> Issue:
        """An item that answers nothing at this place."""
        if not isinstance(node, Mapping):
            return Issue("An item is not an object", position, "structure")
        if link_id is None:
            return Issue("An item has no linkId", position, "structure")
        where = paths.item(path, link_id)
        if link_id not in self.form.items:
            return Issue(f"Item '{link_id}' is not in the Questionnaire", where, "structure")
        lineage = self.form.lineage[link_id]
        home = (f"item {label(self.form.items[lineage[-2]])}" if len(lineage) > 1
                else "the top level")
        return Issue(f"Item {label(self.form.items[link_id])} is in the wrong place: it belongs "
                     f"under {home}", where, "structure")

    def item(self, chain: Chain, definition: JSONView, found: list[JSONView],
             path: str) -> Iterator[Issue]:
        """All response items that answer one Questionnaire item at one place."""
        link_id = definition["linkId"]
        if not found:
            yield from self._missing(chain, definition, path)
        if len(found) > 1 and not _repeats_as_items(definition):
            yield _duplicate(definition, len(found), paths.item(path, link_id, 1))
        elif len(found) > max_occurs(definition):
            yield repeats_issue(definition, len(found),
                                paths.item(path, link_id, max_occurs(definition)))
        for index, node in enumerate(found):
            at = index if _indexed(definition, len(found)) else None
            # A duplicate of an item that does not repeat is already wrong: its constraints
            # are not evaluated again.
            first = index == 0 or _repeats_as_items(definition)
            yield from self._occurrence(chain, definition, node, paths.item(path, link_id, at),
                                        first)

    def _missing(self, chain: Chain, definition: JSONView, path: str) -> Iterator[Issue]:
        if self.enforce and definition.get("required") and self.enablement.enabled(
                chain, definition):
            yield _required(definition, paths.item(path, definition["linkId"]))

    def _occurrence(self, chain: Chain, definition: JSONView, node: JSONView, path: str,
                    first: bool = True) -> Iterator[Issue]:
        if not self.enablement.enabled(chain, definition, node):
            if self.answered(node):
                yield Issue(f"Item {label(definition)} is answered, but it is not enabled: its "
                            "enableWhen conditions are not met", path, "business-rule")
            return
        own = (*chain, Frame(node, definition))
        kind = definition["type"]
        if kind == "group":
            yield from self._group(own, node, path)
        elif kind == "display":
            yield from _display(definition, node, path)
        else:
            yield from self._question(own, node, path)
        if self.enforce and first and self.answered(node):
            yield from constraint_issues(definition, node, self.response, path)

    def _group(self, own: Chain, node: JSONView, path: str) -> Iterator[Issue]:
        definition = own[-1].definition
        if "answer" in node:
            yield Issue(f"Item {label(definition)} is a group: it has items, not answers", path,
                        "structure")
        if self.answered(node):
            yield from self.level(own, node, path)
            return
        if self.enforce and definition.get("required"):
            yield _required(definition, path, ": answer at least one of its questions")
        # An unanswered group counts as absent: what is inside is not required.
        yield from replace(self, enforce=False).level(own, node, path)

    def _question(self, own: Chain, node: JSONView, path: str) -> Iterator[Issue]:
        definition = own[-1].definition
        answers = node.get("answer", [])
        if "item" in node:
            yield Issue(f"Item {label(definition)} is a question: its nested items belong under "
                        "answer.item, not item", paths.field(path, "item"), "structure")
        if not isinstance(answers, list):
            yield Issue("answer must be a list", paths.field(path, "answer"), "structure")
            return
        if not answers and self.enforce and definition.get("required"):
            yield _required(definition, path)
        yield from answer_issues(definition, answers, path, self.terminology)
        for index, answer in enumerate(answers):
            if isinstance(answer, Mapping):
                yield from self.level(own, answer, paths.answer(path, index))


    def answered(self, node: JSONView) -> bool:
        """Whether a response item, or any item inside it, has an answer (worked out once per
        item; `shape` bounds how deep this goes)."""
        if id(node) not in self.known:
            self.known[id(node)] = bool(node.get("answer")) or any(
                self.answered(n) for n in nested(node))
        return self.known[id(node)]


def _display(definition: JSONView, node: JSONView, path: str) -> Iterator[Issue]:
    if "answer" in node or "item" in node:
        yield Issue(f"Item {label(definition)} is display text: it cannot have answers or "
                    "items", path, "structure")


def _repeats_as_items(definition: JSONView) -> bool:
    """Only a repeating group occurs more than once; a repeating question has many answers."""
    return definition["type"] == "group" and bool(definition.get("repeats"))


def _indexed(definition: JSONView, count: int) -> bool:
    return count > 1 or _repeats_as_items(definition)


def _required(definition: JSONView, path: str, how: str = "") -> Issue:
    return Issue(f"Item {label(definition)} is required{how}", path, "required")


def _duplicate(definition: JSONView, count: int, path: str) -> Issue:
    if definition["type"] == "group":
        return Issue(f"Item {label(definition)} does not repeat, but occurs {count} times", path,
                     "structure")
    return Issue(f"Item {label(definition)} occurs {count} times; a question's answers belong "
                 "in one item's answer list", path, "structure")


def _out_of_order(definition: JSONView, later: JSONView, path: str) -> Issue:
    return Issue(f"Item {label(definition)} is out of order: the Questionnaire puts it before "
                 f"item {label(later)}", path, "structure")


def _link_id(node: Any) -> str | None:
    link_id = node.get("linkId") if isinstance(node, Mapping) else None
    return link_id if isinstance(link_id, str) and link_id else None
