"""docker-compose.yml runs the same HAPI as hapi/, on PostgreSQL, with health checks."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def pom_hapi_version() -> str:
    pom = (ROOT / "hapi" / "pom.xml").read_text()
    match = re.search(r"<hapi\.version>([^<]+)</hapi\.version>", pom)
    assert match
    return match.group(1)


def test_compose_pins_the_same_hapi_version_as_the_local_launcher() -> None:
    image = compose()["services"]["hapi"]["image"]
    match = re.fullmatch(r"hapiproject/hapi:v(\d+\.\d+\.\d+)-\d+", image)
    assert match, image
    assert match.group(1) == pom_hapi_version()


def hapi_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(
        compose()["services"]["hapi"]["environment"]["SPRING_APPLICATION_JSON"])
    return config


def test_hapi_runs_on_postgresql() -> None:
    services = compose()["services"]
    assert hapi_config()["spring"]["datasource"]["url"].startswith("jdbc:postgresql://db:")
    assert services["db"]["image"].startswith("postgres:")
    assert services["hapi"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_hapi_image_behaves_like_the_local_launcher() -> None:
    fhir = hapi_config()["hapi"]["fhir"]
    assert fhir["fhir_version"] == "R4"
    assert fhir["reuse_cached_search_results_millis"] == 0
    assert fhir["client_id_strategy"] == "ALPHANUMERIC"


def test_gateway_points_at_hapi_and_checks_readiness() -> None:
    gateway = compose()["services"]["gateway"]
    assert gateway["environment"]["ONEPLAN_HAPI_URL"] == "http://hapi:8080/fhir"
    assert "/readyz" in " ".join(gateway["healthcheck"]["test"])


def wheel_packages() -> list[str]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [name.rstrip("*") for name in data["tool"]["setuptools"]["packages"]["find"]["include"]]


def test_docker_image_is_built_from_every_package_the_wheel_holds() -> None:
    dockerfile = (ROOT / "gateway" / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\S+) \1$", dockerfile, flags=re.MULTILINE))
    assert set(wheel_packages()) <= copied
    assert "pip wheel" in dockerfile
    assert "/wheels/*.whl" in dockerfile


def test_gateway_keeps_its_records_in_the_compose_postgresql() -> None:
    services = compose()["services"]
    url = services["gateway"]["environment"]["ONEPLAN_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://")
    assert url.endswith("@db:5432/oneplan")
    init = next(v for v in services["db"]["volumes"] if "initdb" in v).split(":")[0]
    assert "CREATE DATABASE oneplan" in (ROOT / init).read_text()
