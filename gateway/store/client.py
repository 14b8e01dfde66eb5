"""A FHIR R4 REST client for HAPI, on httpx (https://hl7.org/fhir/R4/http.html).

Reads return typed `fhir.resources.R4B` models. Every failure raises a `vocabulary.errors`
FhirServerError carrying HAPI's status and parsed OperationOutcome.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import httpx
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from gateway.store.retry import RetryPolicy, error_for
from vocabulary.errors import MalformedResponse, ServerUnavailable
from vocabulary.fhir import FHIR_JSON, JSON

R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class Written:
    """What HAPI answered to a create or update."""

    status: int
    location: str | None
    resource: Resource | None

    @property
    def created(self) -> bool:
        return self.status == 201


class FhirClient:
    def __init__(self, base_url: str, *, timeout: float = 10.0, retry: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                                  headers={"Accept": FHIR_JSON}, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FhirClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def capabilities(self) -> dict[str, Any]:
        return self._json(self._request("GET", "metadata"))

    def answers(self) -> bool:
        """Whether `metadata` answers 200 now, without retrying."""
        try:
            return self._http.get(f"{self.base_url}/metadata").status_code == 200
        except httpx.HTTPError:
            return False

    def read(self, model: type[R], resource_id: str) -> R:
        response = self._request("GET", f"{_type_name(model)}/{resource_id}")
        return _parse(model, self._json(response))

    def read_json(self, path: str) -> dict[str, Any]:
        """GET `Type/id` as plain JSON, for callers that work on dicts."""
        return self._json(self._request("GET", path))

    def search(self, resource_type: str, params: Mapping[str, str] | None = None
               ) -> Iterator[Bundle]:
        """Each page of a search, following `next` links (https://hl7.org/fhir/R4/http.html#paging)."""
        page = _parse(Bundle, self._json(self._request("GET", resource_type, params=params)))
        yield page
        while (url := _next_link(page)) is not None:
            page = _parse(Bundle, self._json(self._request("GET", url)))
            yield page

    def search_json(self, resource_type: str, params: Mapping[str, str] | None = None
                    ) -> list[JSON]:
        """Every matching resource of every page, as JSON."""
        page = self._json(self._request("GET", resource_type, params=params))
        found = [e["resource"] for e in page.get("entry", ()) if "resource" in e]
        while (url := _next_json(page)) is not None:
            page = self._json(self._request("GET", url))
            found += [e["resource"] for e in page.get("entry", ()) if "resource" in e]
        return found

    def search_all(self, resource_type: str, params: Mapping[str, str] | None = None
                   ) -> list[Resource]:
        return [e.resource for page in self.search(resource_type, params)
                for e in page.entry or [] if e.resource is not None]

    def create(self, resource: Resource, *, if_none_exist: str | None = None) -> Written:
        """POST; with `if_none_exist` a conditional create, which is safe to retry."""
        headers = {"If-None-Exist": if_none_exist} if if_none_exist else {}
        response = self._request("POST", resource.get_resource_type(), body=resource,
                                 headers=headers, idempotent=if_none_exist is not None)
        return _written(response)

    def update(self, resource: Resource, *, if_match: str | None = None) -> Written:
        """PUT by id; `if_match` is the version id the caller last read."""
        headers = {"If-Match": f'W/"{if_match}"'} if if_match else {}
        path = f"{resource.get_resource_type()}/{resource.id}"
        return _written(self._request("PUT", path, body=resource, headers=headers))

    def conditional_update(self, resource: Resource, criteria: Mapping[str, str]) -> Written:
        path = resource.get_resource_type()
        return _written(self._request("PUT", path, body=resource, params=criteria))

    def transaction(self, bundle: Mapping[str, Any]) -> JSON:
        """POST a transaction or batch Bundle (JSON); returns HAPI's response Bundle."""
        response = self._request("POST", "", body=dict(bundle), idempotent=_replayable(bundle))
        answer = self._json(response)
        if answer.get("resourceType") != "Bundle":
            raise MalformedResponse(f"expected a Bundle, got {answer.get('resourceType')!r}")
        return answer

    def validate(self, resource: Resource | Mapping[str, Any]) -> OperationOutcome:
        """`$validate`: the outcome, also when HAPI answers 400/412/422 for an invalid resource.

        HAPI refuses a bad required code (`gender: "bogus"`) at parse time with 400 HAPI-0450.
        """
        body = resource if isinstance(resource, Resource) else dict(resource)
        rtype = _resource_type(body)
        response = self._request("POST", f"{rtype}/$validate", body=body, idempotent=True,
                                 accept={400, 412, 422})
        return _parse(OperationOutcome, self._json(response))

    def validate_json(self, resource: Mapping[str, Any]) -> JSON:
        """`$validate` of a JSON resource: HAPI's OperationOutcome as JSON."""
        return self.validate(resource).model_dump(mode="json", exclude_none=True)

    def _request(self, method: str, path: str, *, body: Resource | dict[str, Any] | None = None,
                 params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
                 idempotent: bool | None = None, accept: frozenset[int] | set[int] = frozenset()
                 ) -> httpx.Response:
        url = path if path.startswith("http") else f"{self.base_url}/{path}".rstrip("/")
        request = self._http.build_request(method, url, params=params,
                                           headers=_headers(headers, body), content=_content(body))
        response = self._send(request, method != "POST" if idempotent is None else idempotent)
        if response.is_success or response.status_code in accept:
            return response
        raise error_for(response)

    def _send(self, request: httpx.Request, idempotent: bool) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                if not self.retry.after_error(exc, attempt, idempotent):
                    raise ServerUnavailable(
                        f"FHIR server unreachable at {request.url}: {exc!r}") from exc
                self._sleep(self.retry.delay(attempt, None))
            else:
                if not self.retry.after_status(response.status_code, attempt, idempotent):
                    return response
                self._sleep(self.retry.delay(attempt, response))
            attempt += 1

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise MalformedResponse(f"FHIR server sent invalid JSON ({response.status_code})",
                                    upstream_status=response.status_code) from exc
        if not isinstance(data, dict):
            raise MalformedResponse("FHIR server sent JSON that is not a resource",
                                    upstream_status=response.status_code)
        return data


def _type_name(model: type[Resource]) -> str:
    return str(model.get_resource_type())


def _parse(model: type[R], data: dict[str, Any]) -> R:
    expected = _type_name(model)
    if data.get("resourceType") != expected:
        raise MalformedResponse(f"expected a {expected}, got {data.get('resourceType')!r}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MalformedResponse(f"FHIR server sent an invalid {expected}: {exc}") from exc


def _written(response: httpx.Response) -> Written:
    location = response.headers.get("Content-Location") or response.headers.get("Location")
    resource = None
    if response.content:
        data = FhirClient._json(response)
        model = cast(type[Resource], get_fhir_model_class(str(data.get("resourceType"))))
        resource = _parse(model, data)
    return Written(response.status_code, location, resource)


def _resource_type(body: Resource | dict[str, Any]) -> str:
    return _type_name(type(body)) if isinstance(body, Resource) else str(body["resourceType"])


def _next_link(bundle: Bundle) -> str | None:
    return next((str(link.url) for link in bundle.link or [] if link.relation == "next"), None)


def _next_json(page: Mapping[str, Any]) -> str | None:
    return next((str(link["url"]) for link in page.get("link", ())
                 if link.get("relation") == "next"), None)


def _replayable(bundle: Mapping[str, Any]) -> bool:
    """A transaction may be re-sent only if each entry is a PUT, GET, DELETE or conditional POST."""
    for entry in bundle.get("entry", ()):
        request = entry.get("request") or {}
        if not request or (request.get("method") == "POST" and not request.get("ifNoneExist")):
            return False
    return True


def _headers(extra: Mapping[str, str] | None, body: object) -> dict[str, str]:
    headers = dict(extra or {})
    if body is not None:
        headers["Content-Type"] = FHIR_JSON
    return headers


def _content(body: Resource | dict[str, Any] | None) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, Resource):
        return body.model_dump_json(exclude_none=True).encode()
    return json.dumps(body).encode()
