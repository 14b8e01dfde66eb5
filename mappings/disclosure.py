"""Consents a record carries: https://hl7.org/fhir/R4/consent.html.

The kinds of consent and their policy, category and actions are data in `codes/consents.json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mappings.datatypes import JSON, coding, compact, concept, organization, period
from mappings.origin import Origin
from mappings.record import SignedRelease
from mappings.tables import table

RECIPIENT = {"system": "v3-participationtype", "code": "IRCP",
             "display": "information recipient"}


def consent(origin: Origin, kind: str, *, signed: date, grantor: JSON, start: date,
            end: date | None = None, recipients: Sequence[str] = ()) -> JSON:
    """A consent of `kind` (`codes/consents.json`); `recipients` are CAST organization keys."""
    spec = table("consents")[kind]
    return origin.resource(
        "Consent", kind, status="active", scope=concept(spec["scope"]),
        category=[concept(c) for c in spec["category"]], patient=origin.patient,
        dateTime=signed.isoformat(), performer=[grantor],
        organization=[organization(origin.custodian)],
        policy=spec.get("policy"),
        policyRule=concept(spec["policyRule"]) if "policyRule" in spec else None,
        provision=_provision(spec, period(start, end), [organization(r) for r in recipients]),
    )


def release_consent(origin: Origin, kind: str, signed: SignedRelease, grantor: JSON) -> JSON:
    """The consent a signed release of information records, valid from signing to expiry."""
    return consent(origin, kind, signed=signed.signed_on, grantor=grantor,
                   start=signed.signed_on, end=signed.expires_on, recipients=signed.recipients)


def _provision(spec: dict[str, Any], valid: JSON, recipients: Sequence[JSON]) -> JSON:
    return compact(
        type="permit", period=valid,
        actor=[{"role": concept(RECIPIENT), "reference": r} for r in recipients],
        action=[concept(a) for a in spec.get("action", [])],
        purpose=[coding(p) for p in spec.get("purpose", [])],
    )
