"""Settings come from ONEPLAN_* variables and refuse unknown names and values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import Settings


def test_defaults_point_at_the_local_hapi() -> None:
    assert Settings().hapi_base == "http://127.0.0.1:8090/fhir"


def test_local_hapi_port_moves_the_default_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPLAN_HAPI_PORT", "9191")
    assert Settings().hapi_base == "http://127.0.0.1:9191/fhir"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPLAN_HAPI_URL", "http://hapi.internal:8080/fhir/")
    monkeypatch.setenv("ONEPLAN_MAX_BODY_BYTES", "2048")
    settings = Settings()
    assert settings.hapi_base == "http://hapi.internal:8080/fhir"
    assert settings.max_body_bytes == 2048


@pytest.mark.parametrize(("name", "value"), [("ONEPLAN_LOG_LEVEL", "LOUD"),
                                             ("ONEPLAN_HAPI_RETRIES", "-1"),
                                             ("ONEPLAN_HAPI_URL", "not a url"),
                                             ("ONEPLAN_HAPI_TIMOUT", "3")])
def test_unknown_names_and_values_fail_at_startup(monkeypatch: pytest.MonkeyPatch, name: str,
                                                  value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_server_timeouts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPLAN_BODY_TIMEOUT", "2.5")
    monkeypatch.setenv("ONEPLAN_HEADER_TIMEOUT", "4")
    monkeypatch.setenv("ONEPLAN_KEEP_ALIVE_TIMEOUT", "7")
    settings = Settings()
    assert (settings.body_timeout, settings.header_timeout, settings.keep_alive_timeout) == (
        2.5, 4.0, 7)


@pytest.mark.parametrize("name", ["ONEPLAN_BODY_TIMEOUT", "ONEPLAN_HEADER_TIMEOUT",
                                  "ONEPLAN_KEEP_ALIVE_TIMEOUT"])
def test_a_timeout_must_be_positive(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "0")
    with pytest.raises(ValidationError):
        Settings()
