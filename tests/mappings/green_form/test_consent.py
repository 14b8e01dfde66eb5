"""The release of information on a Green Form, as stored on the server, is a Consent the consent
engine compiles and enforces: it permits the named recipients for treatment and withholds what
the release leaves out (tests/consent do the same for hand-written Consents)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from consent import codes
from consent.decision import Effect
from consent.engine import decide
from consent.provisions import compile_consent
from consent.requester import Requester
from consent.rules import load_policy
from mappings.green_form import extract
from tests.mappings.green_form.helpers import answer, form, one, resources, stored
from vocabulary.errors import ValidationFailed
from vocabulary.fhir import JSON

POLICY = load_policy()
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def written(name: str) -> tuple[list[JSON], JSON, str]:
    """What decide() needs of the child's stored record (the form's Consents, the guardian's
    RelatedPerson with their legal authority, the Patient), the stored ServiceRequest, and the
    child's Patient reference."""
    server, _ = stored(name)
    bundle = extract(form(name))
    kept = [server.read(f"{r['resourceType']}/{r['id']}")
            for kind in ("Consent", "RelatedPerson") for r in resources(bundle, kind)]
    patient = kept[0]["patient"]["reference"]
    referral = server.read(f"ServiceRequest/{one(bundle, 'ServiceRequest')['id']}")
    return [*kept, server.read(patient)], referral, patient


def clinician(org: str, purpose: str = "TREAT") -> Requester:
    return Requester(who=f"Practitioner/{org}-clinician", role="clinician", purpose=purpose,
                     organization=f"Organization/{org}")


def record(patient: str, *labels: str) -> JSON:
    """A record of the child from another source, labelled `labels`."""
    return {"resourceType": "Observation", "id": "other-record", "status": "final",
            "code": {"text": "Counseling note"}, "subject": {"reference": patient},
            "meta": {"security": [codes.label_coding(code) for code in labels]}}


def effect(requester: Requester, resource: JSON, record: list[JSON],
           when: datetime = NOW) -> Effect:
    return decide(requester, "read", resource, record, POLICY, when).effect


def test_the_stored_consent_compiles_against_the_cast_organizations() -> None:
    [consent, *_], _, patient = written("grace-okafor-depression")
    compiled = compile_consent(consent)
    assert compiled.root is not None
    assert (compiled.status, compiled.privacy, compiled.signed_by_patient) == (
        "active", True, True)
    assert compiled.root.actors == {"Organization/capitol-peds", "Organization/riverside-bh"}
    assert compiled.root.purposes == {"TREAT"}
    assert patient.startswith("Patient/")


def test_a_minor_signed_release_lets_the_named_agency_treat_her() -> None:
    consent, referral, _ = written("grace-okafor-depression")
    assert effect(clinician("riverside-bh"), referral, consent) is Effect.PERMIT
    assert effect(clinician("riverside-bh", "HPAYMT"), referral, consent) is Effect.DENY
    assert effect(clinician("wrap-north"), referral, consent) is Effect.DENY


def test_a_release_without_sud_withholds_substance_use_records() -> None:
    consent, _, patient = written("grace-okafor-depression")
    decision = decide(clinician("riverside-bh"), "read", record(patient, "N", "SUD", "ADOL"),
                      consent, POLICY, NOW)
    assert decision.effect is Effect.DENY
    general = consent[0]["id"]
    assert [r.key for r in decision.decisive] == [f"Consent/{general} provision.provision[1]"]
    assert effect(clinician("riverside-bh"), record(patient, "N", "MH"), consent) is Effect.PERMIT


def test_her_father_cannot_read_her_referral() -> None:
    consent, referral, _ = written("grace-okafor-depression")
    father = Requester(who="RelatedPerson/david-okafor", role="parent", purpose="FAMRQT")
    assert effect(father, referral, consent) is Effect.DENY


def test_a_mother_who_signed_her_sons_referral_reads_it() -> None:
    record, referral, _ = written("mateo-rivera-anxiety")
    guardian = next(r for r in record if r["resourceType"] == "RelatedPerson")
    mother = Requester(who=f"RelatedPerson/{guardian['id']}", role="parent", purpose="FAMRQT")
    assert effect(mother, referral, record) is Effect.PERMIT
    grandmother = Requester(who="RelatedPerson/carmen-rivera", role="natural-support",
                            purpose="FAMRQT")
    assert effect(grandmother, referral, record) is Effect.DENY


def test_a_part_2_release_naming_only_the_pcp_reaches_part_2_records() -> None:
    consent, _, patient = written("daniel-okafor-substance-use")
    part2 = record(patient, "R", "SUD", "ETH", "42CFRPart2", "ADOL")
    assert effect(clinician("capitol-peds"), part2, consent) is Effect.PERMIT
    assert effect(clinician("riverside-bh"), part2, consent) is Effect.DENY
    after_expiry = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)
    assert effect(clinician("capitol-peds"), part2, consent, after_expiry) is Effect.DENY


def test_psychotherapy_notes_follow_the_release_in_an_authorization_of_their_own() -> None:
    shared, _, lily = written("lily-chen-adhd-follow-up")
    kept, _, mateo = written("mateo-rivera-anxiety")
    note = ("R", "PSYTHPN", "HIPAAPsyNotes", "MH")
    assert effect(clinician("riverside-bh"), record(lily, *note), shared) is Effect.PERMIT
    assert effect(clinician("riverside-bh"), record(mateo, *note), kept) is Effect.DENY
    notes = [c for c in shared if c["resourceType"] == "Consent" and c["id"] != shared[0]["id"]]
    assert [compile_consent(c).permit_defect() for c in shared if c["resourceType"] == "Consent"
            ] == [None, None]
    assert len(notes) == 1


def test_the_general_release_never_carries_psychotherapy_notes() -> None:
    [general, *_], _, lily = written("lily-chen-adhd-follow-up")
    note = ("R", "PSYTHPN", "HIPAAPsyNotes", "MH")
    assert effect(clinician("riverside-bh"), record(lily, *note), [general]) is Effect.DENY


def test_a_form_entered_in_error_leaves_no_active_release() -> None:
    server, _ = stored("grace-okafor-depression")
    withdrawn = form("grace-okafor-depression")
    withdrawn["status"] = "entered-in-error"
    urls = server.transact(extract(withdrawn))
    consents = [server.read(u) for u in urls.values() if u.startswith("Consent/")]
    referral = server.read(next(u for u in urls.values() if u.startswith("ServiceRequest/")))
    assert effect(clinician("riverside-bh"), referral, consents) is Effect.DENY


def test_a_minors_own_release_counts_only_her_own_signature() -> None:
    signed = answer(form("grace-okafor-depression"), "consent.signer-name",
                    {"valueString": "David Okafor"})
    with pytest.raises(ValidationFailed) as raised:
        extract(signed)
    [issue] = raised.value.issues
    assert issue.expression == ("QuestionnaireResponse.item.where(linkId='consent')"
                                ".item.where(linkId='consent.signer-name')")
    assert "David Okafor" in issue.diagnostics


def test_her_own_signature_is_known_whatever_its_case_and_spacing() -> None:
    signed = answer(form("grace-okafor-depression"), "consent.signer-name",
                    {"valueString": "  grace   OKAFOR "})
    consent = one(extract(signed), "Consent")
    assert consent["performer"] == [consent["patient"]]
