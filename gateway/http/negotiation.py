"""Content negotiation: the gateway speaks JSON only (https://hl7.org/fhir/R4/http.html#mime-type).

A request body must be `application/fhir+json` or `application/json` (415 otherwise), and the
`_format` parameter, else the `Accept` header, must allow what the route answers (406 otherwise).
`FhirRoute` applies both to every route before the route reads its body.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from vocabulary.errors import NotAcceptable, UnsupportedMediaType
from vocabulary.fhir import FHIR_JSON

JSON_TYPES = frozenset({FHIR_JSON, "application/json", "application/json+fhir"})
# https://hl7.org/fhir/R4/http.html#parameters: `_format` names a format or a mime type.
JSON_FORMATS = JSON_TYPES | {"json"}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class FhirRoute(APIRoute):
    """An APIRoute that refuses bodies it cannot read and answers it cannot give, first."""

    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()
        declared = getattr(self.response_class, "media_type", None) or "application/json"
        produces = str(declared).split(";")[0].strip()  # its parameters are not negotiated
        reads_body = self.body_field is not None

        async def negotiated(request: Request) -> Response:
            if reads_body:
                check_content_type(request)
            check_accept(request, produces)
            return await handle(request)

        return negotiated


def check_content_type(request: Request) -> None:
    """A body without a Content-Type is read as JSON, as FastAPI always has."""
    declared = request.headers.get("content-type")
    if request.method not in BODY_METHODS or not declared:
        return
    media_type, charset = _content_type(declared)
    if media_type not in JSON_TYPES:
        raise UnsupportedMediaType(
            f"request body must be {FHIR_JSON} or application/json, not {declared!r}",
            expression="Content-Type")
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"request body must be UTF-8 JSON, not charset {charset!r}",
                                   expression="Content-Type")


def check_accept(request: Request, produces: str) -> None:
    formats = request.query_params.getlist("_format")
    if formats:
        refused = [f for f in formats if f.strip().lower() not in JSON_FORMATS]
        if refused:
            raise NotAcceptable(f"_format={refused[0]!r} is not served; this gateway answers "
                                f"{produces} (_format=json)", expression="_format")
        return
    accept = request.headers.get("accept", "").strip()
    if accept and not acceptable(accept, produces):
        raise NotAcceptable(f"this operation answers {produces}, which Accept: {accept!r} "
                            f"does not allow", expression="Accept")


def acceptable(accept: str, produces: str) -> bool:
    """Whether the `Accept` header allows `produces`: the most specific range that matches
    decides, and q=0 refuses (https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1)."""
    best: tuple[int, float] | None = None
    for media_range, quality in _ranges(accept):
        rank = _match(media_range, produces)
        if rank is not None and (best is None or rank > best[0]):
            best = (rank, quality)
    return best is not None and best[1] > 0


def _match(media_range: str, produces: str) -> int | None:
    if media_range == produces:
        return 3
    json_family = produces in JSON_TYPES or produces.endswith("+json")
    if json_family and media_range in JSON_TYPES:
        return 2
    major = produces.split("/", 1)[0]
    if media_range == f"{major}/*":
        return 1
    return 0 if media_range == "*/*" else None


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media_range, *params = (p.strip() for p in part.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                quality = _quality(value.strip())
        ranges.append((media_range.lower(), quality))
    return ranges


def _quality(value: str) -> float:
    try:
        quality = float(value)
    except ValueError:
        return 0.0
    return quality if 0.0 <= quality <= 1.0 else 0.0


def _content_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type(), str(charset).lower() if isinstance(charset, str) else None
