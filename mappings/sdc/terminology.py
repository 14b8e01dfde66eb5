"""The codes a Questionnaire's answerValueSets allow, from local ValueSet and CodeSystem JSONView.

Supports what OnePlan's profiles use (https://hl7.org/fhir/R4/valueset.html#compose):
compose.include/exclude with enumerated concepts, whole local CodeSystems, and other ValueSets.
Anything else (filters, CodeSystems we do not hold) raises rather than guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vocabulary.errors import TerminologyError, UnknownValueSet
from vocabulary.fhir import JSONView

Codes = frozenset[tuple[str, str]]
KINDS = ("ValueSet", "CodeSystem")


@dataclass(frozen=True)
class Terminology:
    """ValueSets and CodeSystems by canonical url, each with every version held."""

    value_sets: Mapping[str, tuple[JSONView, ...]]
    code_systems: Mapping[str, tuple[JSONView, ...]]
    displays: Mapping[tuple[str, str], str]
    _expansions: dict[str, Codes] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_resources(cls, resources: Iterable[Mapping[str, Any]]) -> Terminology:
        held: dict[str, dict[str, list[JSONView]]] = {kind: {} for kind in KINDS}
        for resource in resources:
            _hold(held, resource)
        value_sets = {url: tuple(v) for url, v in held["ValueSet"].items()}
        code_systems = {url: tuple(v) for url, v in held["CodeSystem"].items()}
        return cls(value_sets, code_systems, _displays(value_sets, code_systems))

    def expand(self, canonical: str) -> Codes:
        """Every (system, code) the ValueSet `url` or `url|version` contains."""
        if canonical not in self._expansions:
            self._expansions[canonical] = self._expand(canonical, ())
        return self._expansions[canonical]

    def display(self, system: str, code: str) -> str | None:
        return self.displays.get((system, code))

    def _expand(self, canonical: str, via: tuple[str, ...]) -> Codes:
        value_set = _resolve(self.value_sets, canonical)
        if value_set is None:
            raise UnknownValueSet(f"ValueSet {canonical} is not known to OnePlan")
        if canonical in via:
            raise TerminologyError(f"ValueSet {canonical} includes itself")
        compose = value_set.get("compose")
        if compose is None:
            return frozenset(_expansion_codes(value_set.get("expansion", {})))
        via = (*via, canonical)
        return self._parts(compose, "include", via) - self._parts(compose, "exclude", via)

    def _parts(self, compose: JSONView, kind: str, via: tuple[str, ...]) -> Codes:
        return frozenset().union(*(self._part(p, via) for p in compose.get(kind, [])))

    def _part(self, part: JSONView, via: tuple[str, ...]) -> Codes:
        """One compose.include or exclude: the intersection of its system and its ValueSets."""
        if "filter" in part:
            raise TerminologyError(f"ValueSet {via[-1]} uses compose filters, not supported")
        sets = [self._expand(c, via) for c in part.get("valueSet", [])]
        if "system" in part:
            sets.append(self._system_part(part, via[-1]))
        if not sets:
            raise TerminologyError(f"ValueSet {via[-1]} has an include with no system")
        return frozenset.intersection(*sets)

    def _system_part(self, part: JSONView, value_set: str) -> Codes:
        """The concepts listed, or every concept of the CodeSystem; listed concepts of a
        CodeSystem held in full must be in it."""
        system = part["system"]
        canonical = f"{system}|{part['version']}" if "version" in part else system
        code_system = _resolve(self.code_systems, canonical)
        whole = None if code_system is None or code_system.get("content") != "complete" else (
            frozenset((system, c["code"]) for c in _concepts(code_system.get("concept", []))))
        listed = frozenset((system, c["code"]) for c in part.get("concept", []))
        if whole is not None and not listed <= whole:
            raise TerminologyError(f"ValueSet {value_set} lists codes CodeSystem {canonical} "
                                   f"does not define: {sorted(c for _, c in listed - whole)}")
        if "concept" in part:
            return listed
        if whole is None:
            raise TerminologyError(f"ValueSet {value_set} includes all of CodeSystem "
                                   f"{canonical}, which OnePlan does not hold in full")
        return whole


def load_profiles(root: Path) -> Terminology:
    """Every `ValueSet-*.json` and `CodeSystem-*.json` under the profiles folder `root`, at any
    depth (npm's node_modules and hidden folders aside)."""
    return Terminology.from_resources(_read(path) for path in _profile_files(root))


def _read(path: Path) -> JSONView:
    try:
        resource: JSONView = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise TerminologyError(f"{path.name} is not JSONView: {exc}") from exc
    return resource


def _profile_files(root: Path) -> list[Path]:
    def wanted(path: Path) -> bool:
        folders = path.relative_to(root).parts[:-1]
        hidden = any(p.startswith(".") or p == "node_modules" for p in folders)
        return path.name.startswith(tuple(f"{k}-" for k in KINDS)) and not hidden
    return sorted(p for p in root.rglob("*.json") if wanted(p))


def _hold(held: dict[str, dict[str, list[JSONView]]], resource: JSONView) -> None:
    kind, url = resource.get("resourceType"), resource.get("url")
    if kind not in held or not isinstance(url, str):
        raise TerminologyError(f"not a ValueSet or CodeSystem with a url: {resource.get('id')}")
    versions = held[kind].setdefault(url, [])
    same = [r for r in versions if r.get("version") == resource.get("version")]
    if same and same[0] != resource:
        raise TerminologyError(f"two different {kind}s claim {url}|{resource.get('version')}")
    if not same:
        versions.append(resource)


def _resolve(held: Mapping[str, tuple[JSONView, ...]], canonical: str) -> JSONView | None:
    """`url|version` exactly; a bare url means its latest version."""
    url, _, version = canonical.partition("|")
    versions = held.get(url, ())
    if version:
        return next((r for r in versions if r.get("version") == version), None)
    return max(versions, key=lambda r: _version_key(r.get("version")), default=None)


def _version_key(version: Any) -> tuple[tuple[int, str], ...]:
    parts = str(version or "").split(".")
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def _concepts(concepts: Iterable[JSONView]) -> Iterator[JSONView]:
    """A CodeSystem's concepts, hierarchy flattened."""
    for concept in concepts:
        yield concept
        yield from _concepts(concept.get("concept", []))


def _expansion_codes(expansion: JSONView) -> Iterator[tuple[str, str]]:
    for entry in expansion.get("contains", []):
        if "code" in entry and not entry.get("abstract"):
            yield entry["system"], entry["code"]
        yield from _expansion_codes(entry)


def _displays(value_sets: Mapping[str, tuple[JSONView, ...]],
              code_systems: Mapping[str, tuple[JSONView, ...]]) -> dict[tuple[str, str], str]:
    """A code's display: its CodeSystem's first, else a ValueSet's that lists it."""
    found: dict[tuple[str, str], str] = {}
    for url, versions in code_systems.items():
        for concept in _concepts(c for v in versions for c in v.get("concept", [])):
            if "display" in concept:
                found.setdefault((url, concept["code"]), concept["display"])
    for vs in (v for versions in value_sets.values() for v in versions):
        for part in vs.get("compose", {}).get("include", []):
            for concept in part.get("concept", []):
                if "display" in concept:
                    found.setdefault((part["system"], concept["code"]), concept["display"])
    return found
