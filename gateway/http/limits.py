"""The edge's limits on a request body: its size (413), the time to send it (408), and, for
JSON, its encoding (400) and nesting depth (422).

The body is read here, up to the limit, before the app sees it: an error raised while the
app itself reads would be swallowed by FastAPI's body parsing as a generic 400.
"""

from __future__ import annotations

import asyncio
from email.message import Message

from starlette import types as asgi

from gateway.http.handlers import error_response
from gateway.http.nesting import path_of, too_deep
from vocabulary.errors import (
    MalformedJson,
    OnePlanError,
    PayloadTooLarge,
    RequestTimeout,
    TooComplex,
)

MAX_DEPTH = 64


class BodyLimit:
    def __init__(self, app: asgi.ASGIApp, max_bytes: int, timeout: float = 30.0,
                 max_depth: int = MAX_DEPTH) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_depth = max_depth

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        try:
            body = await self._body(headers, receive)
            if body and _is_json(headers.get(b"content-type")):
                self._check_json(body)
        except OnePlanError as error:
            await error_response(error)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _body(self, headers: dict[bytes, bytes], receive: asgi.Receive) -> bytes:
        if _too_big(headers.get(b"content-length", b"0"), self.max_bytes):
            raise self._too_large()
        try:
            async with asyncio.timeout(self.timeout):
                return await self._read(receive)
        except TimeoutError:
            raise RequestTimeout(f"the request body was not received within {self.timeout:g} "
                                 f"seconds") from None

    async def _read(self, receive: asgi.Receive) -> bytes:
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large()
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    def _check_json(self, body: bytes) -> None:
        """JSON is UTF-8 (https://www.rfc-editor.org/rfc/rfc8259#section-8.1)."""
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedJson(f"request body is not valid UTF-8 (byte {exc.start})") from None
        deep = too_deep(body, self.max_depth)
        if deep is not None:
            raise TooComplex(f"request body nests deeper than {self.max_depth} levels",
                             expression=path_of(deep))

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"request body is larger than {self.max_bytes} bytes")


def _too_big(declared: bytes, limit: int) -> bool:
    return declared.isdigit() and int(declared) > limit


def _is_json(content_type: bytes | None) -> bool:
    """No Content-Type is read as JSON; so is any `application/json` or `+json` type."""
    if not content_type:
        return True
    message = Message()
    message["content-type"] = content_type.decode("latin-1")
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json") or subtype == "json+fhir")


def _replay(body: bytes, receive: asgi.Receive) -> asgi.Receive:
    sent = False

    async def replayed() -> asgi.Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
