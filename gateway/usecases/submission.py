"""Green Form submissions: check a QuestionnaireResponse, extract it, and write everything to
the FHIR server in one transaction. This is the I/O edge around the pure parts:
`mappings.sdc` validates, `mappings.green_form` extracts.

A referral creates (or, resubmitted or amended, updates) the ServiceRequest and its Task; a
feedback response from the behavioral health provider moves that Task along (BSeR).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.conformance import GREEN_FORM, Conformance
from gateway.store import FhirStore, Principal
from mappings.green_form import check
from mappings.green_form.extract import extract
from mappings.green_form.feedback import apply_feedback
from mappings.green_form.form import feedback, submission
from mappings.green_form.provenance import relative, stale_entries
from mappings.green_form.referral import task_id
from vocabulary.errors import ValidationFailed, VersionConflict

ROOT = "QuestionnaireResponse"
ATTEMPTS = 3
JSON = dict[str, Any]


@dataclass(frozen=True)
class Submitted:
    response: JSON
    created: bool
    related: tuple[str, ...]


class Submissions:
    def __init__(self, store: FhirStore, conformance: Conformance) -> None:
        self.store, self.conformance = store, conformance
        self.who: Principal | None = None

    def submit(self, who: Principal, raw: Any) -> Submitted:
        """Validate everything before writing anything; retry when a concurrent write to the
        referral's Task wins (re-read, re-apply: DESIGN.md, HAPI conflict codes)."""
        self.who = who
        response = self.checked(raw)
        for _ in range(ATTEMPTS - 1):
            try:
                return self._write(self._bundle(response))
            except VersionConflict:
                continue
        return self._write(self._bundle(response))

    def checked(self, raw: Any) -> JSON:
        """The response, if it is a valid Green Form response; else one ValidationFailed
        naming every problem."""
        if not isinstance(raw, dict):
            raise ValidationFailed("The body must be a QuestionnaireResponse")
        issues = check.problems(raw, self._questionnaire(raw), self.conformance.terminology)
        if check.failed(issues):
            raise ValidationFailed("The Green Form response is not valid", issues=issues)
        return raw

    def _questionnaire(self, response: JSON) -> JSON:
        """The Green Form; the validator then checks the version the response names."""
        canonical = str(response.get("questionnaire", ""))
        if response.get("resourceType") == ROOT and canonical.partition("|")[0] != GREEN_FORM:
            raise ValidationFailed(f"OnePlan takes responses to {GREEN_FORM}, not {canonical!r}",
                                   expression=f"{ROOT}.questionnaire")
        return self.conformance.by_url("Questionnaire", GREEN_FORM)[0]

    def _bundle(self, response: JSON) -> JSON:
        items = submission(response).items
        if items.value("part") is not None and items.coding("part")["code"] == "feedback":
            return self._feedback(response)
        return self._referral(response)

    def _referral(self, response: JSON) -> JSON:
        """What the form writes now, given what its earlier versions wrote and feedback did."""
        stamp = submission(response).stamp
        task = self._current(f"Task/{task_id(stamp.id('ServiceRequest'))}")
        bundle = extract(response, task=task)
        previous = self._current(f"Provenance/{stamp.id('Provenance')}")
        if previous is not None:
            bundle["entry"] += stale_entries(previous, bundle)
        return bundle

    def _feedback(self, response: JSON) -> JSON:
        answer = feedback(response)
        reference = relative(answer.referral) or answer.referral
        referral = self._current(reference) if reference.startswith("ServiceRequest/") else None
        task = self._current(f"Task/{task_id(reference.split('/')[-1])}") if referral else None
        if referral is None or task is None:
            raise ValidationFailed(f"{answer.referral!r} is not a referral OnePlan knows",
                                   expression=answer.referral_expression)
        return apply_feedback(response, task, referral)

    def _current(self, url: str) -> JSON | None:
        assert self.who is not None
        return self.store.read(self.who, url)

    def _write(self, bundle: JSON) -> Submitted:
        assert self.who is not None
        written = self.store.transaction(self.who, bundle)
        urls = [entry["request"]["url"] for entry in bundle["entry"]]
        answers = [str(e.get("response", {}).get("status")) for e in written.get("entry", ())]
        statuses = dict(zip(urls, answers, strict=True))
        url = str(_put_url(bundle, "QuestionnaireResponse"))
        related = tuple(u for t in ("ServiceRequest", "Task") if (u := _put_url(bundle, t)))
        stored = self.store.read(self.who, url)
        assert stored is not None
        return Submitted(stored, statuses[url].startswith("201"), related)


def _put_url(bundle: JSON, resource_type: str) -> str | None:
    return next((e["request"]["url"] for e in bundle.get("entry", ())
                 if e["request"]["method"] == "PUT"
                 and e["request"]["url"].startswith(f"{resource_type}/")), None)
