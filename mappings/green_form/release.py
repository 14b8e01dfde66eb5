"""The form's release of information as a FHIR Consent (https://hl7.org/fhir/R4/consent.html),
in the shape consent/provisions.py evaluates.

The root provision permits the named recipients to receive the child's information for
treatment between signing and expiry. A kind of information the release leaves out (substance
use, psychotherapy notes) becomes a nested deny on its security labels; a kind it includes
becomes a nested permit on them, because the policies for those labels
(consent/policy/42cfr-part2.yaml, psychotherapy-notes.yaml) ask for a permit that covers them.
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


def consent(form: Referral, parties: Parties, signer: JSON, response: JSON) -> JSON:
    release = form.release
    return form.submission.stamp.resource(
        "Consent", status="active", scope=concept("patient-privacy"),
        category=[concept("release-of-information")], patient=parties.patient.ref,
        dateTime=release.signed_on, performer=[signer], organization=[parties.pcp_org.ref],
        sourceReference=response, policy=_statute(release), policyRule=concept("hipaa-auth"),
        provision=_provision(release, _recipients(release, parties)),
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
    exceptions = [_exception(labels, release.includes[link_id])
                  for link_id, labels in table("withheld_labels").items()
                  if not link_id.startswith("_")]
    return compact(type="permit", period={"start": release.signed_on, "end": release.expires},
                   actor=actors, action=[concept("disclose")], purpose=[coding("treatment")],
                   provision=exceptions)


def _exception(labels: list[str], included: bool) -> JSON:
    return {"type": "permit" if included else "deny",
            "securityLabel": [label_coding(code) for code in labels]}
