"""The one door to HAPI: every read and write of every route, use case and dev tool goes
through a `FhirStore`, and nothing else imports the HTTP client.

Each call names who is asking (`Principal`), so that authentication, consent decisions and
the audit trail can be added here, once, for every path. Resources travel as parsed FHIR JSON.

Accepted records are written through the outbox: `accept` keeps the record and queues its
writes in one local transaction, the worker (`gateway.store.worker`) sends them with
`transaction`, and `wait` watches them land.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gateway.db.outbox import Outbox, Status, Then, Write
from gateway.db.schema import QUEUED
from gateway.settings import Settings
from gateway.store.client import FhirClient
from gateway.store.principal import Principal
from gateway.store.retry import RetryPolicy
from vocabulary import transaction as tx
from vocabulary.errors import ServerGone, ServerNotFound
from vocabulary.fhir import JSON

POLL = 0.05  # seconds between looks at the outbox when its worker is in another process


class Bell:
    """Wakes whoever waits on it: the worker when work arrives, requests when work is done.
    A waiter takes `rung()` before it looks, and `wait(seconds, since=...)` returns at once
    if the bell rang in between, so no ring is missed."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._rings = 0

    def rung(self) -> int:
        return self._rings

    def ring(self, everyone: bool = True) -> None:
        """Wake every waiter, or only one (one new entry needs one worker lane)."""
        with self._condition:
            self._rings += 1
            if everyone:
                self._condition.notify_all()
            else:
                self._condition.notify()

    def wait(self, seconds: float, since: int | None = None) -> None:
        with self._condition:
            if since is None:
                self._condition.wait(seconds)
            else:
                self._condition.wait_for(lambda: self._rings != since, seconds)


class FhirStore:
    def __init__(self, client: FhirClient, outbox: Outbox | None = None) -> None:
        self._client, self._outbox = client, outbox
        self.accepted, self.settled = Bell(), Bell()

    @classmethod
    def connect(cls, settings: Settings, *, timeout: float | None = None,
                retries: int | None = None, outbox: Outbox | None = None) -> FhirStore:
        retry = RetryPolicy(attempts=settings.hapi_retries if retries is None else retries)
        return cls(FhirClient(settings.hapi_base, timeout=timeout or settings.hapi_timeout,
                              retry=retry), outbox)

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("this FhirStore has no outbox")
        return self._outbox

    @classmethod
    def at(cls, base_url: str, outbox: Outbox | None = None, **client: Any) -> FhirStore:
        """A store on a FHIR base url (dev tools, benchmarks, tests)."""
        return cls(FhirClient(base_url, **client), outbox)

    @property
    def base_url(self) -> str:
        return self._client.base_url

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> FhirStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def capabilities(self, who: Principal) -> JSON:
        return self._client.capabilities()

    def answers(self, who: Principal) -> bool:
        """Whether the server answers its CapabilityStatement now (readiness, launchers)."""
        return self._client.answers()

    def read(self, who: Principal, url: str) -> JSON | None:
        """`Type/id` as JSON, or None when the server has no such resource (or deleted it)."""
        try:
            return self._client.read_json(url)
        except (ServerNotFound, ServerGone):
            return None

    def read_many(self, who: Principal, urls: Iterable[str]) -> dict[str, JSON | None]:
        """Several `Type/id` reads in one batch round trip; a missing one maps to None."""
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return {}
        answer = self._client.transaction(tx.batch(wanted))
        return {u: _found(e) for u, e in zip(wanted, answer.get("entry", ()), strict=True)}

    def search(self, who: Principal, resource_type: str,
               params: Mapping[str, str] | None = None) -> list[JSON]:
        return self._client.search_json(resource_type, params)

    def transaction(self, who: Principal, bundle: JSON) -> JSON:
        """Post a transaction Bundle; returns the transaction-response Bundle."""
        return self._client.transaction(bundle)

    def validate(self, who: Principal, resource: Mapping[str, Any]) -> JSON:
        return self._client.validate_json(resource)

    def accept(self, who: Principal, kind: str, body: JSON, writes: Sequence[Write],
               then: Then | None = None) -> list[int]:
        """Keep an accepted record and queue its writes; their outbox entry ids."""
        ids = self.outbox.accept(kind, body, who.name, writes, then)
        self.accepted.ring(everyone=len(ids) > 1)
        return ids

    def wait(self, entry_ids: Sequence[int], seconds: float) -> list[Status]:
        """The entries' status once all are settled (sent or dead), or when `seconds` pass."""
        deadline = time.monotonic() + seconds
        while True:
            since = self.settled.rung()
            states = self.outbox.states(entry_ids)
            left = deadline - time.monotonic()
            if left <= 0 or QUEUED not in states.values():
                return self.outbox.status(entry_ids)
            self.settled.wait(min(left, POLL), since)


def _found(entry: Mapping[str, Any]) -> JSON | None:
    status = str(entry.get("response", {}).get("status", ""))
    resource = entry.get("resource")
    if status.startswith("2") and isinstance(resource, dict):
        return resource
    return None
