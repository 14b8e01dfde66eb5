"""The outcome of decide(): an effect, its reasons, obligations and the policy version."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Effect(StrEnum):
    PERMIT = "permit"
    DENY = "deny"
    PERMIT_WITH_REDACTION = "permit-with-redaction"


@dataclass(frozen=True)
class Reason:
    """Why: a policy rule (`ref` is its id) or a Consent provision (`ref` is `Consent/<id>`).

    `decisive` reasons decided the effect; the others are notes for the privacy officer
    (an inactive Consent that was skipped, a provision that almost applied).
    """

    kind: Literal["rule", "consent", "default"]
    ref: str
    text: str
    path: str | None = None
    decisive: bool = True

    @property
    def key(self) -> str:
        return f"{self.ref} {self.path}" if self.path else self.ref


@dataclass(frozen=True)
class Obligation:
    """A duty on the recipient or on the gateway, e.g. NORDSCLCD or REDACT of some elements."""

    system: str
    code: str
    elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    effect: Effect
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...]
    policy_version: str
    resource: str
    patient: str | None
    labels: tuple[str, ...]
    consents: tuple[str, ...] = ()  # the Consents whose provisions decided
    flags: tuple[str, ...] = ()  # e.g. "break-glass": permitted, and to be reviewed
    # Break-glass: what 42 CFR 2.51(c) asks to document, as (what, value) pairs.
    emergency: tuple[tuple[str, str], ...] = ()

    @property
    def permitted(self) -> bool:
        return self.effect is not Effect.DENY

    @property
    def decisive(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.decisive)
