"""Every resource a golden output writes is labelled by consent.label() and nothing else: its
`meta.security` is what label() gives the same resource without it.

Program records are labelled in their program's context. A Green Form's resources are labelled
in the minor-consent context its release names (a feedback's in that of the referral it
answers), read here from the fixture's own answers and the statutes table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest

from consent.labels import LabelContext, MinorConsent, label
from vocabulary.data import package_dir
from vocabulary.programs import GREEN_FORM, PROGRAMS

FIXTURES = package_dir("fixtures")
EXPECTED = ".expected.json"
STATUTES = package_dir("mappings") / "green_form" / "codes.json"


@dataclass(frozen=True)
class Golden:
    path: Path
    context: LabelContext

    @property
    def name(self) -> str:
        return str(self.path.relative_to(FIXTURES)).removesuffix(EXPECTED)

    def written(self) -> list[dict[str, Any]]:
        bundle = json.loads(self.path.read_text(encoding="utf-8"))
        return [entry["resource"] for entry in bundle["entry"]]


def answers(items: list[Any]) -> Iterator[tuple[str, Any]]:
    """(linkId, answer value) of every answer in a QuestionnaireResponse's items, nested too."""
    for item in items:
        for answer in item.get("answer", ()):
            value = next(v for k, v in answer.items() if k.startswith("value"))
            yield item["linkId"], value
            yield from answers(answer.get("item", ()))
        yield from answers(item.get("item", ()))


def minor_consent(response: Mapping[str, Any]) -> MinorConsent | None:
    """The statute a minor consented under, as its LabelContext.minor_consent."""
    given = dict(answers(response.get("item", ())))
    if given.get("consent.minor-self") is not True:
        return None
    statutes = json.loads(STATUTES.read_text(encoding="utf-8"))["statutes"]
    return cast(MinorConsent, statutes[given["consent.statute"]["code"]]["minor_consent"])


def parent_consented(response: Mapping[str, Any]) -> bool:
    """The guardian the form names signed its release (not the child, not another adult)."""
    given = dict(answers(response.get("item", ())))
    if given.get("consent.minor-self") is True:
        return False
    relationship = given.get("consent.signer-relationship") or given["guardian.relationship"]
    return (str(given["consent.signer-name"]).casefold(), relationship["code"]) == (
        str(given["guardian.name"]).casefold(), given["guardian.relationship"]["code"])


def context_of(response: Mapping[str, Any]) -> LabelContext:
    return LabelContext(source=GREEN_FORM, minor_consent=minor_consent(response),
                        parent_consented=parent_consented(response))


def _fixture(golden: Path) -> dict[str, Any]:
    path = golden.with_name(golden.name.removesuffix(EXPECTED) + ".json")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _referrals(paths: list[Path]) -> dict[str, LabelContext]:
    """Each referral's ServiceRequest (`Type/id`) -> its form's labelling context."""
    found: dict[str, LabelContext] = {}
    for path in paths:
        for resource in Golden(path, LabelContext()).written():
            if resource["resourceType"] == "ServiceRequest":
                found[f"ServiceRequest/{resource['id']}"] = context_of(_fixture(path))
    return found


def _answered_referral(golden: Path) -> str | None:
    """The referral a feedback answers (`feedback.referral`), None for a referral form."""
    reference = dict(answers(_fixture(golden)["item"])).get("feedback.referral")
    return None if reference is None else str(reference["reference"])


def _green_form() -> list[Golden]:
    paths = sorted((FIXTURES / "green-form" / "valid").glob(f"*{EXPECTED}"))
    answered = {p: _answered_referral(p) for p in paths}
    referrals = _referrals([p for p in paths if answered[p] is None])
    return [Golden(p, context_of(_fixture(p)) if (referral := answered[p]) is None
                   else referrals[referral]) for p in paths]


@cache
def goldens() -> list[Golden]:
    programs = [Golden(path, LabelContext(source=path.parent.parent.name))
                for path in sorted((FIXTURES / "records").glob(f"*/valid/*{EXPECTED}"))]
    return [*programs, *_green_form()]


def unlabelled(resource: Mapping[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in resource.get("meta", {}).items() if k != "security"}
    return {**resource, "meta": meta}


@pytest.mark.parametrize("golden", goldens(), ids=lambda g: g.name)
def test_every_written_resource_carries_exactly_the_labels_label_gives(golden: Golden) -> None:
    wrong = [(r["resourceType"], r["id"]) for r in golden.written()
             if label(unlabelled(r), golden.context)["meta"]["security"]
             != r["meta"]["security"]]
    assert wrong == []


def test_the_goldens_cover_every_program_and_both_kinds_of_minor_consent() -> None:
    sources = {g.context.source for g in goldens()}
    assert sources == {*PROGRAMS, GREEN_FORM}
    minors = {g.context.minor_consent for g in goldens()}
    assert minors == {None, "mental-health", "substance-use"}


def test_a_feedback_is_labelled_in_the_context_its_referral_was() -> None:
    """`LabelContext.of_labelled` reads back from a referral what its form's release said."""
    for golden in goldens():
        for resource in golden.written():
            if resource["resourceType"] == "ServiceRequest" and golden.context.source == GREEN_FORM:
                assert LabelContext.of_labelled(resource) == golden.context, golden.name
