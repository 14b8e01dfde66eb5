"""Terminology: ValueSet expansion from local ValueSets and CodeSystems, and displays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mappings.sdc import Terminology, TerminologyError, UnknownValueSet, load_profiles
from tests.mappings.sdc.builders import JSON
from vocabulary.data import PROFILES

BASE = "http://example.org/fhir"
PARTY = f"{BASE}/CodeSystem/party"
GENDER = "http://hl7.org/fhir/administrative-gender"


def code_system(version: str = "1.0.0", content: str = "complete") -> JSON:
    return {"resourceType": "CodeSystem", "url": PARTY, "version": version, "content": content,
            "concept": [{"code": "pcp", "display": "Primary care"},
                        {"code": "bh", "display": "Behavioral health", "concept": [
                            {"code": "bh-sud", "display": "Substance use"}]}]}


def value_set(name: str, *include: JSON, version: str = "1.0.0", **compose: list[JSON]) -> JSON:
    return {"resourceType": "ValueSet", "url": f"{BASE}/ValueSet/{name}", "version": version,
            "compose": {"include": list(include), **compose}}


SEX = value_set("sex", {"system": GENDER, "concept": [{"code": "male", "display": "Male"},
                                                       {"code": "female", "display": "Female"}]})
ALL_PARTIES = value_set("parties", {"system": PARTY})


def terminology(*resources: JSON) -> Terminology:
    return Terminology.from_resources([code_system(), SEX, ALL_PARTIES, *resources])


def test_enumerated_concepts() -> None:
    assert terminology().expand(f"{BASE}/ValueSet/sex") == {(GENDER, "male"), (GENDER, "female")}


def test_a_whole_local_code_system_with_its_hierarchy() -> None:
    assert terminology().expand(f"{BASE}/ValueSet/parties") == {
        (PARTY, "pcp"), (PARTY, "bh"), (PARTY, "bh-sud")}


def test_canonical_with_version_and_a_bare_url_means_the_latest() -> None:
    older = value_set("sex", {"system": GENDER, "concept": [{"code": "other"}]}, version="0.9.0")
    held = terminology(older)
    assert held.expand(f"{BASE}/ValueSet/sex|0.9.0") == {(GENDER, "other")}
    assert held.expand(f"{BASE}/ValueSet/sex|1.0.0") == held.expand(f"{BASE}/ValueSet/sex")
    assert (GENDER, "male") in held.expand(f"{BASE}/ValueSet/sex")


def test_other_value_sets_and_excludes() -> None:
    mixed = value_set("mixed", {"valueSet": [f"{BASE}/ValueSet/sex"]},
                      {"valueSet": [f"{BASE}/ValueSet/parties"], "system": PARTY},
                      exclude=[{"system": PARTY, "concept": [{"code": "bh-sud"}]}])
    assert terminology(mixed).expand(f"{BASE}/ValueSet/mixed") == {
        (GENDER, "male"), (GENDER, "female"), (PARTY, "pcp"), (PARTY, "bh")}


def test_displays_come_from_code_systems_then_value_sets() -> None:
    held = terminology()
    assert held.display(PARTY, "bh-sud") == "Substance use"
    assert held.display(GENDER, "female") == "Female"
    assert held.display(GENDER, "unknown") is None


def test_an_unknown_value_set_is_a_clear_error() -> None:
    with pytest.raises(UnknownValueSet, match="ValueSet/nope is not known"):
        terminology().expand(f"{BASE}/ValueSet/nope")
    with pytest.raises(UnknownValueSet):
        terminology().expand(f"{BASE}/ValueSet/sex|9.9.9")


@pytest.mark.parametrize("unsupported", [
    value_set("filtered", {"system": PARTY, "filter": [
        {"property": "concept", "op": "is-a", "value": "bh"}]}),
    value_set("external", {"system": "http://snomed.info/sct"}),
    value_set("empty", {"version": "1"}),
])
def test_what_cannot_be_expanded_raises(unsupported: JSON) -> None:
    with pytest.raises(TerminologyError):
        terminology(unsupported).expand(unsupported["url"])


def test_listed_codes_must_be_in_a_code_system_held_in_full() -> None:
    wrong = value_set("wrong", {"system": PARTY, "concept": [{"code": "pcp"}, {"code": "er"}]})
    with pytest.raises(TerminologyError, match=r"does not define: \['er'\]"):
        terminology(wrong).expand(wrong["url"])


def test_a_fragment_code_system_cannot_be_included_whole() -> None:
    held = Terminology.from_resources([code_system(content="fragment"), ALL_PARTIES])
    with pytest.raises(TerminologyError, match="does not hold in full"):
        held.expand(ALL_PARTIES["url"])


def test_a_value_set_that_includes_itself_raises() -> None:
    loop = value_set("loop", {"valueSet": [f"{BASE}/ValueSet/loop"]})
    with pytest.raises(TerminologyError, match="includes itself"):
        terminology(loop).expand(loop["url"])


def test_the_same_resource_twice_is_held_once_and_a_rival_is_refused() -> None:
    assert terminology(SEX).value_sets[SEX["url"]] == (SEX,)
    rival = value_set("sex", {"system": GENDER, "concept": [{"code": "other"}]})
    with pytest.raises(TerminologyError, match="two different ValueSets"):
        terminology(rival)


def test_load_profiles_reads_every_folder_but_node_modules(tmp_path: Path) -> None:
    files = {"codesystems/CodeSystem-party.json": code_system(),
             "fsh-generated/resources/ValueSet-parties.json": ALL_PARTIES,
             "node_modules/hl7.fhir.r4.core/ValueSet-sex.json": SEX,
             "fsh-generated/resources/Questionnaire-x.json": {"resourceType": "Questionnaire"}}
    for name, resource in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(json.dumps(resource), encoding="utf-8")
    held = load_profiles(tmp_path)
    assert set(held.value_sets) == {ALL_PARTIES["url"]}
    assert held.expand(ALL_PARTIES["url"]) == {(PARTY, "pcp"), (PARTY, "bh"), (PARTY, "bh-sud")}


def test_a_profile_that_is_not_json_is_named(tmp_path: Path) -> None:
    (tmp_path / "ValueSet-broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(TerminologyError, match=r"ValueSet-broken\.json is not JSON"):
        load_profiles(tmp_path)


def test_every_value_set_in_profiles_expands() -> None:
    held = load_profiles(PROFILES)
    assert held.code_systems
    for url in held.value_sets:
        assert held.expand(url), url
