"""When to retry a FHIR call, and which error a failed response becomes.

Non-idempotent requests (a plain POST) are retried only when the server cannot have acted on
them: the connection was never made, or the server answered 429.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from vocabulary.errors import (
    AmbiguousMatch,
    FhirServerError,
    ResourceConflict,
    ServerGone,
    ServerNotFound,
    ServerRejected,
    ServerUnavailable,
    VersionConflict,
)

RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# HAPI reports a stale If-Match as 409 with one of these codes; other servers use 412.
VERSION_CONFLICT_CODES = ("HAPI-0550", "HAPI-0989")
# A conditional create or update whose criteria matched more than one resource.
MULTIPLE_MATCH_CODES = ("HAPI-0958", "HAPI-0988")

ERRORS: dict[int, type[FhirServerError]] = {
    400: ServerRejected,
    404: ServerNotFound,
    409: ResourceConflict,
    410: ServerGone,
    412: VersionConflict,
    422: ServerRejected,
    429: ServerUnavailable,
    502: ServerUnavailable,
    503: ServerUnavailable,
    504: ServerUnavailable,
}


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff: float = 0.2
    cap: float = 5.0

    def after_status(self, status: int, attempt: int, idempotent: bool) -> bool:
        if attempt >= self.attempts or status not in RETRYABLE_STATUS:
            return False
        return idempotent or status == 429

    def after_error(self, exc: httpx.TransportError, attempt: int, idempotent: bool) -> bool:
        return attempt < self.attempts and (idempotent or isinstance(exc, NOT_SENT))

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        retry_after = response.headers.get("Retry-After", "") if response is not None else ""
        if retry_after.isdigit():
            return min(float(retry_after), self.cap)
        return float(min(self.backoff * 2**attempt, self.cap))


def error_for(response: httpx.Response) -> FhirServerError:
    status = response.status_code
    outcome = _outcome(response)
    text = _diagnostics(outcome)
    cls = ERRORS.get(status) or (ServerRejected if status < 500 else FhirServerError)
    if cls is ResourceConflict and any(code in text for code in VERSION_CONFLICT_CODES):
        cls = VersionConflict
    if status in (400, 412) and any(code in text for code in MULTIPLE_MATCH_CODES):
        cls = AmbiguousMatch
    message = f"FHIR server answered {status}" + (f": {text}" if text else "")
    wait = response.headers.get("Retry-After", "")
    return cls(message, upstream_status=status, outcome=outcome,
               retry_after=float(wait) if wait.isdigit() else None)


def _outcome(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    is_outcome = isinstance(data, dict) and data.get("resourceType") == "OperationOutcome"
    return data if is_outcome else None


def _diagnostics(outcome: dict[str, Any] | None) -> str:
    issues = outcome.get("issue", []) if outcome else []
    return "; ".join(str(i.get("diagnostics", "")) for i in issues if isinstance(i, dict))
