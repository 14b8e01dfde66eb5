"""The answer to an accepted write (https://hl7.org/fhir/R4/async.html in spirit): the result
when the outbox sent it within `ONEPLAN_SYNC_WAIT_MS`; the failure when HAPI refused it;
otherwise 202 Accepted, with `Content-Location` at its status (`GET /outbox/{id}`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from gateway.db.outbox import Status
from gateway.db.schema import DEAD, SENT
from vocabulary.fhir import FHIR_JSON, JSON


def reply(request: Request, entry_ids: Sequence[int],
          sent: Callable[[Status], Response]) -> Response:
    settings = request.app.state.settings
    found = request.app.state.store.wait(entry_ids, settings.sync_wait_ms / 1000)
    dead = next((s for s in found if s.state == DEAD), None)
    if dead is not None:
        return JSONResponse(dead.answer, status_code=dead.failure or 502, media_type=FHIR_JSON)
    if found and all(s.state == SENT for s in found):
        return sent(found[-1])
    where = f"{str(request.base_url).rstrip('/')}/outbox/{entry_ids[-1]}"
    return JSONResponse(queued(entry_ids[-1]), status_code=202, media_type=FHIR_JSON,
                        headers={"Content-Location": where})


def queued(entry_id: int) -> JSON:
    return {"resourceType": "OperationOutcome", "issue": [{
        "severity": "information", "code": "informational",
        "diagnostics": f"Accepted and kept; queued for the FHIR server as outbox entry "
                       f"{entry_id}. GET its Content-Location for its state."}]}
