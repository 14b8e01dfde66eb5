"""Who is asking, and for what: the principal of a consent decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Literal

Action = Literal["read", "search", "create", "update"]
ACTIONS: tuple[Action, ...] = ("read", "search", "create", "update")


@dataclass(frozen=True)
class Membership:
    """The requester sits on `care_team`, a CareTeam whose subject is `patient`."""

    care_team: str
    patient: str


@dataclass(frozen=True)
class Emergency:
    """A declared emergency (break-glass): for one patient, until a time, with its nature
    stated, from an emergency setting (v3-ActCode encounter class, EMER)."""

    patient: str
    reason: str
    until: datetime
    setting: str = "EMER"

    def covers(self, patient: str | None, now: datetime) -> bool:
        return (
            patient == self.patient
            and now < self.until
            and bool(self.reason.strip())
            and self.setting in EMERGENCY_SETTINGS
        )


EMERGENCY_SETTINGS = frozenset({"EMER"})


@dataclass(frozen=True)
class Requester:
    """A requester as the gateway knows it from the SMART token and the client registry.

    `purpose` is a v3-ActReason code (https://hl7.org/fhir/R4/v3/ActReason/cs.html), e.g. TREAT.
    """

    who: str
    role: str
    purpose: str
    organization: str | None = None
    care_teams: frozenset[Membership] = frozenset()
    display: str | None = None
    emergency: Emergency | None = None

    def on_care_team_of(self, patient: str | None) -> bool:
        return patient is not None and any(m.patient == patient for m in self.care_teams)

    @cached_property
    def references(self) -> frozenset[str]:
        """Every reference a Consent actor could use to name this requester."""
        refs = {self.who, *(m.care_team for m in self.care_teams)}
        if self.organization:
            refs.add(self.organization)
        return frozenset(refs)

    @cached_property
    def team_references(self) -> frozenset[str]:
        return frozenset(m.care_team for m in self.care_teams)

    @cached_property
    def organization_key(self) -> str | None:
        if self.organization and self.organization.startswith("Organization/"):
            return self.organization.split("/", 1)[1]
        return None
