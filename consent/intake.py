"""Checks on a Consent before it is stored: what decide() would otherwise have to ignore.

A privacy Consent must name its patient (FHIR invariant ppc-2,
https://hl7.org/fhir/R4/consent.html#invs); decide() never lets one without a patient vote, and
intake refuses it so nobody believes it is in force. The same holds for an authorization with
no expiry date (45 CFR 164.508(c)(1)(v), 42 CFR 2.31(a)) and a compound psychotherapy-note
authorization (164.508(b)(3)(ii)): decide() counts none of their permits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consent.provisions import compile_consent
from vocabulary.errors import Issue, ValidationFailed


def consent_issues(consent: Mapping[str, Any]) -> list[Issue]:
    compiled = compile_consent(consent)
    issues = []
    if compiled.privacy and compiled.patient is None:
        issues.append(Issue("A privacy Consent must name the patient it is about (ppc-2); "
                            "without one it applies to no one.", "Consent.patient", "invariant"))
    defect = compiled.permit_defect()
    if defect:
        issues.append(Issue(defect.replace(compiled.ref, "The Consent", 1),
                            "Consent.provision", "invariant"))
    return issues


def check_consent(consent: Mapping[str, Any]) -> None:
    """Raise ValidationFailed (an OperationOutcome at the gateway) for a Consent intake refuses."""
    issues = consent_issues(consent)
    if issues:
        raise ValidationFailed(issues[0].diagnostics, issues=issues)
