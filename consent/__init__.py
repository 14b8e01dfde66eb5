"""The consent engine: security labels, a pure decide(), redaction, explanations, audit records.

policy = load_policy()                      # once, at start-up
labelled = label(resource, LabelContext())  # on intake, before storing
consents = compile_consents(patient_consents)
decision = decide(requester, "read", labelled, consents, policy, now)
released = redact(labelled, decision)       # only if decision.permitted
record = audit_event(decision, AuditRequest(requester, "read", now))
"""

from consent.audit import AuditRequest, audit_event
from consent.decision import Decision, Effect, Obligation, Reason
from consent.engine import decide
from consent.explanation import explain
from consent.labels import LabelContext, label
from consent.provisions import ConsentSet, compile_consents
from consent.redaction import DeniedResource, redact
from consent.requester import Action, Membership, Requester
from consent.rules import Policy, load_policy

__all__ = [
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
    "audit_event",
    "compile_consents",
    "decide",
    "explain",
    "label",
    "load_policy",
    "redact",
]
