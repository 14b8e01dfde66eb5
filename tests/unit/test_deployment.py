"""docker-compose.yml runs the same HAPI as hapi/, on PostgreSQL, with health checks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def pom_hapi_version() -> str:
    version = ET.parse(ROOT / "hapi" / "pom.xml").find("m:properties/m:hapi.version", POM_NS)
    assert version is not None
    assert version.text
    return version.text


def test_compose_pins_the_same_hapi_version_as_the_local_launcher() -> None:
    image = compose()["services"]["hapi"]["image"]
    match = re.fullmatch(r"hapiproject/hapi:v(\d+\.\d+\.\d+)-\d+", image)
    assert match, image
    assert match.group(1) == pom_hapi_version()


def test_hapi_runs_on_postgresql() -> None:
    services = compose()["services"]
    env = services["hapi"]["environment"]
    assert env["SPRING_DATASOURCE_URL"].startswith("jdbc:postgresql://db:")
    assert services["db"]["image"].startswith("postgres:")
    assert services["hapi"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_gateway_points_at_hapi_and_checks_readiness() -> None:
    gateway = compose()["services"]["gateway"]
    assert gateway["environment"]["ONEPLAN_HAPI_URL"] == "http://hapi:8080/fhir"
    assert "/readyz" in " ".join(gateway["healthcheck"]["test"])
