"""Bulk import of program records into HAPI, for `oneplan import`.

Records are validated and mapped one by one; good ones are written in batches, one
transaction per batch. When HAPI rejects a batch, its records are written one at a time, so
one bad record can't sink the others. Ids are deterministic and every write is a PUT, so
importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gateway.cli.record_files import SourceRecord
from gateway.store import FhirStore, Principal
from mappings import registry
from vocabulary import transaction as tx
from vocabulary.errors import FhirServerError, Issue, ServerUnavailable, ValidationFailed
from vocabulary.fhir import JSON


@dataclass(frozen=True)
class Failure:
    where: str
    issues: tuple[Issue, ...]


@dataclass
class ImportReport:
    records: int = 0
    imported: int = 0
    created: int = 0
    updated: int = 0
    failures: list[Failure] = field(default_factory=list)

    def count(self, transaction_response: JSON) -> None:
        for entry in transaction_response.get("entry", ()):
            if str(entry.get("response", {}).get("status", "")).startswith("201"):
                self.created += 1
            else:
                self.updated += 1


@dataclass(frozen=True)
class _Mapped:
    source: SourceRecord
    resources: list[JSON]


class Importer:
    def __init__(self, store: FhirStore, who: Principal, program: str,
                 batch_size: int = 25) -> None:
        registry.mapping(program)
        self.store, self.who, self.program = store, who, program
        self.batch_size = max(1, batch_size)

    def run(self, records: Iterable[SourceRecord],
            advance: Callable[[], None] = lambda: None) -> ImportReport:
        report, batch = ImportReport(), list[_Mapped]()
        for source in records:
            report.records += 1
            if (mapped := self._map(source, report)) is not None:
                batch.append(mapped)
            if len(batch) >= self.batch_size:
                self._flush(batch, report)
                batch = []
            advance()
        self._flush(batch, report)
        return report

    def _map(self, source: SourceRecord, report: ImportReport) -> _Mapped | None:
        if source.error is not None:
            report.failures.append(Failure(source.where, (Issue(source.error),)))
            return None
        try:
            return _Mapped(source, registry.map_record(self.program, source.data))
        except ValidationFailed as exc:
            report.failures.append(Failure(source.where, tuple(exc.issues)))
            return None

    def _flush(self, batch: list[_Mapped], report: ImportReport) -> None:
        if not batch:
            return
        try:
            self._write(batch, report)
        except ServerUnavailable:
            raise
        except FhirServerError as exc:
            if len(batch) == 1:
                report.failures.append(Failure(batch[0].source.where, tuple(exc.issues)))
                return
            for one in batch:
                self._flush([one], report)

    def _write(self, batch: list[_Mapped], report: ImportReport) -> None:
        resources = [r for mapped in batch for r in mapped.resources]
        report.count(self.store.transaction(self.who, tx.puts(resources)))
        report.imported += len(batch)
