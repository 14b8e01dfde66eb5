"""FHIR JSON as the gateway and the pure packages exchange it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FHIR_JSON = "application/fhir+json"
JSON = dict[str, Any]
JSONView = Mapping[str, Any]  # JSON a function reads and never changes
