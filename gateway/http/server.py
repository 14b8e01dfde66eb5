"""Serving the app with uvicorn, with timeouts on every part of a request a client could stall.

uvicorn closes an idle keep-alive connection (`timeout_keep_alive`) and h11 bounds the size of
the request head, but nothing bounds the time a client may take to send that head: a
connection that sends half its headers would be held forever. `HeaderTimeout` closes it.
The body's own deadline is `gateway.http.limits.BodyLimit`'s.
"""

from __future__ import annotations

import asyncio

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from gateway.settings import Settings

MAX_HEAD_BYTES = 16 * 1024


class HeaderTimeout(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is not complete within
    `header_timeout` seconds of the connection or of its first byte after a response."""

    header_timeout: float = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _watch(self) -> None:
        """Arm the deadline while the head of a request is awaited, disarm it once it came."""
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            self._cancel()
        elif self._deadline is None:
            self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("request head not received within %ss; closing the connection",
                             self.header_timeout)
            self.transport.close()

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


def protocol(settings: Settings) -> type[HeaderTimeout]:
    return type("HeaderTimeout", (HeaderTimeout,), {"header_timeout": settings.header_timeout})


def config(app: FastAPI, settings: Settings) -> uvicorn.Config:
    """`log_config=None`: uvicorn's loggers are configured by `gateway.logs.configure`."""
    return uvicorn.Config(app, host=settings.host, port=settings.port, http=protocol(settings),
                          timeout_keep_alive=settings.keep_alive_timeout,
                          h11_max_incomplete_event_size=MAX_HEAD_BYTES,
                          access_log=False, log_config=None)


def serve(app: FastAPI, settings: Settings) -> None:
    uvicorn.Server(config(app, settings)).run()
