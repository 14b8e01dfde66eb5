"""Loading the policy: its files are checked, and its version follows its content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from consent.rules import load_policy
from tests.consent.cases import POLICY_DIR

RULE = """
id: extra
title: Extra
citation: none
version: "2026.11"
rules:
  - id: {rule_id}
    effect: {effect}
    reason: test
{more}
"""


def copy_policy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, folder)
    return folder


def add_file(folder: Path, rule_id: str, effect: str, more: str = "") -> None:
    text = RULE.format(rule_id=rule_id, effect=effect, more=more)
    (folder / "extra.yaml").write_text(text, encoding="utf-8")


def test_the_default_policy_has_one_file_per_legal_source() -> None:
    policy = load_policy()
    assert {f.id for f in policy.files} == {
        "hipaa-tpo", "42cfr-part2", "cgs-19a-14c", "cgs-17a-688",
        "ferpa-idea", "psychotherapy-notes", "break-glass", "cgs-52-146",
        "cgs-minor-confidential", "purpose-of-use", "cgs-19a-583",
    }  # fmt: skip
    assert policy.version.startswith("2026.10+sha256.")


def test_a_loaded_copy_has_the_same_version_and_any_edit_changes_it(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    assert load_policy(folder).version == load_policy().version
    add_file(folder, "extra.rule", "permit")
    edited = load_policy(folder)
    assert edited.version != load_policy().version
    assert edited.version.startswith("2026.11+")


def test_test_files_are_not_policy(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    assert len(load_policy(folder).files) == len(list(folder.glob("*.test.yaml")))


def test_rule_ids_must_be_qualified_by_their_file(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    add_file(folder, "elsewhere.rule", "permit")
    with pytest.raises(ValidationError, match=r"must start with extra\."):
        load_policy(folder)


def test_restrict_needs_a_requirement_and_only_restrict_has_one(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    add_file(folder, "extra.rule", "restrict")
    with pytest.raises(ValidationError, match="requires"):
        load_policy(folder)
    add_file(folder, "extra.rule", "permit", "    requires: {rules: [hipaa-tpo.custodian]}")
    with pytest.raises(ValidationError, match="requires"):
        load_policy(folder)


def test_a_requirement_must_name_known_rules(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    add_file(folder, "extra.rule", "restrict", "    requires: {rules: [no-such.rule]}")
    with pytest.raises(ValueError, match=r"unknown rules \['no-such.rule'\]"):
        load_policy(folder)


def test_unknown_fields_are_refused(tmp_path: Path) -> None:
    folder = copy_policy(tmp_path)
    add_file(folder, "extra.rule", "permit", "    when: {purpose_of_use: [TREAT]}")
    with pytest.raises(ValidationError, match="purpose_of_use"):
        load_policy(folder)


def readme_rule_ids() -> set[str]:
    """The rule ids in the README table's first column; `.name` after a full id is its sibling."""
    readme = (POLICY_DIR / "README.md").read_text(encoding="utf-8")
    found = set()
    for line in readme.splitlines():
        if not line.startswith("| `"):
            continue
        names = [n.strip(" `") for n in line.split("|")[1].split(",")]
        policy = names[0].split(".", 1)[0]
        found |= {n if not n.startswith(".") else policy + n for n in names}
    return found


def test_the_policy_readme_has_a_row_for_every_rule() -> None:
    assert readme_rule_ids() == {rule.id for rule in load_policy().rules}
