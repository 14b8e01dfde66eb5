"""OnePlan's own codes are defined once, in profiles/, and cover everything the code emits."""

from __future__ import annotations

import json
from pathlib import Path

from consent import codes
from consent.labels import policy_titles
from vocabulary import errors
from vocabulary.outcome import STABLE_CODES

ROOT = Path(__file__).resolve().parents[2]


def concepts(name: str) -> tuple[str, set[str]]:
    system = json.loads((ROOT / "profiles" / "codesystems" / f"CodeSystem-{name}.json").read_text())
    return system["url"], {c["code"] for c in system["concept"]}


def error_classes(base: type[errors.OnePlanError]) -> list[type[errors.OnePlanError]]:
    return [base, *(c for sub in base.__subclasses__() for c in error_classes(sub))]


def test_every_error_code_is_in_the_error_code_system() -> None:
    url, codes = concepts("oneplan-error")
    assert url == STABLE_CODES
    assert {c.stable_code for c in error_classes(errors.OnePlanError)} <= codes


def test_every_policy_file_has_a_policy_code() -> None:
    files = {p.name.removesuffix(".yaml") for p in (ROOT / "consent" / "policy").glob("*.yaml")
             if not p.name.endswith(".test.yaml")}
    assert files == set(policy_titles())
    assert files == concepts("oneplan-policy")[1]


def test_local_security_label_displays_match_their_code_system() -> None:
    system = json.loads((ROOT / "profiles" / "codesystems"
                         / "CodeSystem-oneplan-security.json").read_text())
    assert system["url"] == codes.ONEPLAN_SECURITY
    for concept in system["concept"]:
        assert codes.DISPLAYS[concept["code"]] == concept["display"]
