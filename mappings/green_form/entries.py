"""Transaction entries (https://hl7.org/fhir/R4/http.html#transaction) of labelled resources.

What the form writes gets its security labels from consent.labels with the form's context (a
minor's own consent makes it restricted), the guardian's RelatedPerson included: it tells that
there is a behavioral health referral. The shared resources (the child's Patient, Organization,
Practitioner) are who-is-who, not behavioral health information: they get only the default
confidentiality.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from consent.labels import LabelContext, LabelRules, MinorConsent, default_label_rules, label
from mappings.datatypes import JSON

DIRECTORY = frozenset({"Patient", "Organization", "Practitioner"})


@cache
def _directory_rules() -> LabelRules:
    rules = default_label_rules()
    return LabelRules(version=rules.version, default=rules.default, rules=())


def labelled(resource: JSON, minor_consent: MinorConsent | None = None) -> JSON:
    if resource["resourceType"] in DIRECTORY:
        return label(resource, rules=_directory_rules())
    return label(resource, LabelContext(minor_consent=minor_consent))


def put(resource: JSON) -> JSON:
    """PUT at the resource's deterministic id; the id is a UUID, so it is its own fullUrl."""
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource,
            "request": {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}}


def transaction(entries: Iterable[JSON]) -> JSON:
    return {"resourceType": "Bundle", "type": "transaction", "entry": list(entries)}
