"""Every operation of the OpenAPI, fuzzed in-process with schemathesis against the ASGI app
(HAPI faked at the transport): no server error, and every answer conforms to the document:
its status, its content type, its schema and its documented headers."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
import respx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.types import Receive, Scope, Send

from gateway.app import create_app
from gateway.settings import Settings
from tests.gateway.http.fake_hapi import HAPI, fake_hapi

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
EXAMPLES = 50

gateway = create_app(Settings(hapi_url=HAPI, hapi_retries=0, log_level="ERROR",
                              database_url=f"sqlite:///{tempfile.mkdtemp()}/oneplan.db"))
gateway.state.worker.start()


async def without_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    """schemathesis ends the app's lifespan after each operation, and the gateway's ends with
    its HAPI clients closed: here one gateway serves them all, as in a real process."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await gateway(scope, receive, send)


schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan)


@pytest.fixture(autouse=True)
def hapi() -> Iterator[None]:
    with respx.mock(assert_all_called=False) as router:
        fake_hapi(router)
        yield


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_operation_conforms(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=CHECKS)
