from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient

from identity.golden import IDENTITY_SYSTEM, golden_patient
from identity.links import resolve
from identity.match import MATCH_GRADE, searchset
from identity.rules import load
from identity.score import score
from tests.identity.helpers import child, fixture_children


def test_fixture_goldens_are_valid_and_deterministic() -> None:
    members = fixture_children()
    by_source = {d.source: (d, p) for d, p in members}
    resolution = resolve([d for d, _ in members], [], load())
    for golden, sources in resolution.goldens.items():
        group = [by_source[s] for s in sources]
        patient = golden_patient(golden, group)
        Patient.model_validate(patient)
        assert patient == golden_patient(golden, list(reversed(group)))
        assert patient["meta"]["tag"][0]["system"] == IDENTITY_SYSTEM
        assert [k["other"]["reference"] for k in patient["link"]] == sorted(sources)
        keys = [(i["system"], i["value"]) for i in patient["identifier"]]
        assert len(keys) == len(set(keys))
    mateo = next(golden_patient(g, [by_source[s] for s in ss])
                 for g, ss in resolution.goldens.items() if by_source[ss[0]][0].given == "Mateo")
    assert mateo["extension"][0]["valueBoolean"] is True
    assert mateo["communication"][0]["language"]["coding"][0]["code"] == "es"


def _patient(source: str, given: str, born: str) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": source.split("/")[1],
            "name": [{"given": [given], "family": "Quintero"}], "birthDate": born}


def test_survivorship_takes_the_majority_then_the_best_ranked_source() -> None:
    a = child("a", "Tom", husky="0001")
    b = child("b", "Tomás", birth_date="2019-08-05")
    c = child("c", "Tomás", mrn="CP-1", sex="unknown")
    members = [(d, _patient(d.source, d.given, d.birth_date)) for d in (a, b, c)]
    patient = golden_patient("g1", members)
    assert patient["name"] == [{"family": "Quintero", "given": ["Tomás"]}]
    assert patient["birthDate"] == "2019-05-08"
    assert patient["gender"] == "male"
    tie = golden_patient("g2", members[:2])
    assert tie["name"][0]["given"] == ["Tom"], "a tie goes to the source with the HUSKY id"


def test_match_searchset() -> None:
    rules = load()
    query = child("q", husky="0001")
    found = [(_patient("Patient/a", "Tomás", "2019-05-08"), score(query, child("a", husky="0001"),
                                                                   rules)),
             (_patient("Patient/b", "Tomás", "2019-05-08"), score(query, child("b"), rules)),
             (_patient("Patient/c", "Nicolás", "2019-05-08"), score(query, child("c", "Nicolás"),
                                                                     rules))]
    bundle = searchset(found, only_certain=False, count=None)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset"
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["a", "b", "c"]
    grades = [e["search"]["extension"][0] for e in bundle["entry"]]
    assert all(g["url"] == MATCH_GRADE for g in grades)
    assert [g["valueCode"] for g in grades] == ["certain", "possible", "certainly-not"]
    assert all(e["search"]["mode"] == "match" for e in bundle["entry"])
    certain = searchset(found, only_certain=True, count=None)
    assert [e["resource"]["id"] for e in certain["entry"]] == ["a"]
    assert len(searchset(found, only_certain=False, count=2)["entry"]) == 2
