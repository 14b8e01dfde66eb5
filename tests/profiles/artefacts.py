"""The SUSHI-generated Green Form artefacts in `profiles/fsh-generated`, and the FHIR core
package they draw on, read as plain JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from vocabulary.data import PROFILES

GENERATED = PROFILES / "fsh-generated" / "resources"
SUSHI = PROFILES / "node_modules" / ".bin" / "sushi"
SHARED_PACKAGES = Path(os.environ.get(
    "FHIR_PACKAGES_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "fhir-packages"))
CORE_PACKAGE = Path.home() / ".fhir" / "packages" / "hl7.fhir.r4.core#4.0.1" / "package"
INSTALL_HINT = ("Run `make sushi` (npm ci in profiles/, then profiles/setup-packages.sh) "
                "or `make profiles`, which also rebuilds profiles/fsh-generated.")
QUESTIONNAIRE = "Questionnaire-green-form.json"


def read(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def generated_paths() -> list[Path]:
    return sorted(GENERATED.glob("*.json"))


def generated(resource_type: str) -> list[dict[str, Any]]:
    return [read(p) for p in sorted(GENERATED.glob(f"{resource_type}-*.json"))]


def questionnaire() -> dict[str, Any]:
    return read(GENERATED / QUESTIONNAIRE)


def items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item below `node`, in document order (parent before its children)."""
    for item in node.get("item", []):
        yield item
        yield from items(item)


def concepts(codesystem: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for concept in codesystem.get("concept", []):
        yield concept
        yield from concepts(concept)


def displays(codesystem: dict[str, Any]) -> dict[str, str | None]:
    return {c["code"]: c.get("display") for c in concepts(codesystem)}


@cache
def core_codesystems() -> dict[str, dict[str, str | None]]:
    """code -> display of every complete CodeSystem in the FHIR R4 core package, by url
    (the package also holds content-less stubs, e.g. for SNOMED CT)."""
    require_core_package()
    if not CORE_PACKAGE.is_dir():
        pytest.fail(f"The FHIR R4 core package is not in {CORE_PACKAGE}. {INSTALL_HINT}",
                    pytrace=False)
    return {cs["url"]: displays(cs) for cs in map(read, CORE_PACKAGE.glob("CodeSystem-*.json"))
            if cs.get("content") == "complete"}


def local_codesystems() -> dict[str, dict[str, str | None]]:
    return {cs["url"]: displays(cs) for cs in generated("CodeSystem")}


def require_core_package() -> None:
    """Skip when the FHIR packages are nowhere on this machine: the registry is unreachable, and
    the only sanctioned source is ../shared/fhir-packages beside the repository (or
    FHIR_PACKAGES_DIR). Where they exist but were not linked, the tests fail instead."""
    if CORE_PACKAGE.is_dir() or SHARED_PACKAGES.is_dir():
        return
    pytest.skip(f"no FHIR packages at {SHARED_PACKAGES} or {CORE_PACKAGE}: SUSHI cannot run")
