"""Every error OnePlan raises on purpose, in one place, as data.

Each class fixes a FHIR issue type (https://hl7.org/fhir/R4/valueset-issue-type.html) and a
stable code that clients may match on. The pure packages raise them; the gateway decides the
HTTP status (`gateway.http.statuses`) and turns each into an OperationOutcome in one handler.

    OnePlanError                  exception        internal-error
    ├── InvalidRequest            invalid          invalid-request
    │   ├── MalformedJson         structure        malformed-json
    │   └── UnsupportedParameter  not-supported    unsupported-parameter
    ├── UnsupportedMediaType      not-supported    unsupported-media-type
    ├── NotAcceptable             not-supported    not-acceptable
    ├── MethodNotAllowed          not-supported    method-not-allowed
    ├── PayloadTooLarge           too-costly       payload-too-large
    ├── RequestTimeout            timeout          request-timeout    (body not sent in time)
    ├── ValidationFailed          invalid          validation-failed
    │   ├── UnmappableRecord      not-supported    unmappable-record
    │   └── TooComplex            too-costly       too-complex        (nesting, repeats)
    ├── NotFound                  not-found        not-found
    ├── FhirServerError           exception        fhir-server-error  (HAPI answered badly)
    │   ├── ServerNotFound        not-found        fhir-not-found
    │   ├── ServerGone            deleted          fhir-gone
    │   ├── ServerRejected        processing       fhir-rejected      (HAPI's 400/422)
    │   ├── VersionConflict       conflict         version-conflict   (HAPI-0550/0989 409, or 412)
    │   ├── AmbiguousMatch        multiple-matches ambiguous-match    (HAPI-0958: a conditional
    │   │                                                              create matched several)
    │   ├── ResourceConflict      conflict         resource-conflict  (any other 409)
    │   ├── MalformedResponse     exception        malformed-response
    │   └── ServerUnavailable     transient        fhir-unavailable   (429, 5xx, timeout)
    ├── DatabaseUnavailable       transient        database-unavailable (the gateway's own)
    ├── StaleDecision             conflict         stale-decision     (an identity decision
    │                                                                  made on an old version)
    ├── InvalidQuestionnaire      exception        invalid-questionnaire (served form broken)
    ├── TerminologyError          exception        terminology        (profiles/ lack an answer)
    │   └── UnknownValueSet       exception        unknown-value-set
    └── LocalHapiError            exception        local-hapi         (dev tooling)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

Severity = Literal["fatal", "error", "warning", "information"]


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome.issue. `expression` is a FHIRPath-like path to the field at fault."""

    diagnostics: str
    expression: str | None = None
    code: str | None = None
    severity: Severity = "error"


class OnePlanError(Exception):
    issue_code: ClassVar[str] = "exception"
    stable_code: ClassVar[str] = "internal-error"

    def __init__(self, message: str, *, expression: str | None = None,
                 issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or [Issue(message, expression)]


class InvalidRequest(OnePlanError):
    issue_code = "invalid"
    stable_code = "invalid-request"


class MalformedJson(InvalidRequest):
    issue_code = "structure"
    stable_code = "malformed-json"


class UnsupportedParameter(InvalidRequest):
    issue_code = "not-supported"
    stable_code = "unsupported-parameter"


class UnsupportedMediaType(OnePlanError):
    issue_code = "not-supported"
    stable_code = "unsupported-media-type"


class NotAcceptable(OnePlanError):
    issue_code = "not-supported"
    stable_code = "not-acceptable"


class MethodNotAllowed(OnePlanError):
    issue_code = "not-supported"
    stable_code = "method-not-allowed"

    def __init__(self, message: str, *, allow: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.allow = allow


class PayloadTooLarge(OnePlanError):
    issue_code = "too-costly"
    stable_code = "payload-too-large"


class RequestTimeout(OnePlanError):
    issue_code = "timeout"
    stable_code = "request-timeout"


class ValidationFailed(OnePlanError):
    issue_code = "invalid"
    stable_code = "validation-failed"



class UnmappableRecord(ValidationFailed):
    issue_code = "not-supported"
    stable_code = "unmappable-record"




class TooComplex(ValidationFailed):
    issue_code = "too-costly"
    stable_code = "too-complex"


class NotFound(OnePlanError):
    issue_code = "not-found"
    stable_code = "not-found"



class FhirServerError(OnePlanError):
    """The FHIR server answered with an error. Carries its status and parsed OperationOutcome."""

    stable_code = "fhir-server-error"

    def __init__(self, message: str, *, upstream_status: int | None = None,
                 outcome: dict[str, Any] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.upstream_status = upstream_status
        self.outcome = outcome
        self.retry_after = retry_after


class ServerNotFound(FhirServerError):
    issue_code = "not-found"
    stable_code = "fhir-not-found"


class ServerGone(FhirServerError):
    issue_code = "deleted"
    stable_code = "fhir-gone"


class ServerRejected(FhirServerError):
    issue_code = "processing"
    stable_code = "fhir-rejected"


class VersionConflict(FhirServerError):
    issue_code = "conflict"
    stable_code = "version-conflict"


class AmbiguousMatch(FhirServerError):
    issue_code = "multiple-matches"
    stable_code = "ambiguous-match"


class ResourceConflict(FhirServerError):
    issue_code = "conflict"
    stable_code = "resource-conflict"


class MalformedResponse(FhirServerError):
    stable_code = "malformed-response"


class ServerUnavailable(FhirServerError):
    issue_code = "transient"
    stable_code = "fhir-unavailable"


class StaleDecision(OnePlanError):
    issue_code = "conflict"
    stable_code = "stale-decision"


class DatabaseUnavailable(OnePlanError):
    issue_code = "transient"
    stable_code = "database-unavailable"


class InvalidQuestionnaire(OnePlanError):
    """The Questionnaire itself breaks a rule, so no response to it can be judged."""

    stable_code = "invalid-questionnaire"


class TerminologyError(OnePlanError):
    """The ValueSets and CodeSystems OnePlan holds cannot answer the question."""

    stable_code = "terminology"


class UnknownValueSet(TerminologyError):
    stable_code = "unknown-value-set"


class LocalHapiError(OnePlanError):
    """The local HAPI in `hapi/` could not be built or started (developer tooling only)."""

    stable_code = "local-hapi"
