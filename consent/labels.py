"""Security labelling: `label(resource, context)` adds `meta.security` from data rules.

The rules live in `labels.yaml`. Labels follow https://hl7.org/fhir/R4/security-labels.html and
the DS4P IG (http://hl7.org/fhir/uv/security-label-ds4p/): exactly one confidentiality code,
plus sensitivity and law codes, each with a `sec-label-basis` extension naming its policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar, overload

import yaml
from pydantic import BaseModel, ConfigDict

from consent import codes
from vocabulary.data import PROFILES

MinorConsent = Literal["mental-health", "substance-use"]
RANK = {code: rank for rank, code in enumerate(codes.CONFIDENTIALITY_CODES)}
POLICY_CODE_SYSTEM = (PROFILES / "codesystems"
                      / "CodeSystem-oneplan-policy.json")


@dataclass(frozen=True)
class LabelContext:
    """What the resource itself cannot say: who consented to the care, and which program."""

    minor_consent: MinorConsent | None = None
    source: str | None = None  # program/organization key when meta.source is absent
    parent_consented: bool = False  # a parent or guardian consented to this care for the minor

    @classmethod
    def of_labelled(cls, resource: Mapping[str, Any],
                    rules: LabelRules | None = None) -> LabelContext:
        """The context a labelled resource was labelled in, as far as its labels tell: a label
        only a minor-consent rule gives, with that rule's basis, names the minor's consent.
        What is written about the resource (a referral's feedback) is labelled in it."""
        meta = resource.get("meta", {})
        found = {(c.get("code"), _basis_code(c)) for c in meta.get("security", ())}
        evidence = _minor_consent_evidence(rules or default_label_rules())
        minor = next((kind for pair, kind in evidence.items() if pair in found), None)
        parent = any(code == codes.PARENT_CONSENTED for code, _ in found)
        return cls(minor_consent=minor, source=codes.source_key(meta.get("source")),
                   parent_consented=parent)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CodeRef(_Model):
    system: str
    code: str


class Match(_Model):
    icd10: tuple[str, ...] = ()
    snomed: tuple[str, ...] = ()
    codes: tuple[CodeRef, ...] = ()
    source: tuple[str, ...] = ()
    resource_type: tuple[str, ...] = ()
    not_resource_type: tuple[str, ...] = ()
    minor_consent: tuple[MinorConsent, ...] = ()
    parent_consented: bool | None = None


class LabelRule(_Model):
    id: str
    basis: str
    match: Match
    labels: tuple[str, ...] = ()
    confidentiality: str | None = None


class DefaultLabel(_Model):
    confidentiality: str
    basis: str


class LabelRules(_Model):
    version: str
    default: DefaultLabel
    rules: tuple[LabelRule, ...]


@cache
def policy_titles() -> dict[str, str]:
    """Each policy's title, from its concept in `profiles/`'s oneplan-policy CodeSystem."""
    concepts = json.loads(POLICY_CODE_SYSTEM.read_text(encoding="utf-8"))["concept"]
    return {str(c["code"]): str(c["display"]) for c in concepts}


@cache
def default_label_rules() -> LabelRules:
    text = resources.files("consent").joinpath("labels.yaml").read_text(encoding="utf-8")
    return LabelRules.model_validate(yaml.safe_load(text))


@dataclass(frozen=True)
class _Facts:
    resource_type: str
    source: str | None
    codings: frozenset[tuple[str, str]]
    minor_consent: MinorConsent | None
    icd10: tuple[str, ...] = ()
    parent_consented: bool = False


def codings(node: Any) -> Iterator[tuple[str, str]]:
    """Every (system, code) in a resource, in no particular order, skipping `meta` (labels are
    not content). Below the top, values are JSON: dicts, lists and scalars. Walked with a
    stack, not recursion: label() is on the mapping path."""
    stack = [node]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        if isinstance(item, list):
            push(item)
        elif isinstance(item, (dict, Mapping)):
            system, code = item.get("system"), item.get("code")
            if isinstance(system, str) and isinstance(code, str):
                yield system, code
            push(value for key, value in item.items()
                 if isinstance(value, (dict, list)) and key != "meta")


def _icd10_matches(pattern: str, code: str) -> bool:
    code = code.replace(".", "").upper()
    if "-" in pattern:
        low, high = pattern.split("-", 1)
        return low <= code[:3] <= high
    return code.startswith(pattern)


@dataclass(frozen=True)
class _Compiled:
    """A rule's match as sets, asked cheapest first (label() is on the mapping path)."""

    rule: LabelRule
    sources: frozenset[str]
    types: frozenset[str]
    not_types: frozenset[str]
    minor_consent: frozenset[str]
    codes: frozenset[tuple[str, str]]
    icd10: tuple[str, ...]
    parent_consented: bool | None

    @classmethod
    def of(cls, rule: LabelRule) -> _Compiled:
        match = rule.match
        pairs = {(codes.SNOMED, c) for c in match.snomed} | {(r.system, r.code)
                                                            for r in match.codes}
        return cls(rule, frozenset(match.source), frozenset(match.resource_type),
                   frozenset(match.not_resource_type), frozenset(match.minor_consent),
                   frozenset(pairs), match.icd10, match.parent_consented)

    def matches(self, facts: _Facts) -> bool:
        return (
            (not self.sources or facts.source in self.sources)
            and (not self.types or facts.resource_type in self.types)
            and facts.resource_type not in self.not_types
            and (not self.minor_consent or facts.minor_consent in self.minor_consent)
            and self.parent_consented in (None, facts.parent_consented)
            and (not (self.icd10 or self.codes) or not self.codes.isdisjoint(facts.codings)
                 or any(_icd10_matches(p, code) for p in self.icd10 for code in facts.icd10))
        )


# Keyed by identity: hashing a LabelRules walks every rule, which costs more than labelling.
_COMPILED: dict[int, tuple[LabelRules, tuple[_Compiled, ...]]] = {}


def _compiled(rules: LabelRules) -> tuple[_Compiled, ...]:
    kept = _COMPILED.get(id(rules))
    if kept is None or kept[0] is not rules:
        kept = _COMPILED[id(rules)] = (rules, tuple(_Compiled.of(r) for r in rules.rules))
    return kept[1]


@cache
def _minor_consent_evidence(rules: LabelRules) -> dict[tuple[str, str], MinorConsent]:
    """(label code, basis) pairs that only a rule matching one kind of minor consent gives."""
    given: dict[tuple[str, str], set[MinorConsent | None]] = {}
    for rule in rules.rules:
        kinds: tuple[MinorConsent | None, ...] = rule.match.minor_consent or (None,)
        for code in (*rule.labels, *filter(None, [rule.confidentiality])):
            given.setdefault((code, rule.basis), set()).update(kinds)
    return {pair: kind for pair, kinds in given.items()
            if len(kinds) == 1 and (kind := next(iter(kinds))) is not None}


def _basis_code(coding: Mapping[str, Any]) -> str | None:
    for extension in coding.get("extension", ()):
        if extension.get("url") == codes.SEC_LABEL_BASIS:
            return str(extension.get("valueCoding", {}).get("code"))
    return None


def _basis(policy: str) -> dict[str, Any]:
    coding = {"system": codes.ONEPLAN_POLICY, "code": policy, "display": policy_titles()[policy]}
    return {"url": codes.SEC_LABEL_BASIS, "valueCoding": coding}


def _labelled(code: str, policy: str) -> dict[str, Any]:
    return {**codes.label_coding(code), "extension": [_basis(policy)]}


def _confidentiality(hits: list[LabelRule], default: DefaultLabel) -> tuple[str, str]:
    """The highest confidentiality any hit asks for, and the basis of that rule."""
    level, basis = default.confidentiality, default.basis
    for rule in hits:
        if rule.confidentiality and RANK[rule.confidentiality] > RANK[level]:
            level, basis = rule.confidentiality, rule.basis
    return level, basis


def security_labels(
    resource: Mapping[str, Any], context: LabelContext, rules: LabelRules
) -> list[dict[str, Any]]:
    """The computed `meta.security` codings for a resource (confidentiality first)."""
    found = frozenset(codings(resource))
    facts = _Facts(
        resource_type=str(resource.get("resourceType", "")),
        source=codes.source_key(resource.get("meta", {}).get("source")) or context.source,
        codings=found,
        minor_consent=context.minor_consent,
        icd10=tuple(code for system, code in found if system == codes.ICD10CM),
        parent_consented=context.parent_consented,
    )
    hits = [c.rule for c in _compiled(rules) if c.matches(facts)]
    sensitivity: dict[str, str] = {}
    for rule in hits:
        for code in rule.labels:
            sensitivity.setdefault(code, rule.basis)  # the first rule to name a code is its basis
    level = _labelled(*_confidentiality(hits, rules.default))
    return [level] + [_labelled(code, basis) for code, basis in sensitivity.items()]


def _merge(existing: list[dict[str, Any]], computed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep existing labels; the higher confidentiality of old and new is the only one kept."""
    old_conf = [c for c in existing if c.get("system") == codes.CONFIDENTIALITY]
    others = [c for c in existing if c.get("system") != codes.CONFIDENTIALITY]
    new_conf = computed[0]
    for coding in old_conf:
        if RANK.get(coding.get("code", ""), -1) > RANK[new_conf["code"]]:
            new_conf = coding
    seen = {(c.get("system"), c.get("code")) for c in others}
    added = [c for c in computed[1:] if (c["system"], c["code"]) not in seen]
    return [new_conf, *others, *added]


M = TypeVar("M", bound=BaseModel)


@overload
def label(resource: M, context: LabelContext | None = ..., rules: LabelRules | None = ...) -> M: ...
@overload
def label(
    resource: Mapping[str, Any], context: LabelContext | None = ..., rules: LabelRules | None = ...
) -> dict[str, Any]: ...
def label(
    resource: BaseModel | Mapping[str, Any],
    context: LabelContext | None = None,
    rules: LabelRules | None = None,
) -> BaseModel | dict[str, Any]:
    """A copy of `resource` (a JSON dict or a fhir.resources model) with `meta.security` set.
    A dict's copy is new down to `meta`; what it holds besides is shared, not copied (labelling
    is on the mapping path), and `resource` itself is never changed."""
    if isinstance(resource, BaseModel):
        data = resource.model_dump(mode="json", exclude_none=True)
        return type(resource).model_validate(_label_dict(data, context, rules))
    return _label_dict(resource, context, rules)


def _label_dict(
    resource: Mapping[str, Any], context: LabelContext | None, rules: LabelRules | None
) -> dict[str, Any]:
    computed = security_labels(resource, context or LabelContext(), rules or default_label_rules())
    meta = dict(resource.get("meta", {}))
    meta["security"] = _merge(list(meta.get("security", [])), computed)
    return {**resource, "meta": meta}
