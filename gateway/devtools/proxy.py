"""A recording proxy in front of a FHIR server, for the durability proofs (tests and
`bench/soak.py`): it counts how often each transaction is sent, can go down (stop listening,
so clients see connection refused) and come back on the same port, and can reject the
transactions that carry a marker the way HAPI rejects a bad resource (fault injection)."""

from __future__ import annotations

import http.client
import json
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from gateway.devtools.hapi import free_port

KEPT_HEADERS = ("content-type", "etag", "location", "content-location", "last-modified",
                "retry-after")
REJECTED = {"resourceType": "OperationOutcome", "issue": [{
    "severity": "error", "code": "processing",
    "diagnostics": "HAPI-0000: rejected by the recording proxy (fault injection)"}]}


class RecordingProxy:
    def __init__(self, target: str, port: int | None = None) -> None:
        parts = urlsplit(target)
        self.host, self.target_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path.rstrip("/")
        self.port = port or free_port()
        self.sends: Counter[str] = Counter()
        self.poison: str | None = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self) -> RecordingProxy:
        server = _Server(("127.0.0.1", self.port), _handler(self))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server
        return self

    def stop(self) -> None:
        """Stop listening: new connections are refused until `start()`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def record(self, body: bytes) -> bool:
        """Count a transaction by its first PUT; whether it is to be rejected."""
        try:
            bundle = json.loads(body)
        except ValueError:
            return False
        puts = [e["request"]["url"] for e in bundle.get("entry", ())
                if e.get("request", {}).get("method") == "PUT"]
        if bundle.get("type") == "transaction" and puts:
            with self._lock:
                self.sends[puts[0]] += 1
        return self.poison is not None and self.poison in body.decode("utf-8", "replace")

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes | None
                ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.host, self.target_port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() in KEPT_HEADERS]
            return answer.status, kept, answer.read()
        finally:
            connection.close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (a killed gateway) is what these proofs do."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler(proxy: RecordingProxy) -> Any:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.command == "POST" and body and proxy.record(body):
                self._answer(400, [("Content-Type", "application/fhir+json")],
                             json.dumps(REJECTED).encode())
                return
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("content-type", "accept", "if-match", "if-none-exist",
                                        "prefer")}
            self._answer(*proxy.forward(self.command, self.path, headers, body))

        def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _relay  # noqa: N815 (http.server names)

        def log_message(self, *_: Any) -> None:
            return

    return Handler
