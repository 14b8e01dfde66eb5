"""Golden outputs of the Green Form fixtures in `fixtures/green-form/{valid,invalid}/`.

A valid response's golden output is the transaction Bundle its plan (`mappings.green_form.plan`,
the same the gateway runs) writes against the in-memory `Server` holding the fixture bundles and
the response's history: nothing for a referral; for feedback, its referral and the earlier
feedback about it. An invalid response's is the OperationOutcome the gateway answers with.
`fixtures/green-form/regenerate.py` rewrites them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from mappings.green_form import check, plan
from mappings.green_form.form import Feedback, Form, Referral, parse, submission
from mappings.green_form.plan import Stored
from mappings.green_form.provenance import relative
from mappings.sdc import Terminology, load_profiles
from vocabulary.data import PROFILES, package_dir
from vocabulary.errors import FhirServerError, ValidationFailed, VersionConflict
from vocabulary.fhir import JSON
from vocabulary.outcome import operation_outcome

FIXTURES = package_dir("fixtures") / "green-form"
BUNDLES = package_dir("fixtures") / "bundles"
QUESTIONNAIRE = PROFILES / "fsh-generated" / "resources" / "Questionnaire-green-form.json"
EXPECTED = ".expected.json"
# The fixtures are set in 2026; their clock is pinned here.
TODAY = date(2026, 9, 1)


@dataclass(frozen=True)
class Case:
    path: Path

    @property
    def valid(self) -> bool:
        return self.path.parent.name == "valid"

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"

    @property
    def expected(self) -> Path:
        return self.path.with_name(self.path.stem + EXPECTED)

    def raw(self) -> JSON:
        doc: JSON = json.loads(self.path.read_text(encoding="utf-8"))
        return doc

    @property
    def is_feedback(self) -> bool:
        part = submission(self.raw()).items.value("part") or {}
        return bool(part.get("code") == "feedback")


def cases() -> list[Case]:
    return [Case(p) for p in sorted(FIXTURES.glob("*/*.json")) if not p.name.endswith(EXPECTED)]


@cache
def questionnaire() -> JSON:
    doc: JSON = json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))
    return doc


@cache
def terminology() -> Terminology:
    return load_profiles(PROFILES)


def checked(response: Mapping[str, Any]) -> Form:
    """The form read, as the gateway checks it (`mappings.green_form.check`)."""
    return check.checked(response, questionnaire(), terminology(), TODAY)


def render(case: Case) -> JSON:
    """The case's Bundle, as the plan builds it against the server after the case's history,
    or the OperationOutcome of why the response is not valid."""
    try:
        form = checked(case.raw())
    except ValidationFailed as error:
        return operation_outcome(error)
    server = Server.loaded()
    for earlier in history(form):
        server.submit(earlier)
    return server.planned(form)


def history(form: Form) -> list[Form]:
    """What the server holds before a feedback response: its referral, and the feedback
    about it authored earlier, oldest first. A referral has no history."""
    if not isinstance(form, Feedback):
        return []
    referral = relative(form.referral)
    forms = [parse(c.raw()) for c in cases() if c.valid]
    first = next(f for f in forms if isinstance(f, Referral) and _service_request(f) == referral)
    authored = datetime.fromisoformat(form.submission.authored)
    earlier = sorted((f for f in forms if isinstance(f, Feedback)
                      and relative(f.referral) == referral
                      and datetime.fromisoformat(f.submission.authored) < authored),
                     key=lambda f: datetime.fromisoformat(f.submission.authored))
    return [first, *earlier]


def _service_request(form: Referral) -> str:
    return f"ServiceRequest/{form.submission.stamp.id('ServiceRequest')}"


class Server:
    """A FHIR server in memory, as far as the goldens and tests need, answering like HAPI: reads
    and batches of reads; transactions, atomic, where PUT versions each resource, DELETE
    removes it, and a stale If-Match is 409 HAPI-0550 (the plans write nothing else).
    `answer` takes an HTTP request, for tests that serve it at the transport."""

    def __init__(self, resources: Iterable[JSON] = ()) -> None:
        self.resources: dict[str, JSON] = {}
        for resource in resources:
            url = f"{resource['resourceType']}/{resource['id']}"
            self.resources[url] = _versioned(resource, url, self.resources)

    @classmethod
    def loaded(cls) -> Server:
        """The fixture bundles `make run` loads: the CAST organizations, the Rivera family."""
        paths = sorted(BUNDLES.glob("*.json"))
        bundles = (json.loads(p.read_text(encoding="utf-8")) for p in paths)
        return cls(e["resource"] for b in bundles for e in b.get("entry", ()))

    def read(self, url: str) -> JSON:
        return copy.deepcopy(self.resources[url])

    def read_many(self, urls: Iterable[str]) -> dict[str, JSON | None]:
        return {url: self.read(url) if url in self.resources else None for url in urls}

    def planned(self, form: Form) -> JSON:
        """The transaction the form's plan writes, given what this server holds."""
        return plan.bundle(form, self.read_many(plan.reads(form)))

    def submit(self, form: Form) -> Stored:
        """What the gateway does with a checked form: read, build, write."""
        sent = plan.bundle(form, self.read_many(plan.reads(form)))
        return plan.stored(sent, self.transaction(sent))

    def transact(self, bundle: Mapping[str, Any]) -> dict[str, str]:
        """Apply a transaction; returns each entry's fullUrl -> the `Type/id` it became."""
        return self._apply(bundle)[0]

    def transaction(self, bundle: Mapping[str, Any]) -> JSON:
        """Apply a transaction; the transaction-response Bundle (resources only for GETs)."""
        answers = self._apply(bundle)[1]
        return {"resourceType": "Bundle", "type": "transaction-response", "entry": answers}

    def batch(self, bundle: Mapping[str, Any]) -> JSON:
        """A batch of GETs (https://hl7.org/fhir/R4/http.html#transaction)."""
        entries = [self._get(e["request"]["url"]) for e in bundle.get("entry", ())]
        return {"resourceType": "Bundle", "type": "batch-response", "entry": entries}

    def answer(self, method: str, path: str, body: Mapping[str, Any] | None = None
               ) -> tuple[int, JSON]:
        """The HTTP status and body HAPI gives: GET `Type/id`, POST a batch or transaction
        Bundle to the base (`path` empty)."""
        if method == "GET" and path.count("/") == 1:
            entry = self._get(path)
            return int(entry["response"]["status"][:3]), entry.get("resource", _NOT_FOUND)
        if method == "POST" and not path and body is not None:
            try:
                if body.get("type") == "batch":
                    return 200, self.batch(body)
                return 200, self.transaction(body)
            except FhirServerError as error:
                return int(error.upstream_status or 500), error.outcome or {}
        return 400, _outcome(f"The fake server does not do {method} {path!r}")

    def _get(self, url: str) -> JSON:
        if url in self.resources:
            return {"resource": self.read(url), "response": {"status": "200 OK"}}
        return {"resource": _NOT_FOUND, "response": {"status": "404 Not Found"}}

    def _apply(self, bundle: Mapping[str, Any]) -> tuple[dict[str, str], list[JSON]]:
        """All or nothing: the entries are applied to a copy, kept only if every one succeeds;
        GETs are answered after every write, as HAPI does."""
        entries = list(bundle.get("entry", ()))
        held = dict(self.resources)
        urls = {e["fullUrl"]: str(e["request"]["url"]) for e in entries if "fullUrl" in e}
        writes = {n: self._entry(held, e) for n, e in enumerate(entries)
                  if e["request"]["method"] != "GET"}
        self.resources = held
        answers = [writes[n] if n in writes else self._get(e["request"]["url"])
                   for n, e in enumerate(entries)]
        return urls, answers

    def _entry(self, held: dict[str, JSON], entry: JSON) -> JSON:
        request = entry["request"]
        if request["method"] == "DELETE":
            held.pop(request["url"], None)
            return {"response": {"status": "204 No Content"}}
        url = str(request["url"])
        if request["method"] != "PUT":
            text = f"The fake server does not do {request['method']} in a transaction"
            raise FhirServerError(text, upstream_status=400, outcome=_outcome(text))
        new = url not in held
        _check_version(held, url, request.get("ifMatch"))
        held[url] = _versioned(entry["resource"], url, held)
        version = held[url]["meta"]["versionId"]
        return {"response": {"status": "201 Created" if new else "200 OK",
                             "location": f"{url}/_history/{version}", "etag": f'W/"{version}"'}}


def _outcome(diagnostics: str, code: str = "processing") -> JSON:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}]}


_NOT_FOUND = _outcome("HAPI-2001: Resource is not known", "not-found")


def _check_version(held: Mapping[str, JSON], url: str, if_match: str | None) -> None:
    current = held.get(url, {}).get("meta", {}).get("versionId")
    if if_match is not None and if_match != f'W/"{current}"':
        text = f"HAPI-0550: {url} is at version {current}, not {if_match}"
        raise VersionConflict(f"FHIR server answered 409: {text}", upstream_status=409,
                              outcome=_outcome(text, "conflict"))


def _versioned(resource: Mapping[str, Any], url: str, held: Mapping[str, JSON]) -> JSON:
    """`resource` as stored at `url` (`Type/id`): the next version."""
    old = held.get(url, {}).get("meta", {}).get("versionId", "0")
    meta = {**resource.get("meta", {}), "versionId": str(int(old) + 1)}
    return {**copy.deepcopy(dict(resource)), "id": url.split("/")[1], "meta": meta}


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_all() -> Iterator[Path]:
    for case in cases():
        case.expected.write_text(dumps(render(case)), encoding="utf-8")
        yield case.expected
