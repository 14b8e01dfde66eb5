"""The local HAPI keeps its data in a file: a stopped and restarted server still has it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fhir.resources.R4B.patient import Patient

from gateway.devtools.hapi import LocalHapi, free_port
from gateway.store.client import FhirClient
from tests.conftest import HAPI_START_TIMEOUT


@pytest.mark.hapi
def test_data_survives_a_restart_and_the_jar_is_not_rebuilt(tmp_path: Path) -> None:
    hapi = LocalHapi(port=free_port(), data_dir=tmp_path / "hapi")
    assert not hapi.needs_build()
    built = hapi.jar.stat().st_mtime
    try:
        hapi.start()
        hapi.wait_ready(HAPI_START_TIMEOUT)
        with FhirClient(hapi.url) as client:
            client.update(Patient.model_validate({"resourceType": "Patient", "id": "chen-lily",
                                                  "birthDate": "2019-11-05"}))
        assert hapi.stop()
        hapi.start()
        hapi.wait_ready(HAPI_START_TIMEOUT)
        with FhirClient(hapi.url) as client:
            assert str(client.read(Patient, "chen-lily").birthDate) == "2019-11-05"
    finally:
        hapi.stop()
    assert hapi.jar.stat().st_mtime == built
    assert (tmp_path / "hapi" / "h2" / "hapi.mv.db").exists()
