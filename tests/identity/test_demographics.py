from __future__ import annotations

from identity.demographics import from_patient
from identity.links import resolve
from identity.normal import fold, is_placeholder, parts
from identity.rules import load
from tests.identity.helpers import HUSKY, fixture_children


def test_reads_the_fixture_patients_and_their_guardians() -> None:
    read = {(d.given, d.family, d.birth_date, d.guardian) for d, _ in fixture_children()}
    assert ("Mateo", "Rivera", "2016-03-14", "Lucia Rivera") in read
    assert ("Grace", "Okafor", "2010-06-21", "David Okafor") in read
    mateo = next(d for d, _ in fixture_children() if d.given == "Mateo")
    assert mateo.sex == "male"
    assert mateo.language == "es"
    assert mateo.phone


def test_the_fixture_cast_resolves_to_one_golden_per_child() -> None:
    children = [d for d, _ in fixture_children()]
    resolution = resolve(children, [], load())
    names = sorted({(d.given, d.family) for d in children})
    assert len(resolution.goldens) == len(names) == 5


def test_name_text_and_guardian_by_relationship() -> None:
    patient = {"resourceType": "Patient", "id": "x", "name": [{"text": "Ana Sofía Ybarra"}],
               "birthDate": "2020-01-02", "gender": "female",
               "identifier": [{"system": HUSKY, "value": "0101"}]}
    aunt = {"relationship": [{"coding": [{"code": "AUNT"}]}], "name": [{"text": "Inés Ybarra"}]}
    mother = {"relationship": [{"coding": [{"code": "MTH"}]}], "name": [{"given": ["Rocío"],
              "family": "Ybarra"}], "telecom": [{"system": "phone", "value": "860-555-0100"}]}
    d = from_patient(patient, [aunt, mother])
    assert (d.source, d.given, d.family, d.guardian) == (
        "Patient/x", "Ana Sofía", "Ybarra", "Rocío Ybarra")
    assert d.phone == "860-555-0100"
    assert d.identifiers == ((HUSKY, "0101"),)
    assert d.language is None


def test_normalisation() -> None:
    assert parts("García-López") == parts("Garcia Lopez") == parts("García de López") == (
        "garcia", "lopez")
    assert fold("  MUÑOZ ") == "munoz"
    assert all(is_placeholder(g) for g in ("Baby Girl", "Baby Boy", "Infant", "Unknown", ""))
    assert not is_placeholder("Babette")
