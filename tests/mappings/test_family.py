"""One family across programs: the same child in H.O.M.E. and WrapCT, and the younger sibling
in Birth to Three and Help Me Grow. The shared-plan merge relies on these identifiers."""

from __future__ import annotations

import json
from typing import Any

from gateway.devtools.golden import RECORDS
from mappings.registry import map_record
from mappings.systems import identifier_system

FIXTURES = {
    "mateo-home": ("home", "mateo-rivera"),
    "mateo-wrapct": ("wrapct", "mateo-rivera"),
    "sofia-b23": ("birth-to-three", "sofia-initial"),
    "sofia-hmg": ("help-me-grow", "sofia-rivera"),
}


def husky_id(program: str, name: str) -> str:
    raw: dict[str, Any] = json.loads(
        (RECORDS / program / "valid" / f"{name}.json").read_text("utf-8"))
    patient = next(r for r in map_record(program, raw) if r["resourceType"] == "Patient")
    system = identifier_system("husky-member-id")
    return str(next(i["value"] for i in patient["identifier"] if i["system"] == system))


def test_same_child_has_one_husky_id_across_programs() -> None:
    ids = {key: husky_id(*where) for key, where in FIXTURES.items()}
    assert ids["mateo-home"] == ids["mateo-wrapct"]
    assert ids["sofia-b23"] == ids["sofia-hmg"]
    assert ids["mateo-home"] != ids["sofia-b23"]
