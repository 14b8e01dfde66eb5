"""Records per second through intake mapping, per program, against a baseline in the same run.

    .venv/bin/python bench/mapping_bench.py [--seconds 1.0] [--import-records 200]

It also prints import throughput into HAPI per program: `oneplan import`'s engine on fresh
records, beside the same transactions posted to HAPI directly. It starts a throw-away local
HAPI for that (fresh data, free port; about 30 s) unless `--hapi-url` names one. That part is
printed before, and apart from, the ratio.

Pipeline: `json.loads` + record validation + rules + mapping + fhir.resources R4B model
validation (`mappings.registry.map_record`). Baseline: `json.loads` of the same records plus
`model_validate` of the resources they map to, i.e. what any gateway must spend anyway.
The last line is the ratio of pipeline time to baseline time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from gateway.cli.record_files import SourceRecord
from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.db.schema import QUEUED
from gateway.devtools.golden import cases, copies
from gateway.devtools.hapi import throwaway_hapi
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle
from gateway.store import SYSTEM, FhirStore
from gateway.store.worker import Worker
from gateway.usecases.importer import Importer, ImportReport
from mappings.registry import PROGRAMS, map_record
from vocabulary import transaction as tx


def fixture_texts(program: str) -> list[str]:
    return [c.record.read_text(encoding="utf-8") for c in cases()
            if c.valid and c.program == program]


def rate(run_once: Callable[[], int], seconds: float) -> tuple[float, float]:
    """Repeat `run_once` (which returns records done) for about `seconds`: (records/s, s)."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += run_once()
    return done / elapsed, elapsed / done


def pipeline(program: str, texts: list[str]) -> Callable[[], int]:
    def run() -> int:
        for text in texts:
            map_record(program, json.loads(text))
        return len(texts)
    return run


def baseline(program: str, texts: list[str]) -> Callable[[], int]:
    outputs = [map_record(program, json.loads(t)) for t in texts]

    def run() -> int:
        for text, resources in zip(texts, outputs, strict=True):
            json.loads(text)
            validate_all(resources)
        return len(texts)
    return run


def validate_all(resources: list[dict[str, Any]]) -> None:
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def import_rates(store: FhirStore, program: str, count: int) -> tuple[float, float, float]:
    """(records/s through the importer, resources/s, records/s posting the mapped bundles
    straight to HAPI), each on records HAPI has not seen."""
    records = copies(program, 2 * count)
    sources = [SourceRecord(Path(program), n, r) for n, r in enumerate(records[:count])]
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{folder}/bench.db")
        database.upgrade()
        with FhirStore.at(store.base_url, Outbox(database), timeout=120) as queued:
            worker = Worker(queued, queued.outbox, {})
            start = time.perf_counter()
            report = Importer(queued, SYSTEM, program).accept(sources)
            worker.drain(lambda: _settled(queued, report))
            through = time.perf_counter() - start
            worker.stop()
        database.close()
    direct = [map_record(program, r) for r in records[count:]]
    start = time.perf_counter()
    for batch in batches(direct, 25):
        store.transaction(SYSTEM, batch)
    straight = time.perf_counter() - start
    return count / through, (report.created + report.updated) / through, count / straight


def _settled(store: FhirStore, report: ImportReport) -> bool:
    found = store.outbox.status(list(report.accepted))
    if all(s.state != QUEUED for s in found):
        report.settle(found)
        return True
    return False


def batches(mapped: list[list[dict[str, Any]]], size: int) -> list[dict[str, Any]]:
    """Transactions of `size` records each, as the importer sends them."""
    return [tx.puts(r for record in mapped[i:i + size] for r in record)
            for i in range(0, len(mapped), size)]


def print_imports(count: int, url: str | None) -> None:
    if url is not None:
        measure_imports(count, url)
        return
    with throwaway_hapi() as hapi:
        measure_imports(count, hapi.url)


def measure_imports(count: int, url: str) -> None:
    with FhirStore.at(url, timeout=120) as store:
        load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
        print(f"import into HAPI, {count} fresh records per program:")
        print(f"{'program':<16}{'import rec/s':>14}{'resources/s':>13}{'direct rec/s':>14}")
        for program in PROGRAMS:
            through, resources, direct = import_rates(store, program, count)
            print(f"{program:<16}{through:>14.1f}{resources:>13.0f}{direct:>14.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    parser.add_argument("--import-records", type=int, default=200,
                        help="records per program for the HAPI import figures (0: skip)")
    parser.add_argument("--hapi-url", help="a HAPI to import into (default: start one)")
    args = parser.parse_args()
    seconds = args.seconds
    if args.import_records:
        print_imports(args.import_records, args.hapi_url)
    total_pipeline = total_baseline = 0.0
    print(f"{'program':<16}{'records':>8}{'pipeline rec/s':>16}{'baseline rec/s':>16}{'ratio':>8}")
    for program in PROGRAMS:
        texts = fixture_texts(program)
        piped, per_piped = rate(pipeline(program, texts), seconds)
        based, per_based = rate(baseline(program, texts), seconds)
        total_pipeline += per_piped
        total_baseline += per_based
        print(f"{program:<16}{len(texts):>8}{piped:>16.0f}{based:>16.0f}{based / piped:>8.2f}")
    print(f"ratio (pipeline time / baseline time, all programs): "
          f"{total_pipeline / total_baseline:.2f}")


if __name__ == "__main__":
    main()
