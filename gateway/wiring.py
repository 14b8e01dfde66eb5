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
from gateway.usecases import intake
from gateway.usecases.children import Children
from gateway.usecases.identity import Identities
from gateway.usecases.submission import GREEN_FORM_KIND, Submissions
from identity import rules
from vocabulary.fhir import JSON


@dataclass(frozen=True)
class Parts:
    database: Database
    revision: str | None
    store: FhirStore
    conformance: Conformance
    identities: Identities
    children: Children

    def submissions(self) -> Submissions:
        return Submissions(self.store, self.conformance, children=self.children)

    def worker(self, settings: Settings, tally: Tally | None = None) -> Worker:
        senders = {GREEN_FORM_KIND: self.submissions().send}
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
    conformance = conformance or Conformance.load()
    identities = Identities(database, rules.load())
    forms = Submissions(store, conformance)

    def mapped(kind: str, body: JSON) -> tuple[list[JSON], str]:
        return forms.mapped(body) if kind == GREEN_FORM_KIND else intake.mapped(kind, body)

    return Parts(database, revision, store, conformance, identities,
                 Children(identities, mapped))


@contextmanager
def opened(settings: Settings) -> Iterator[Parts]:
    found = parts(settings)
    try:
        yield found
    finally:
        found.close()
