"""The Rivera family as `make run` shows them: their program records and Mateo's Green Form,
kept and queued through the same use cases as intake, so the worker writes one golden Patient
and one shared plan for each of Mateo and Sofia."""

from __future__ import annotations

import json
from typing import Any

from gateway.store import SYSTEM
from gateway.usecases.intake import accept_record
from gateway.wiring import Parts
from vocabulary.data import package_dir

FIXTURES = package_dir("fixtures")
RECORDS = (("home", "mateo-rivera"), ("wrapct", "mateo-rivera"), ("cyshcn", "mateo-rivera"),
           ("home", "sofia-rivera"), ("birth-to-three", "sofia-initial"),
           ("cyshcn", "sofia-rivera"), ("help-me-grow", "sofia-rivera"))
FORMS = ("mateo-rivera-anxiety",)


def _read(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


def keep_family(parts: Parts) -> list[int]:
    """Keep and queue the family's records (again: unchanged records change nothing in HAPI);
    the outbox entries' ids."""
    entries = []
    for program, name in RECORDS:
        raw = _read("records", program, "valid", f"{name}.json")
        entries += accept_record(parts.store, SYSTEM, program, raw, parts.children)
    for name in FORMS:
        entries += parts.submissions().accept(SYSTEM, _read("green-form", "valid",
                                                            f"{name}.json"))
    return entries
