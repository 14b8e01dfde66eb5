"""The served gateway (uvicorn, as `oneplan serve` runs it) bounds the time a client may take
to send a request's head and its body. A real server on a loopback port, raw sockets."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from gateway.app import create_app
from gateway.devtools.hapi import free_port
from gateway.http.server import config
from gateway.settings import Settings
from tests.gateway.http.fake_hapi import HAPI

TIMEOUT = 0.5


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, int]]:
    settings = Settings(hapi_url=HAPI, port=free_port(), header_timeout=TIMEOUT,
                        body_timeout=TIMEOUT, keep_alive_timeout=1, log_level="ERROR")
    server = uvicorn.Server(config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield settings.host, settings.port
    server.should_exit = True
    thread.join(10)


def read_until_closed(sock: socket.socket, limit: float = 5.0) -> tuple[bytes, float]:
    started, answer = time.monotonic(), b""
    sock.settimeout(limit)
    while chunk := sock.recv(4096):
        answer += chunk
    return answer, time.monotonic() - started


def test_half_a_request_head_is_closed_after_the_header_timeout(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        answer, waited = read_until_closed(sock)
    assert answer == b""
    assert TIMEOUT * 0.8 <= waited < TIMEOUT + 2


def test_a_silent_connection_is_closed_after_the_header_timeout(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as sock:
        _, waited = read_until_closed(sock)
    assert waited < TIMEOUT + 2


def test_half_a_body_is_408_and_the_connection_closed(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as sock:
        sock.sendall(b"POST /intake/home HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"re")
        answer, waited = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"request-timeout" in answer
    assert waited < TIMEOUT + 2


def test_a_prompt_request_is_answered(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer, _ = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
