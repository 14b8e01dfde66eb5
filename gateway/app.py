"""The app factory: `create_app(settings)` builds the gateway with everything it needs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, Request, Response
from sqlalchemy.engine import make_url

from gateway import __version__
from gateway.http import handlers, openapi
from gateway.http.limits import BodyLimit
from gateway.http.metrics import Metrics, RequestMetrics
from gateway.logs import configure, logger
from gateway.routers import (
    fhir_api,
    health,
    identity,
    intake,
    metrics,
    outbox,
    questionnaires,
    responses,
)
from gateway.settings import Settings
from gateway.store import FhirStore
from gateway.wiring import parts


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logger.info("gateway.start", hapi=settings.hapi_base, version=__version__,
                    database=make_url(database.url).render_as_string(), schema=revision)
        if settings.worker:
            app.state.worker.start()
        yield
        app.state.worker.stop()
        app.state.probe.close()
        wired.close()

    app = FastAPI(title="OnePlan gateway", version=__version__, lifespan=lifespan)
    wired = parts(settings)
    database, revision = wired.database, wired.revision
    app.state.settings, app.state.conformance = settings, wired.conformance
    app.state.parts, app.state.identities = wired, wired.identities
    app.state.metrics = Metrics(wired.store.outbox.depth)
    app.state.store, app.state.worker = wired.store, wired.worker(settings, app.state.metrics)
    app.state.probe = FhirStore.connect(settings, timeout=2.0, retries=0)
    handlers.install(app)
    app.openapi = partial(openapi.document, app)  # type: ignore[method-assign]
    app.include_router(health.router)
    app.include_router(fhir_api.router)
    app.include_router(intake.router)
    app.include_router(questionnaires.router)
    app.include_router(responses.router)
    app.include_router(outbox.router)
    app.include_router(identity.fhir)
    app.include_router(identity.review)
    app.include_router(metrics.router)
    app.middleware("http")(_access_log)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       timeout=settings.body_timeout)
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)
    return app


async def _access_log(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    logger.info("request", method=request.method, path=request.url.path,
                status=response.status_code,
                ms=round((time.perf_counter() - started) * 1000, 1))
    return response
