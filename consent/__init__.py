"""The consent engine: security labels, a pure decide(), redaction, explanations, audit records.

policy = load_policy()                      # once, at start-up
labelled = label(resource, LabelContext())  # on intake, before storing
consents = compile_consents(patient_consents)
decision = decide(requester, "read", labelled, consents, policy, now)
released = redact(labelled, decision)       # only if decision.permitted
record = audit_event(decision, AuditRequest(requester, "read", now))

`consents` is the patient's Consents with the rest of their record decisions need: Patient
(birth date), RelatedPerson (legal authority), Coverage (payers), PractitionerRole. Intake
refuses a Consent decide() would ignore with `check_consent`. `ROLES`, `PURPOSES` and
`may_claim` are the role and purpose-of-use vocabulary client registration should use.
"""

from consent.audit import AuditRequest, audit_event
from consent.decision import Decision, Effect, Obligation, Reason
from consent.engine import decide
from consent.explanation import explain
from consent.intake import check_consent
from consent.labels import LabelContext, label
from consent.provisions import ConsentSet, compile_consents
from consent.redaction import DeniedResource, redact
from consent.requester import Action, Membership, Requester
from consent.roles import PURPOSE_KINDS, PURPOSES, ROLES, RoleKind, may_claim
from consent.rules import Policy, load_policy

__all__ = [
    "PURPOSES",
    "PURPOSE_KINDS",
    "ROLES",
    "Action",
    "AuditRequest",
    "ConsentSet",
    "Decision",
    "DeniedResource",
    "Effect",
    "LabelContext",
    "Membership",
    "Obligation",
    "Policy",
    "Reason",
    "Requester",
    "RoleKind",
    "audit_event",
    "check_consent",
    "compile_consents",
    "decide",
    "explain",
    "label",
    "load_policy",
    "may_claim",
    "redact",
]
