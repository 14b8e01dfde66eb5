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

from sqlalchemy.orm import Session

from gateway import clock
from gateway.conformance import GREEN_FORM, Conformance
from gateway.db.outbox import Write
from gateway.store import SYSTEM, FhirStore, Principal
from gateway.usecases.children import Children, golden_url
from mappings.green_form import check, plan
from mappings.green_form.form import Form, Referral
from mappings.references import repoint
from mappings.sdc.paths import ROOT
from mappings.tables import common
from vocabulary.errors import ValidationFailed, VersionConflict
from vocabulary.fhir import JSON

ATTEMPTS = 3
GREEN_FORM_KIND = "green-form"


class Submissions:
    def __init__(self, store: FhirStore, conformance: Conformance,
                 today: Callable[[], date] = clock.today, children: Children | None = None
                 ) -> None:
        self.store, self.conformance, self.today = store, conformance, today
        self.children = children

    def accept(self, who: Principal, raw: Any) -> list[int]:
        """Check the response, then keep it and queue it, keyed by its child; the outbox
        entry's ids. Entries about one referral share its child, so they go in order. With
        `children`, a referral's child is resolved in the transaction that keeps it."""
        form = self.checked(raw)
        people = plan.child(form)
        if self.children is None or not people:
            return self.store.accept(who, GREEN_FORM_KIND, raw, self._writes(form))
        children = self.children

        def then(session: Session, kept: str) -> list[Write]:
            change = children.identities.observe(session, kept, people, who.name)
            children.moved(session, change, self.store.outbox.queue_in, but=kept)
            golden = change.goldens[str(_source(people))]
            return [Write(golden_url(golden), None, plan.keys(form)[1])]

        return self.store.accept(who, GREEN_FORM_KIND, raw, [], then)

    def writes(self, raw: Any) -> list[Write]:
        """One write, planned at send time (`send`), keyed by the form's child."""
        return self._writes(self.checked(raw))

    def _writes(self, form: Form) -> list[Write]:
        key, topic = plan.keys(form)
        source = _source(plan.child(form))
        golden = self.children.identities.golden_of(source) if self.children and source else None
        if golden is not None:
            return [Write(golden_url(golden), None, topic)]
        return [Write(self.store.outbox.child_of(topic) or key or topic, None, topic)]

    def mapped(self, raw: JSON) -> tuple[list[JSON], str]:
        """A kept form's resources as the shared plan sees them, and the practice that sent
        it (`children.Mapper`); feedback adds nothing to the plan."""
        form = self.checked(raw)
        if not isinstance(form, Referral):
            return [], GREEN_FORM_KIND
        sent = plan.bundle(form, {})
        resources = [e["resource"] for e in sent["entry"] if "resource" in e]
        return resources, NPIS.get(form.pcp.practice_npi, GREEN_FORM_KIND)

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
        sent = self._with_child(form, plan.bundle(form, found))
        return sent, self.store.transaction(SYSTEM, sent)

    def _with_child(self, form: Form, sent: JSON) -> JSON:
        """A referral's transaction pointed at its child's golden Patient, with the golden
        Patient and the shared plan as the kept records and links give them now."""
        source = _source(plan.child(form))
        if self.children is None or source is None:
            return sent
        with self.children.identities.db.reading() as session:
            golden = self.children.identities.golden_in(session, source)
            if golden is None:
                return sent
            child = self.children.child_write(session, golden)
        moved = iter(repoint([e["resource"] for e in sent["entry"] if "resource" in e], source,
                             golden_url(golden)))
        entries = [{**e, "resource": next(moved)} if "resource" in e else e
                   for e in sent["entry"]]
        return {**sent, "entry": [*entries, *(child.bundle or {}).get("entry", ())]}


def _source(people: list[JSON]) -> str | None:
    patient = next((p for p in people if p.get("resourceType") == "Patient"), None)
    return None if patient is None else f"Patient/{patient['id']}"


NPIS = {npi: key for key, npi in common("npi").items() if npi}
