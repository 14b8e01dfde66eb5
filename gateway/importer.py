"""Bulk import of program records into HAPI, for `oneplan import`.

Records are validated and mapped one by one; good ones are written in batches, one
transaction per batch. When HAPI rejects a batch, its records are written one at a time, so
one bad record can't sink the others. Ids are deterministic and every write is a PUT, so
importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gateway.client import FhirClient
from gateway.errors import FhirServerError, Issue, ServerUnavailable, ValidationFailed
from gateway.record_files import SourceRecord
from mappings import bundle, registry


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

    def count(self, transaction_response: Any) -> None:
        for entry in transaction_response.entry or []:
            if str(entry.response.status).startswith("201"):
                self.created += 1
            else:
                self.updated += 1


@dataclass(frozen=True)
class _Mapped:
    source: SourceRecord
    resources: list[Any]


class Importer:
    def __init__(self, client: FhirClient, program: str, batch_size: int = 25) -> None:
        registry.mapping(program)
        self.client, self.program, self.batch_size = client, program, max(1, batch_size)

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
        report.count(self.client.transaction(bundle.transaction(resources)))
        report.imported += len(batch)
