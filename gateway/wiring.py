"""How the gateway's parts are put together, once, for the app and for the CLI: the database
(migrated), the door with its outbox, and the sync worker with the use cases that plan
records at send time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from gateway.conformance import Conformance
from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.settings import Settings
from gateway.store import FhirStore
from gateway.store.worker import Tally, Worker
from gateway.usecases.submission import GREEN_FORM_KIND, Submissions


@dataclass(frozen=True)
class Parts:
    database: Database
    revision: str | None
    store: FhirStore
    conformance: Conformance

    def worker(self, settings: Settings, tally: Tally | None = None) -> Worker:
        senders = {GREEN_FORM_KIND: Submissions(self.store, self.conformance).send}
        return Worker(self.store, self.store.outbox, senders, tally=tally,
                      concurrency=settings.worker_concurrency, lease=settings.outbox_lease)

    def close(self) -> None:
        self.store.close()
        self.database.close()


def parts(settings: Settings, conformance: Conformance | None = None) -> Parts:
    """Connect to the database, bring its schema up to date, and open the door on it."""
    database = Database(settings.database)
    revision = database.upgrade()
    store = FhirStore.connect(settings, outbox=Outbox(database))
    return Parts(database, revision, store, conformance or Conformance.load())


@contextmanager
def opened(settings: Settings) -> Iterator[Parts]:
    found = parts(settings)
    try:
        yield found
    finally:
        found.close()
