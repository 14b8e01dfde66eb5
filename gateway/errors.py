"""Every error OnePlan raises on purpose, in one place.

One handler (`gateway.outcome`) turns any of them into a FHIR OperationOutcome with the
error's HTTP status. Each class fixes an HTTP status, a FHIR issue type
(https://hl7.org/fhir/R4/valueset-issue-type.html) and a stable code that clients may match on.

    OnePlanError                 500 exception   internal-error
    ├── InvalidRequest           400 invalid     invalid-request
    │   ├── MalformedJson        400 structure   malformed-json
    │   └── UnsupportedParameter 400 not-supported unsupported-parameter
    ├── PayloadTooLarge          413 too-costly  payload-too-large
    ├── ValidationFailed         422 invalid     validation-failed
    │   ├── UnknownCode          422 code-invalid unknown-code
    │   └── UnmappableRecord     422 not-supported unmappable-record
    ├── NotAuthenticated         401 login       not-authenticated
    ├── AccessDenied             403 forbidden   access-denied
    ├── NotFound                 404 not-found   not-found
    ├── Gone                     410 deleted     gone
    ├── FhirServerError          502 exception   fhir-server-error   (HAPI answered badly)
    │   ├── ServerNotFound       404 not-found   fhir-not-found
    │   ├── ServerGone           410 deleted     fhir-gone
    │   ├── ServerRejected       422 processing  fhir-rejected       (HAPI's 400/422)
    │   ├── VersionConflict      409 conflict    version-conflict    (HAPI-0550/0989 409, or 412)
    │   ├── ResourceConflict     409 conflict    resource-conflict   (any other 409)
    │   ├── MalformedResponse    502 exception   malformed-response
    │   └── ServerUnavailable    503 transient   fhir-unavailable    (429, 5xx, timeout, refused)
    ├── InvalidQuestionnaire     500 exception   invalid-questionnaire (served form broken)
    ├── TerminologyError         500 exception   terminology         (profiles/ lack a code answer)
    │   └── UnknownValueSet      500 exception   unknown-value-set
    └── LocalHapiError           500 exception   local-hapi          (dev tooling: build or start)
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
    status: ClassVar[int] = 500
    issue_code: ClassVar[str] = "exception"
    stable_code: ClassVar[str] = "internal-error"

    def __init__(self, message: str, *, expression: str | None = None,
                 issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or [Issue(message, expression)]


class InvalidRequest(OnePlanError):
    status = 400
    issue_code = "invalid"
    stable_code = "invalid-request"


class MalformedJson(InvalidRequest):
    issue_code = "structure"
    stable_code = "malformed-json"


class UnsupportedParameter(InvalidRequest):
    issue_code = "not-supported"
    stable_code = "unsupported-parameter"


class PayloadTooLarge(OnePlanError):
    status = 413
    issue_code = "too-costly"
    stable_code = "payload-too-large"


class ValidationFailed(OnePlanError):
    status = 422
    issue_code = "invalid"
    stable_code = "validation-failed"


class UnknownCode(ValidationFailed):
    issue_code = "code-invalid"
    stable_code = "unknown-code"


class UnmappableRecord(ValidationFailed):
    issue_code = "not-supported"
    stable_code = "unmappable-record"


class NotAuthenticated(OnePlanError):
    status = 401
    issue_code = "login"
    stable_code = "not-authenticated"


class AccessDenied(OnePlanError):
    status = 403
    issue_code = "forbidden"
    stable_code = "access-denied"


class NotFound(OnePlanError):
    status = 404
    issue_code = "not-found"
    stable_code = "not-found"


class Gone(OnePlanError):
    status = 410
    issue_code = "deleted"
    stable_code = "gone"


class FhirServerError(OnePlanError):
    """The FHIR server answered with an error. Carries its status and parsed OperationOutcome."""

    status = 502
    stable_code = "fhir-server-error"

    def __init__(self, message: str, *, upstream_status: int | None = None,
                 outcome: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.upstream_status = upstream_status
        self.outcome = outcome


class ServerNotFound(FhirServerError):
    status = 404
    issue_code = "not-found"
    stable_code = "fhir-not-found"


class ServerGone(FhirServerError):
    status = 410
    issue_code = "deleted"
    stable_code = "fhir-gone"


class ServerRejected(FhirServerError):
    status = 422
    issue_code = "processing"
    stable_code = "fhir-rejected"


class VersionConflict(FhirServerError):
    status = 409
    issue_code = "conflict"
    stable_code = "version-conflict"


class ResourceConflict(FhirServerError):
    status = 409
    issue_code = "conflict"
    stable_code = "resource-conflict"


class MalformedResponse(FhirServerError):
    stable_code = "malformed-response"


class ServerUnavailable(FhirServerError):
    status = 503
    issue_code = "transient"
    stable_code = "fhir-unavailable"


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
