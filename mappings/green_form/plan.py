"""The referral and feedback flow of one checked Green Form, as data: which resources to read
before writing, then the one transaction Bundle to write, given what the reads found.

Pure, so the gateway runs it against the FHIR server (one batch read, one transaction) and
the golden harness against its in-memory server, with the same result.

- A referral (or a draft of one) reads its Task, which feedback may have moved along, and the
  Provenance its earlier version wrote, whose targets the new version may no longer write.
- Feedback reads the ServiceRequest it answers and that referral's Task.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mappings.green_form.extract import extracted
from mappings.green_form.feedback import applied
from mappings.green_form.form import Feedback, Form, Referral, Submission
from mappings.green_form.parties import guardian, parties, source_patient
from mappings.green_form.provenance import relative, stale_entries
from mappings.green_form.referral import task_id
from mappings.sdc.paths import ROOT
from vocabulary.errors import MalformedResponse, ValidationFailed
from vocabulary.fhir import JSON

Found = Mapping[str, JSON | None]
RELATED = ("ServiceRequest", "Task")


def reads(form: Form) -> tuple[str, ...]:
    """The `Type/id` of each resource the transaction depends on, to read in one batch."""
    if isinstance(form, Feedback):
        referral = _service_request(form)
        return (referral, _task_of(referral)) if referral else ()
    stamp = _submission(form).stamp
    return (f"Task/{task_id(stamp.id('ServiceRequest'))}", f"Provenance/{stamp.id('Provenance')}")


def keys(form: Form) -> tuple[str | None, str]:
    """The child a form is about, as the key its writes are ordered by: the form's own source
    Patient (None when only its referral tells), and that referral's ServiceRequest
    (`Type/id`)."""
    if isinstance(form, Feedback):
        referral = _service_request(form)
        return None, referral or f"ServiceRequest/{form.referral}"
    topic = f"ServiceRequest/{_submission(form).stamp.id('ServiceRequest')}"
    child = _submission(form).stamp.ref("Patient")["reference"]
    return (child if isinstance(form, Referral) else None), topic


def child(form: Form) -> list[JSON]:
    """The child a referral names, as the identity index keeps it: the Patient the form
    writes at its own id (the source) and its guardian. A feedback response names no child."""
    if not isinstance(form, Referral):
        return []
    stamp, practice = form.submission.stamp, parties(form).pcp_org.ref
    return [source_patient(form, practice), guardian(stamp, form.guardian, stamp.ref("Patient"))]


def bundle(form: Form, found: Found) -> JSON:
    """The transaction to write, given what the `reads` found (a missing resource is None)."""
    if isinstance(form, Feedback):
        return _feedback(form, found)
    task, previous = (found.get(url) for url in reads(form))
    written = extracted(form, task)
    if previous is not None:
        written["entry"] += stale_entries(previous, written)
    return written


def _feedback(form: Feedback, found: Found) -> JSON:
    referral = _service_request(form)
    service_request = found.get(referral) if referral else None
    task = found.get(_task_of(referral)) if referral else None
    if service_request is None or task is None:
        raise ValidationFailed(f"{form.referral!r} is not a referral OnePlan knows",
                               expression=form.referral_expression)
    return applied(form, task, service_request)


def _service_request(form: Feedback) -> str | None:
    reference = relative(form.referral) or form.referral
    return reference if reference.startswith("ServiceRequest/") else None


def _task_of(service_request: str) -> str:
    return f"Task/{task_id(service_request.split('/')[-1])}"


def _submission(form: Submission | Referral) -> Submission:
    return form if isinstance(form, Submission) else form.submission


@dataclass(frozen=True)
class Stored:
    """What a submission wrote: the response as stored, whether it was new, and the
    referral's ServiceRequest and Task (`Type/id`) it wrote."""

    response: JSON
    created: bool
    related: tuple[str, ...]


def stored(sent: JSON, answer: JSON) -> Stored:
    """The outcome of `sent` (a `bundle`) from the server's transaction-response `answer`.
    The server keeps what a PUT carries, so the stored response is the one sent, with the
    version and time the server gave it (https://hl7.org/fhir/R4/http.html#trules): no
    read-back, and no written resource asked back."""
    url = _put_url(sent, ROOT)
    pairs = zip(sent["entry"], answer.get("entry", ()), strict=True)
    empty: tuple[JSON, JSON] = ({}, {})
    entry, result = next(((e, r.get("response", {})) for e, r in pairs
                          if e["request"] == {"method": "PUT", "url": url}), empty)
    version = _version(result)
    if version is None:
        raise MalformedResponse("The FHIR server's transaction response does not give the "
                                "stored QuestionnaireResponse's version")
    response = entry["resource"]
    meta = {**response.get("meta", {}), "versionId": version,
            **({"lastUpdated": result["lastModified"]} if "lastModified" in result else {})}
    related = tuple(u for t in RELATED if (u := _put_url(sent, t)))
    return Stored({**response, "meta": meta}, str(result.get("status", "")).startswith("201"),
                  related)


def _version(result: JSON) -> str | None:
    """The version a transaction-response entry gives: its ETag (W/"n"), or its location's
    `_history/n`."""
    etag = str(result.get("etag", ""))
    if etag.startswith('W/"') and etag.endswith('"') and len(etag) > 4:
        return etag[3:-1]
    _, marker, version = str(result.get("location", "")).rpartition("/_history/")
    return version if marker and version else None


def _put_url(sent: JSON, resource_type: str) -> str | None:
    return next((e["request"]["url"] for e in sent["entry"]
                 if e["request"]["method"] == "PUT"
                 and e["request"]["url"].startswith(f"{resource_type}/")), None)

