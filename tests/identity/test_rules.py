"""The case file beside the rules (identity/rules_test.yaml): every case gives its verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from identity.demographics import Demographics
from identity.rules import RULES, Rules, load
from identity.score import score
from mappings.systems import identifier_system

CASES = yaml.safe_load(RULES.with_name("rules_test.yaml").read_text(encoding="utf-8"))


def side(name: str, overrides: dict[str, Any]) -> Demographics:
    fields = {**CASES["base"], **overrides}
    ids = tuple((identifier_system(key), value) for key, value in fields.pop("identifiers"))
    return Demographics(source=f"Patient/{name}", identifiers=ids, **fields)


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load()


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: str(c["name"]))
def test_case(case: dict[str, Any], rules: Rules) -> None:
    result = score(side("left", case["left"]), side("right", case["right"]), rules)
    explained = f"{result.verdict} {result.total} {result.reason}"
    if "verdict" in case:
        assert result.verdict == case["verdict"], explained
    if "not" in case:
        assert result.verdict != case["not"], explained
    assert result.grade == case.get("grade", result.grade)
    assert case.get("reason", "") in result.reason, explained


def test_scores_are_symmetric(rules: Rules) -> None:
    for case in CASES["cases"]:
        a, b = side("left", case["left"]), side("right", case["right"])
        assert score(a, b, rules).verdict == score(b, a, rules).verdict, case["name"]


def test_version_and_packaged_file(rules: Rules) -> None:
    assert rules.version
    assert load(Path(RULES)) == rules
    assert rules.identifier_systems[0] == identifier_system("husky-member-id")
