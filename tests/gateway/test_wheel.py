"""The gateway works as an installed wheel: code and package data come from the wheel alone.

The wheel is built from the checkout and installed, without its dependencies, into a fresh
venv that borrows the dependencies of the development venv through a path file. The installed
`oneplan` then loads the fixture organizations into the real HAPI, serves the gateway from a
folder outside the checkout, and answers `/fhir/metadata` and one intake.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.devtools.hapi import free_port
from tests.mappings.helpers import VALID

ROOT = Path(__file__).resolve().parents[2]
# Built from a copy, so that setuptools' build/ folder never lands in the checkout.
NOT_SOURCES = (".git", ".venv", "node_modules", "target", ".data", "build", "*.egg-info",
               "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis")


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin/` folder of a fresh venv holding only the built wheel of OnePlan."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work,
        source, cwd=work)
    wheel = next(work.glob("oneplan-*.whl"))
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    site = next((venv / "lib").glob("python3.*/site-packages"))
    (site / "development-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(venv / "bin" / "pip", "install", "--quiet", "--no-deps", wheel, cwd=work)
    return venv / "bin"


def environment(hapi_url: str, port: int) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("ONEPLAN_", "PYTHON"))}
    return {**kept, "ONEPLAN_HAPI_URL": hapi_url, "ONEPLAN_PORT": str(port),
            "ONEPLAN_LOG_LEVEL": "WARNING"}


@pytest.fixture(scope="module")
def served(installed: Path, hapi_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    outside = tmp_path_factory.mktemp("elsewhere")
    port = free_port()
    env = environment(hapi_url, port)
    run(installed / "oneplan", "fixtures", "load", cwd=outside, env=env)
    log = outside / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen([str(installed / "oneplan"), "serve"], cwd=outside, env=env,
                                  stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", server, log)
        yield base
    finally:
        server.terminate()
        server.wait(30)


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path,
                  timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"oneplan serve exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    pytest.fail(f"oneplan serve did not answer {url} within {timeout:.0f}s")


def test_installed_code_comes_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = run(installed / "python", "-c",
                "import gateway, profiles, vocabulary.data as d; print(gateway.__file__);"
                " print(d.PROFILES)", cwd=tmp_path)
    assert all(str(installed.parent) in line for line in where.splitlines()), where


def test_installed_gateway_answers_metadata(served: str) -> None:
    response = httpx.get(f"{served}/fhir/metadata")
    assert response.status_code == 200
    assert response.json()["resourceType"] == "CapabilityStatement"


def test_installed_gateway_takes_one_intake(served: str) -> None:
    case = next(c for c in VALID if c.program == "home")
    record = {**case.raw(), "record_id": "HOME-2026-7777"}
    response = httpx.post(f"{served}/intake/home", content=json.dumps(record),
                          headers={"content-type": "application/json"}, timeout=60)
    assert response.status_code == 201, response.text
    assert response.json()["type"] == "transaction-response"
