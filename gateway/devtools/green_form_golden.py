"""Golden outputs of the Green Form fixtures in `fixtures/green-form/{valid,invalid}/`.

A valid referral's golden output is its whole extraction Bundle. A valid feedback response's is
the Bundle `apply_feedback` makes from the Task and ServiceRequest as the server would hold them
after its referral and any earlier feedback (see `Server`). An invalid response's is the
OperationOutcome the gateway answers with. `fixtures/green-form/regenerate.py` rewrites them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from mappings.datatypes import JSON
from mappings.green_form import check
from mappings.green_form.extract import extract
from mappings.green_form.feedback import apply_feedback
from mappings.green_form.form import feedback, submission
from mappings.green_form.referral import task_id
from mappings.sdc import Terminology, load_profiles
from vocabulary.data import PROFILES, package_dir
from vocabulary.errors import Issue, ValidationFailed, VersionConflict
from vocabulary.outcome import operation_outcome

FIXTURES = package_dir("fixtures") / "green-form"
BUNDLES = package_dir("fixtures") / "bundles"
QUESTIONNAIRE = PROFILES / "fsh-generated" / "resources" / "Questionnaire-green-form.json"
EXPECTED = ".expected.json"
INVALID = "The Green Form response is not valid"


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


def problems(response: Mapping[str, Any]) -> list[Issue]:
    """What the gateway reports about a response (`mappings.green_form.check`)."""
    return check.problems(response, questionnaire(), terminology())


def render(case: Case) -> JSON:
    """The case's Bundle, or the OperationOutcome of why the response is not valid."""
    response = case.raw()
    issues = problems(response)
    if any(i.severity in ("error", "fatal") for i in issues):
        return operation_outcome(ValidationFailed(INVALID, issues=issues))
    return feedback_bundle(case) if case.is_feedback else extract(response)


def feedback_bundle(case: Case) -> JSON:
    """`apply_feedback` against the server's state after the referral and earlier feedback."""
    answer = feedback(case.raw())
    server = Server.loaded()
    referral = next(c for c in cases() if c.valid and not c.is_feedback
                    and _service_request(c) == answer.referral)
    server.transact(extract(referral.raw()))
    for earlier in _earlier_feedback(case, answer.referral):
        server.transact(_applied(server, earlier.raw(), answer.referral))
    return _applied(server, case.raw(), answer.referral)


def _service_request(case: Case) -> str:
    return next(str(e["request"]["url"]) for e in extract(case.raw())["entry"]
                if e["resource"]["resourceType"] == "ServiceRequest")


def _earlier_feedback(case: Case, referral: str) -> list[Case]:
    authored = datetime.fromisoformat(case.raw()["authored"])
    return sorted((c for c in cases() if c.valid and c.is_feedback
                   and feedback(c.raw()).referral == referral
                   and datetime.fromisoformat(c.raw()["authored"]) < authored),
                  key=lambda c: datetime.fromisoformat(c.raw()["authored"]))


def _applied(server: Server, response: JSON, referral: str) -> JSON:
    task = server.read(f"Task/{task_id(referral.split('/')[-1])}")
    return apply_feedback(response, task, server.read(referral))


class Server:
    """What a FHIR server holds after transactions, as far as the goldens and tests need: PUT
    versions each resource, a conditional create matches on `identifier=system|value`, and
    `urn:uuid` references become the matched or created resource's `Type/id`."""

    def __init__(self, resources: Iterable[JSON] = ()) -> None:
        self.resources: dict[str, JSON] = {}
        for resource in resources:
            self._store(f"{resource['resourceType']}/{resource['id']}", resource)

    @classmethod
    def loaded(cls) -> Server:
        """The fixture bundles `make run` loads: the CAST organizations, the Rivera family."""
        paths = sorted(BUNDLES.glob("*.json"))
        bundles = (json.loads(p.read_text(encoding="utf-8")) for p in paths)
        return cls(e["resource"] for b in bundles for e in b.get("entry", ()))

    def read(self, url: str) -> JSON:
        return copy.deepcopy(self.resources[url])

    def transact(self, bundle: Mapping[str, Any]) -> dict[str, str]:
        """Apply a transaction; returns each entry's fullUrl -> the `Type/id` it became."""
        entries = list(bundle.get("entry", ()))
        urls = {e["fullUrl"]: self._target(e) for e in entries if "fullUrl" in e}
        for entry in entries:
            request = entry["request"]
            if request["method"] == "DELETE":
                self.resources.pop(request["url"], None)
                continue
            url = urls[entry["fullUrl"]]
            if request["method"] == "PUT" or url not in self.resources:
                self._check_version(url, request.get("ifMatch"))
                self._store(url, resolved(entry["resource"], urls))
        return urls

    def _target(self, entry: JSON) -> str:
        request = entry["request"]
        if request["method"] != "POST":
            return str(request["url"])
        found = self.matching(request["url"], request["ifNoneExist"].removeprefix("identifier="))
        return found or f"{request['url']}/{entry['fullUrl'].rsplit(':', 1)[-1]}"

    def matching(self, resource_type: str, token: str) -> str | None:
        system, _, value = token.partition("|")
        return next((url for url, r in self.resources.items()
                     if r["resourceType"] == resource_type
                     and any(i.get("system") == system and i.get("value") == value
                             for i in r.get("identifier", ()))), None)

    def _check_version(self, url: str, if_match: str | None) -> None:
        current = self.resources.get(url, {}).get("meta", {}).get("versionId")
        if if_match is not None and if_match != f'W/"{current}"':
            raise VersionConflict(f"{url} is at version {current}, not {if_match}",
                                  upstream_status=409)

    def _store(self, url: str, resource: Mapping[str, Any]) -> None:
        old = self.resources.get(url, {}).get("meta", {}).get("versionId", "0")
        meta = {**resource.get("meta", {}), "versionId": str(int(old) + 1)}
        self.resources[url] = {**copy.deepcopy(dict(resource)), "id": url.split("/")[1],
                               "meta": meta}


def resolved(node: Any, urls: Mapping[str, str]) -> Any:
    """`node` with each reference to a bundle entry's fullUrl replaced by where it went."""
    if isinstance(node, Mapping):
        return {k: (urls.get(v, v) if k == "reference" and isinstance(v, str)
                    else resolved(v, urls)) for k, v in node.items()}
    if isinstance(node, list):
        return [resolved(item, urls) for item in node]
    return node


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_all() -> Iterator[Path]:
    for case in cases():
        case.expected.write_text(dumps(render(case)), encoding="utf-8")
        yield case.expected
