"""The app factory: `create_app(settings)` builds the gateway with everything it needs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from gateway import (
    __version__,
    fhir_api,
    handlers,
    health,
    intake,
    questionnaires,
    responses,
)
from gateway.client import FhirClient
from gateway.conformance import Conformance
from gateway.limits import BodyLimit
from gateway.logs import configure, logger
from gateway.retry import RetryPolicy
from gateway.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logger.info("gateway.start", hapi=settings.hapi_base, version=__version__)
        yield
        app.state.fhir.close()
        app.state.probe.close()

    app = FastAPI(title="OnePlan gateway", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.conformance = Conformance.load()
    app.state.fhir = FhirClient(settings.hapi_base, timeout=settings.hapi_timeout,
                                retry=RetryPolicy(attempts=settings.hapi_retries))
    app.state.probe = FhirClient(settings.hapi_base, timeout=2.0, retry=RetryPolicy(attempts=0))
    handlers.install(app)
    app.include_router(health.router)
    app.include_router(fhir_api.router)
    app.include_router(intake.router)
    app.include_router(questionnaires.router)
    app.include_router(responses.router)
    app.middleware("http")(_access_log)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


async def _access_log(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    logger.info("request", method=request.method, path=request.url.path,
                status=response.status_code,
                ms=round((time.perf_counter() - started) * 1000, 1))
    return response
