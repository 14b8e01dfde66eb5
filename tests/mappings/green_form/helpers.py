"""Shared helpers of the Green Form tests: fixtures by name, and walking the Bundles."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator

from gateway.devtools.green_form_golden import FIXTURES, Case, Server, cases
from mappings.green_form import extract
from vocabulary.fhir import JSON

CASES = cases()
VALID = [c for c in CASES if c.valid]
INVALID = [c for c in CASES if not c.valid]
REFERRALS = [c for c in VALID if not c.is_feedback]
FEEDBACK = [c for c in VALID if c.is_feedback]


def case_id(case: Case) -> str:
    return case.name


def form(name: str) -> JSON:
    """A valid fixture's response, as a fresh copy to change."""
    return Case(FIXTURES / "valid" / f"{name}.json").raw()


def resources(bundle: JSON, resource_type: str | None = None) -> list[JSON]:
    return [e["resource"] for e in bundle["entry"]
            if resource_type is None or e["resource"]["resourceType"] == resource_type]


def one(bundle: JSON, resource_type: str) -> JSON:
    [found] = resources(bundle, resource_type)
    return found


def item(node: JSON, link_id: str) -> JSON:
    """The first item with `link_id` anywhere under `node` (to change a copy of a form)."""
    found = next(_items(node, lambda i: i.get("linkId") == link_id), None)
    assert found is not None, link_id
    return found


def _items(node: JSON, keep: Callable[[JSON], bool]) -> Iterator[JSON]:
    for child in node.get("item", ()):
        if keep(child):
            yield child
        yield from _items(child, keep)


def without(response: JSON, link_id: str) -> JSON:
    """A copy of `response` without the item `link_id`."""
    changed = copy.deepcopy(response)
    for parent in [changed, *_items(changed, lambda i: True)]:
        parent_items = parent.get("item", [])
        if any(i.get("linkId") == link_id for i in parent_items):
            parent["item"] = [i for i in parent_items if i.get("linkId") != link_id]
    return changed


def answer(response: JSON, link_id: str, *values: JSON) -> JSON:
    """A copy of `response` with the item `link_id` answered with `values` (answer objects)."""
    changed = copy.deepcopy(response)
    item(changed, link_id)["answer"] = list(values)
    return changed


def stored(name: str) -> tuple[Server, dict[str, str]]:
    """The server after the fixture referral `name` was written, and where each entry went."""
    server = Server.loaded()
    return server, server.transact(extract(form(name)))


def labels(resource: JSON) -> list[str]:
    return [c["code"] for c in resource["meta"]["security"]]
