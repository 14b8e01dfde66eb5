"""The sync worker: sends outbox entries to HAPI through the door, each child's in order.

Delivery is at least once: an entry whose answer was lost (a crash, a timeout) is sent again,
and its deterministic PUTs make the second send change nothing. A failure retrying can fix (HAPI
unreachable, 429 or 5xx, a version conflict) waits, with exponential backoff and jitter or the
server's Retry-After; a 4xx retrying cannot fix dead-letters the entry with its
OperationOutcome, and the rest of the queue goes on.
"""

from __future__ import annotations

import os
import random
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from gateway.db.outbox import Outbox, Work
from gateway.http.statuses import status
from gateway.logs import logger
from gateway.store.door import FhirStore
from gateway.store.principal import SYSTEM
from vocabulary.errors import (
    FhirServerError,
    OnePlanError,
    ResourceConflict,
    ServerUnavailable,
    VersionConflict,
)
from vocabulary.fhir import JSON
from vocabulary.outcome import operation_outcome

# A record whose writes depend on what HAPI holds (the Green Form) is planned and sent by its
# use case at send time: the record's body in, the bundle sent and HAPI's answer out.
Sender = Callable[[JSON], tuple[JSON, JSON]]


class Tally(Protocol):
    """What the worker reports of its sends (the app's metrics): each send that succeeded, and
    each that failed, by the error's stable code (`unexpected` for a bug)."""

    def sent(self) -> None: ...

    def failed(self, kind: str) -> None: ...


class Untallied:
    def sent(self) -> None:
        pass

    def failed(self, kind: str) -> None:
        pass


@dataclass(frozen=True)
class Backoff:
    base: float = 0.5
    cap: float = 15.0
    retry_after_cap: float = 300.0
    max_attempts: int = 12  # for failures other than HAPI being unreachable

    def delay(self, attempts: int, error: BaseException) -> float:
        after = getattr(error, "retry_after", None)
        if isinstance(after, float):
            return min(after, self.retry_after_cap)
        ceiling = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return random.uniform(ceiling / 2, ceiling)

    def gives_up(self, attempts: int, error: BaseException) -> bool:
        if isinstance(error, ServerUnavailable):
            return False
        if _retryable(error):
            return attempts >= self.max_attempts
        return True


def _retryable(error: BaseException) -> bool:
    if isinstance(error, (ServerUnavailable, VersionConflict, ResourceConflict)):
        return True
    if isinstance(error, FhirServerError):
        return (error.upstream_status or 500) >= 500
    return not isinstance(error, OnePlanError)


class Worker:
    def __init__(self, store: FhirStore, outbox: Outbox, senders: Mapping[str, Sender], *,
                 concurrency: int = 4, lease: float = 60.0, idle: float = 0.25,
                 backoff: Backoff | None = None, tally: Tally | None = None) -> None:
        self.store, self.outbox, self.senders = store, outbox, senders
        self.concurrency, self.lease, self.idle = max(1, concurrency), lease, idle
        self.backoff, self.tally = backoff or Backoff(), tally or Untallied()
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="oneplan-sync")
        self._stop = threading.Event()
        self._lanes: list[threading.Thread] = []

    def run_once(self) -> int:
        """Claim what is due, up to `concurrency` entries, and send them; how many there were."""
        claimed = self.outbox.claim(self.name, self.concurrency, self.lease)
        list(self._pool.map(self._deliver, claimed))
        if claimed:
            self.store.settled.ring()
        return len(claimed)

    def run(self) -> None:
        """One lane, until `stop()`: claim one entry and send it; when nothing is due, wait for
        the bell or `idle` seconds. `start()` runs `concurrency` lanes, so that many sends are
        in flight all the time."""
        while not self._stop.is_set():
            since = self.store.accepted.rung()
            try:
                claimed = self.outbox.claim(self.name, 1, self.lease)
                for work in claimed:
                    self._deliver(work)
                    self.store.settled.ring()
            except Exception:
                logger.exception("outbox.worker_error")
                claimed = []
            if not claimed:
                self.store.accepted.wait(self.idle, since)

    def drain(self, until: Callable[[], bool]) -> None:
        """Send until `until()` holds (an import's entries all settled); `stop()` after."""
        if not self._lanes:
            self.start()
        while True:
            since = self.store.settled.rung()
            if until():
                return
            self.store.settled.wait(0.05, since)

    def start(self) -> None:
        self._lanes = [threading.Thread(target=self.run, name=f"oneplan-sync-{n}", daemon=True)
                       for n in range(self.concurrency)]
        for lane in self._lanes:
            lane.start()

    def stop(self) -> None:
        self._stop.set()
        self.store.accepted.ring()
        for lane in self._lanes:
            lane.join(timeout=self.lease)
        self._pool.shutdown(wait=True)

    def _deliver(self, work: Work) -> None:
        try:
            if work.bundle is None:
                bundle, answer = self.senders[work.kind](work.body)
            else:
                bundle, answer = work.bundle, self.store.transaction(SYSTEM, work.bundle)
        except Exception as error:
            self._failed(work, error)
            return
        self.tally.sent()
        planned = bundle if work.bundle is None else None
        if not self.outbox.settle_sent(work.id, self.name, planned, answer):
            logger.warning("outbox.lease_lost", entry=work.id)

    def _failed(self, work: Work, error: Exception) -> None:
        text = str(error) or type(error).__name__
        self.tally.failed(error.stable_code if isinstance(error, OnePlanError) else "unexpected")
        if self.backoff.gives_up(work.attempts, error):
            known = error if isinstance(error, OnePlanError) else OnePlanError(text)
            self.outbox.settle_dead(work.id, self.name, text, operation_outcome(known),
                                    status(known))
            logger.warning("outbox.dead_letter", entry=work.id, record=work.record_id,
                           attempts=work.attempts, error=text)
            return
        delay = self.backoff.delay(work.attempts, error)
        self.outbox.settle_later(work.id, self.name, text, delay)
        logger.info("outbox.retry", entry=work.id, attempts=work.attempts,
                    delay=round(delay, 2), error=text)
