"""`GET /outbox/{id}`: where an accepted write stands (the 202's `Content-Location`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from gateway.db.outbox import Status
from gateway.db.schema import DEAD, SENT
from gateway.http import openapi
from gateway.http.negotiation import FhirRoute
from vocabulary.errors import NotFound

router = APIRouter(prefix="/outbox", tags=["outbox"], route_class=FhirRoute)
JSON = "application/json"
STATES = {DEAD: "failed", SENT: "sent"}


@router.get("/{entry}", responses=openapi.answers({200: (JSON, "OutboxEntry")},
                                                  *openapi.EDGE, 404, 422))
def entry_status(entry: Annotated[int, Path(ge=1, le=2**62)], request: Request
                 ) -> dict[str, Any]:
    found = request.app.state.store.outbox.status([entry])
    if not found:
        raise NotFound(f"no outbox entry {entry}", expression="id")
    return described(found[0])


def described(status: Status) -> dict[str, Any]:
    body: dict[str, Any] = {"id": status.id, "state": STATES.get(status.state, "queued"),
                            "attempts": status.attempts, "record": status.record_id,
                            "created": status.created_at.isoformat()}
    if status.sent_at is not None:
        body["sent"] = status.sent_at.isoformat()
    if status.state == SENT:
        body["response"] = status.answer
    elif status.state == DEAD:
        body["outcome"] = status.answer
    if status.error and status.state != SENT:
        body["error"] = status.error
    return body
