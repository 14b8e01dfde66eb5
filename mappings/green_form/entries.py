"""The security labels of what a Green Form writes.

What the form writes is labelled by `consent.label()` alone, in the form's context: a minor's
own consent makes it restricted. Which rules spare the shared who-is-who resources (the child's
Patient, Organization, Practitioner) is data in consent/labels.yaml. Feedback is labelled in the
context its referral was labelled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consent.labels import LabelContext, MinorConsent, label
from vocabulary.fhir import JSON
from vocabulary.programs import GREEN_FORM


def labelled(resource: JSON, minor_consent: MinorConsent | None = None,
             parent_consented: bool = False) -> JSON:
    context = LabelContext(minor_consent=minor_consent, source=GREEN_FORM,
                           parent_consented=parent_consented)
    return label(resource, context)


def labelled_like(resource: JSON, labelled_resource: Mapping[str, Any]) -> JSON:
    """`resource` labelled in the context `labelled_resource` was (a referral's, for what is
    written about it): its labels tell whether a minor consented to the care."""
    return label(resource, LabelContext.of_labelled(labelled_resource))
