"""The form's release of information as FHIR Consents (https://hl7.org/fhir/R4/consent.html),
in the shape consent/provisions.py evaluates.

The general release's root provision permits the named recipients to receive the child's
information for treatment between signing and expiry. It names behavioral health, the
referral's subject, with a nested permit on its labels: CGS 52-146e(b) wants a release to name
the kind of information (consent/policy/cgs-52-146.yaml). Substance use, which the release may
include or leave out, becomes a nested permit or deny on its labels (42cfr-part2.yaml asks for
a permit that covers them). Psychotherapy notes are never in the general release: an
authorization for them may not be combined with another (45 CFR 164.508(b)(3)(ii)), and
without one psychotherapy-notes.yaml withholds them. When the form includes them, they get a
Consent of their own.
"""

from __future__ import annotations

from typing import cast

from consent.codes import label_coding
from consent.labels import MinorConsent
from mappings.datatypes import compact
from mappings.green_form.answers import Items
from mappings.green_form.form import Referral, Release
from mappings.green_form.parties import Parties
from mappings.green_form.stamp import coding, concept, table
from vocabulary.fhir import JSON

PSYCHOTHERAPY_NOTES = "consent.includes-psychotherapy-notes"
BEHAVIORAL_HEALTH = ["BH", "MH", "PSY"]


def consents(form: Referral, parties: Parties, signer: JSON, response: JSON) -> list[JSON]:
    """The general release, and the psychotherapy-note authorization if the form gives one."""
    release, actors = form.release, _recipients(form.release, parties)
    general = _consent(form, parties, signer, response, None, _provision(release, actors))
    if not release.includes[PSYCHOTHERAPY_NOTES]:
        return [general]
    notes = _scoped(release, actors, table("withheld_labels")[PSYCHOTHERAPY_NOTES])
    return [general, _consent(form, parties, signer, response, "psychotherapy-notes", notes)]


def _consent(form: Referral, parties: Parties, signer: JSON, response: JSON,
             discriminator: str | None, provision: JSON) -> JSON:
    release = form.release
    return form.submission.stamp.resource(
        "Consent", discriminator, status="active", scope=concept("patient-privacy"),
        category=[concept("release-of-information")], patient=parties.patient.ref,
        dateTime=release.signed_on, performer=[signer], organization=[parties.pcp_org.ref],
        sourceReference=response, policy=_statute(release), policyRule=concept("hipaa-auth"),
        provision=provision,
    )


def minor_consent(release: Release) -> MinorConsent | None:
    """The `consent.labels.LabelContext.minor_consent` the release's statute means."""
    if release.statute is None:
        return None
    return cast(MinorConsent, table("statutes")[release.statute]["minor_consent"])


def draft_minor_consent(items: Items) -> MinorConsent | None:
    """The minor-consent context of a draft, from what it answers so far. A minor who consented
    under a statute not yet named is taken to have consented to mental health care: either way
    the draft is restricted and adolescent-confidential."""
    consent = items.group("consent")
    if consent.value("consent.minor-self") is not True:
        return None
    statute = consent.value("consent.statute") or {}
    kind = table("statutes").get(str(statute.get("code")), {}).get("minor_consent",
                                                                   "mental-health")
    return cast(MinorConsent, kind)


def _statute(release: Release) -> list[JSON]:
    """The Connecticut statute under which the minor consented to their own care."""
    return [{"uri": table("statutes")[release.statute]["uri"]}] if release.statute else []


def _recipients(release: Release, parties: Parties) -> list[JSON]:
    sides = {"pcp": parties.pcp_org.ref, "bh": parties.bh_org.ref}
    chosen = dict.fromkeys(table("recipients")[code] for code in release.recipients)
    return [{"role": concept("information-recipient"), "reference": sides[side]}
            for side in chosen]


def _provision(release: Release, actors: list[JSON]) -> JSON:
    exceptions = [_exception(BEHAVIORAL_HEALTH, True)] + [
        _exception(labels, release.includes[link_id])
        for link_id, labels in table("withheld_labels").items()
        if not link_id.startswith("_") and link_id != PSYCHOTHERAPY_NOTES]
    return _scoped(release, actors, None, exceptions)


def _scoped(release: Release, actors: list[JSON], labels: list[str] | None,
            exceptions: list[JSON] | None = None) -> JSON:
    return compact(type="permit", period={"start": release.signed_on, "end": release.expires},
                   actor=actors, action=[concept("disclose")], purpose=[coding("treatment")],
                   securityLabel=[label_coding(c) for c in labels or ()], provision=exceptions)


def _exception(labels: list[str], included: bool) -> JSON:
    return {"type": "permit" if included else "deny",
            "securityLabel": [label_coding(code) for code in labels]}
