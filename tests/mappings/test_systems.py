"""Identifier and code systems are defined once, in profiles/, as valid FHIR R4 resources, and
the code tables only use codes those files define."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.namingsystem import NamingSystem

from consent.codes import ONEPLAN_BASE
from mappings import systems
from mappings.tables import CODES
from vocabulary.data import PROFILES

NAMING = sorted((PROFILES / "namingsystems").glob("NamingSystem-*.json"))
CODE_SYSTEMS = sorted((PROFILES / "codesystems").glob("CodeSystem-*.json"))
TABLES = sorted(CODES.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def key_of(path: Path) -> str:
    return path.stem.split("-", 1)[1]


@pytest.mark.parametrize("path", NAMING, ids=lambda p: p.name)
def test_naming_system_is_valid_and_named_by_its_key(path: Path) -> None:
    document = load(path)
    NamingSystem.model_validate(document)
    assert document["id"] == key_of(path)
    assert systems.identifier_system(key_of(path)) == f"{ONEPLAN_BASE}/sid/{key_of(path)}"


@pytest.mark.parametrize("path", CODE_SYSTEMS, ids=lambda p: p.name)
def test_code_system_is_valid_and_named_by_its_key(path: Path) -> None:
    document = load(path)
    CodeSystem.model_validate(document)
    assert document["count"] == len(document["concept"])
    assert systems.code_system(key_of(path)).endswith(f"/CodeSystem/{key_of(path)}")


def local_refs(node: Any) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        here = ([(node["system"], node["code"])] if str(node.get("system", "")).startswith(
            systems.LOCAL_PREFIX) else [])
        return here + [ref for value in node.values() for ref in local_refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in local_refs(item)]
    return []


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_code_tables_use_defined_local_codes(path: Path) -> None:
    refs = local_refs(load(path))
    undefined = [(system, code) for system, code in refs if code not in systems.local_displays(
        system.removeprefix(systems.LOCAL_PREFIX))]
    assert undefined == []


def test_unknown_system_key_is_an_error() -> None:
    with pytest.raises(KeyError, match="no NamingSystem 'nope'"):
        systems.identifier_system("nope")
