"""Green Form submissions: check a QuestionnaireResponse and keep it (`accept`); then, when
the worker sends it, run its plan (`mappings.green_form.plan`) against the FHIR server
(`send`): one batch read of what the transaction depends on, one transaction, whose answer
gives the stored response its version. Everything is checked before anything is kept.

A referral creates (or, resubmitted or amended, updates) the ServiceRequest and its Task; a
feedback response from the behavioral health provider moves that Task along (BSeR).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gateway import clock
from gateway.conformance import GREEN_FORM, Conformance
from gateway.db.outbox import Write
from gateway.store import SYSTEM, FhirStore, Principal
from mappings.green_form import check, plan
from mappings.green_form.form import Form
from mappings.sdc.paths import ROOT
from vocabulary.errors import ValidationFailed, VersionConflict
from vocabulary.fhir import JSON

ATTEMPTS = 3
GREEN_FORM_KIND = "green-form"


class Submissions:
    def __init__(self, store: FhirStore, conformance: Conformance,
                 today: Callable[[], date] = clock.today) -> None:
        self.store, self.conformance, self.today = store, conformance, today

    def accept(self, who: Principal, raw: Any) -> list[int]:
        """Check the response, then keep it and queue it, keyed by its child; the outbox
        entry's ids. Entries about one referral share its child, so they go in order."""
        return self.store.accept(who, GREEN_FORM_KIND, raw, self.writes(raw))

    def writes(self, raw: Any) -> list[Write]:
        """One write, planned at send time (`send`), keyed by the form's child."""
        key, topic = plan.keys(self.checked(raw))
        return [Write(self.store.outbox.child_of(topic) or key or topic, None, topic)]

    def send(self, raw: JSON) -> tuple[JSON, JSON]:
        """Read, plan, write: the bundle sent and the server's answer. When a concurrent write
        to the referral's Task wins (its If-Match fails), read again and rebuild."""
        form = self.checked(raw)
        for _ in range(ATTEMPTS - 1):
            try:
                return self._run(form)
            except VersionConflict:
                continue
        return self._run(form)

    def checked(self, raw: Any) -> Form:
        """The form read, if `raw` is a valid Green Form response; else one ValidationFailed
        naming every problem."""
        if not isinstance(raw, dict):
            raise ValidationFailed("The body must be a QuestionnaireResponse")
        return check.checked(raw, self._questionnaire(raw), self.conformance.terminology,
                             self.today())

    def _questionnaire(self, response: JSON) -> JSON:
        """The Green Form; the validator then checks the version the response names."""
        canonical = str(response.get("questionnaire", ""))
        if response.get("resourceType") == ROOT and canonical.partition("|")[0] != GREEN_FORM:
            raise ValidationFailed(f"OnePlan takes responses to {GREEN_FORM}, not {canonical!r}",
                                   expression=f"{ROOT}.questionnaire")
        return self.conformance.by_url("Questionnaire", GREEN_FORM)[0]

    def _run(self, form: Form) -> tuple[JSON, JSON]:
        found = self.store.read_many(SYSTEM, plan.reads(form))
        sent = plan.bundle(form, found)
        return sent, self.store.transaction(SYSTEM, sent)
