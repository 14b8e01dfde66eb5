"""Bulk import of program records, for `oneplan import`: each record is validated and mapped,
then kept and queued through the door exactly like `POST /intake/{program}`; the worker syncs
them. A bad record is reported with where it came from and skips nothing else. A record kept
by an earlier run, unchanged, is not queued again (its entries are followed instead), so an
import cut short is finished by running it again; and since ids are deterministic and every
write is a PUT, nothing in HAPI changes twice. `oneplan replay` sends kept records again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from gateway.cli.record_files import SourceRecord
from gateway.db.outbox import Status
from gateway.db.schema import DEAD, SENT
from gateway.store import FhirStore, Principal
from gateway.usecases.children import Children
from gateway.usecases.intake import accept_record
from mappings import registry
from vocabulary.errors import Issue, ValidationFailed


@dataclass(frozen=True)
class Failure:
    where: str
    issues: tuple[Issue, ...]


@dataclass
class ImportReport:
    records: int = 0
    accepted: dict[int, str] = field(default_factory=dict)  # outbox entry -> where
    earlier: set[int] = field(default_factory=set)  # entries of records kept by an earlier run
    synced: int = 0
    dead: int = 0
    created: int = 0
    updated: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def already(self) -> int:
        """Records kept by an earlier run, followed rather than queued again."""
        return len(self.earlier)

    @property
    def queued(self) -> int:
        return len(self.accepted) - self.synced - self.dead


    def settle(self, found: Sequence[Status]) -> None:
        """Count what the worker finished since the last call."""
        for status in found:
            if status.state == SENT:
                self.synced += 1
                if status.id not in self.earlier:
                    self._count(status)
            elif status.state == DEAD:
                self.dead += 1
                where = self.accepted[status.id]
                message = status.error or "the FHIR server refused it"
                self.failures.append(Failure(f"outbox {status.id} ({where})", (Issue(message),)))

    def _count(self, status: Status) -> None:
        for entry in (status.answer or {}).get("entry", ()):
            if str(entry.get("response", {}).get("status", "")).startswith("201"):
                self.created += 1
            else:
                self.updated += 1


class Importer:
    def __init__(self, store: FhirStore, who: Principal, program: str,
                 children: Children | None = None) -> None:
        registry.mapping(program)
        self.store, self.who, self.program = store, who, program
        self.children = children

    def accept(self, records: Iterable[SourceRecord],
               advance: Callable[[], None] = lambda: None) -> ImportReport:
        report = ImportReport()
        for source in records:
            report.records += 1
            self._accept(source, report)
            advance()
        return report

    def _accept(self, source: SourceRecord, report: ImportReport) -> None:
        if source.error is not None:
            report.failures.append(Failure(source.where, (Issue(source.error),)))
            return
        if kept := self.store.outbox.kept(self.program, source.data):
            report.accepted.update(dict.fromkeys(kept, source.where))
            report.earlier.update(kept)
            return
        try:
            queued = accept_record(self.store, self.who, self.program, source.data,
                                   self.children)
        except ValidationFailed as exc:
            report.failures.append(Failure(source.where, tuple(exc.issues)))
            return
        for entry in queued:
            report.accepted[entry] = source.where
