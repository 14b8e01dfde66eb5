"""The legal policy as data: one YAML file per legal source in `consent/policy/`.

A rule has an effect and a `when` condition over the requester, the action and the resource's
labels. `permit` and `deny` are votes. `restrict` says the resource may be released only if a
Consent meeting `requires.consent`, or one of the rules in `requires.rules`, permits it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from consent.facts import ResourceFacts
from consent.requester import Action, Requester
from consent.roles import RoleKind, role_kind
from consent.standing import SelfConsent, Standing

TEST_SUFFIX = ".test.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Condition(_Model):
    purpose: frozenset[str] = frozenset()
    action: frozenset[Action] = frozenset()
    role: frozenset[str] = frozenset()
    role_kind: frozenset[RoleKind] = frozenset()
    confidentiality: frozenset[str] = frozenset()
    labels_any: frozenset[str] = frozenset()
    labels_all: frozenset[str] = frozenset()
    labels_none: frozenset[str] = frozenset()
    resource_type: frozenset[str] = frozenset()
    self_consented: frozenset[SelfConsent] = frozenset()  # any of these kinds of care
    # Standing (consent/standing.py); unstated means either.
    care_team: bool | None = None
    custodian: bool | None = None
    payer: bool | None = None
    own_record: bool | None = None
    representative: bool | None = None
    suspected_abuser: bool | None = None
    may_claim: bool | None = None
    originator: bool | None = None
    emergency: bool | None = None
    minor: bool | None = None  # true: known to be under 18
    adult: bool | None = None  # true: known to be 18 or over

    def matches(self, requester: Requester, action: Action, facts: ResourceFacts,
                standing: Standing) -> bool:
        return (
            self._matches_request(requester, action)
            and self._matches_resource(facts)
            and self._matches_standing(standing)
        )

    def _matches_request(self, requester: Requester, action: Action) -> bool:
        return (
            (not self.purpose or requester.purpose in self.purpose)
            and (not self.action or action in self.action)
            and (not self.role or requester.role in self.role)
            and (not self.role_kind or role_kind(requester.role) in self.role_kind)
        )

    def _matches_resource(self, facts: ResourceFacts) -> bool:
        labels = facts.labels
        return (
            (not self.confidentiality or facts.effective_confidentiality in self.confidentiality)
            and (not self.labels_any or not self.labels_any.isdisjoint(labels))
            and self.labels_all <= labels
            and self.labels_none.isdisjoint(labels)
            and (not self.resource_type or facts.resource_type in self.resource_type)
        )

    def _matches_standing(self, standing: Standing) -> bool:
        flags = (
            (self.care_team, standing.care_team),
            (self.custodian, standing.custodian),
            (self.payer, standing.payer),
            (self.own_record, standing.own_record),
            (self.representative, standing.representative),
            (self.suspected_abuser, standing.suspected_abuser),
            (self.may_claim, standing.may_claim),
            (self.originator, standing.originator),
            (self.emergency, standing.emergency),
            (self.minor, standing.minor is True),
            (self.adult, standing.minor is False),
        )
        return all(wanted is None or wanted == actual for wanted, actual in flags) and (
            not self.self_consented or not self.self_consented.isdisjoint(standing.self_consented)
        )


class ConsentRequirement(_Model):
    signed_by: frozenset[Literal["patient", "guardian"]] = frozenset()  # empty: either
    covers_labels: frozenset[str] = frozenset()  # the permit must name one of these labels
    # How closely the permit's actors must name the requester: a CareTeam they are on, their
    # organization, or the requester themselves. A family member is always named in person.
    named: Literal["team", "organization", "person"] = "team"


class Requirement(_Model):
    consent: ConsentRequirement | None = None
    rules: frozenset[str] = frozenset()


class ObligationSpec(_Model):
    code: str
    elements: tuple[str, ...] = ()
    labels_any: frozenset[str] = frozenset()  # only for a resource with one of these labels
    except_by: frozenset[str] = frozenset()  # not when one of these permit rules applies


class Rule(_Model):
    id: str
    effect: Literal["permit", "deny", "restrict"]
    reason: str
    when: Condition = Condition()
    requires: Requirement | None = None
    obligations: tuple[ObligationSpec, ...] = ()
    flag: str | None = None

    @model_validator(mode="after")
    def _restrict_has_requirement(self) -> Rule:
        if (self.effect == "restrict") != (self.requires is not None):
            raise ValueError(f"{self.id}: `requires` goes with, and only with, effect restrict")
        return self


class PolicyFile(_Model):
    id: str
    title: str
    citation: str
    version: str
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _rule_ids_are_qualified(self) -> PolicyFile:
        for rule in self.rules:
            if not rule.id.startswith(f"{self.id}."):
                raise ValueError(f"rule {rule.id} must start with {self.id}.")
        return self


MatchKey = tuple[Requester, Action, str, str, frozenset[str], Standing]
MEMO_LIMIT = 4096


@dataclass(frozen=True)
class Policy:
    files: tuple[PolicyFile, ...]
    version: str
    rules: tuple[Rule, ...] = field(init=False)
    # Which rules match depends only on this key; a search result repeats few keys.
    _memo: dict[MatchKey, tuple[Rule, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(r for f in self.files for r in f.rules))
        known = {rule.id for rule in self.rules}
        for rule in self.rules:
            missing = (rule.requires.rules if rule.requires else frozenset()) - known
            if missing:
                raise ValueError(f"{rule.id} requires unknown rules {sorted(missing)}")

    def matching(
        self, requester: Requester, action: Action, facts: ResourceFacts, standing: Standing
    ) -> tuple[Rule, ...]:
        key = (
            requester,
            action,
            facts.resource_type,
            facts.effective_confidentiality,
            facts.labels,
            standing,
        )
        found = self._memo.get(key)
        if found is None:
            found = tuple(
                r for r in self.rules if r.when.matches(requester, action, facts, standing)
            )
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found

    def file_of(self, rule: Rule) -> PolicyFile:
        return next(f for f in self.files if rule in f.rules)


def policy_files(directory: Traversable | Path) -> list[Traversable | Path]:
    names = sorted(
        p.name
        for p in directory.iterdir()
        if p.name.endswith(".yaml") and not p.name.endswith(TEST_SUFFIX)
    )
    return [directory / name for name in names]


def load_policy(directory: Traversable | Path | None = None) -> Policy:
    """Read every policy file; the version is the files' date plus a digest of their text."""
    folder = directory or resources.files("consent").joinpath("policy")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in policy_files(folder)]
    files = tuple(PolicyFile.model_validate(yaml.safe_load(text)) for _, text in texts)
    digest = hashlib.sha256()
    for name, text in texts:
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    version = max(f.version for f in files)
    return Policy(files=files, version=f"{version}+sha256.{digest.hexdigest()[:12]}")
