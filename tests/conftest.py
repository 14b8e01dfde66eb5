"""Session fixtures. `hapi_url` starts the real local HAPI once, on a free port, fresh data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.devtools.hapi import LocalHapi, free_port
from gateway.store import FhirStore
from gateway.store.client import FhirClient
from vocabulary.errors import LocalHapiError

pytest_plugins = ["tests.postgres"]

HAPI_START_TIMEOUT = 600.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs HAPI carries the `hapi` marker, so `-m "not hapi"` skips them."""
    for item in items:
        if "hapi_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.hapi)


@pytest.fixture(scope="session", autouse=True)
def session_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database of gateways that module- or session-scoped fixtures build, before a
    test's own (`gateway_database`) exists: never the checkout's `.data/`."""
    url = f"sqlite:///{tmp_path_factory.mktemp('gateway') / 'oneplan.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ONEPLAN_DATABASE_URL", url)
        yield url


@pytest.fixture(autouse=True)
def gateway_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test's gateway keeps its records in its own SQLite file, never in the checkout."""
    url = f"sqlite:///{tmp_path / 'oneplan.db'}"
    monkeypatch.setenv("ONEPLAN_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def hapi_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    hapi = LocalHapi(port=free_port(), data_dir=tmp_path_factory.mktemp("hapi-data"))
    try:
        hapi.start()
        hapi.wait_ready(HAPI_START_TIMEOUT)
    except LocalHapiError as exc:
        hapi.stop()
        pytest.fail(f"the local HAPI did not start.\n{exc.message}", pytrace=False)
    yield hapi.url
    hapi.stop()


@pytest.fixture
def fhir(hapi_url: str) -> Iterator[FhirClient]:
    """The HTTP client itself, for the tests of the client and of what HAPI holds."""
    with FhirClient(hapi_url) as client:
        yield client


@pytest.fixture
def store(hapi_url: str) -> Iterator[FhirStore]:
    """The door, as the gateway uses it."""
    with FhirStore.at(hapi_url) as door:
        yield door
