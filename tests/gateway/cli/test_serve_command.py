"""`oneplan serve` with ONEPLAN_LOG_FORMAT=json: every line of its log is one JSON object,
uvicorn's own lines included."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from gateway.devtools.hapi import free_port

ONEPLAN = Path(sys.executable).with_name("oneplan")


def test_serve_logs_nothing_but_json_lines() -> None:
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ONEPLAN_")},
           "ONEPLAN_PORT": str(port), "ONEPLAN_HAPI_URL": "http://127.0.0.1:1/fhir",
           "ONEPLAN_LOG_FORMAT": "json"}
    server = subprocess.Popen([str(ONEPLAN), "serve"], env=env, stderr=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        _wait_until_it_answers(port)
        server.send_signal(signal.SIGINT)
        _, log = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    events = {(line.get("logger"), line["event"].split(" ")[0]) for line in lines}
    assert ("uvicorn.error", "Uvicorn") in events
    assert any(line["event"] == "request" and line["path"] == "/healthz" for line in lines)
    assert all({"level", "timestamp"} <= line.keys() for line in lines)


def _wait_until_it_answers(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("oneplan serve did not answer within 30 s")
