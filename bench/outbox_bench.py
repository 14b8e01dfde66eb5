"""Throughput of the outbox: program records accepted (checked, mapped, kept and queued, as
`oneplan import` and `POST /intake` do), then synced to HAPI by the worker draining the queue,
beside posting the same transactions to HAPI directly with as many parallel clients as the
worker has, in the same run. The sync phase is what the ratio compares: the outbox's cost
(claims, leases, settling, reading the bundles back) over the same HTTP sends.

    .venv/bin/python bench/outbox_bench.py [--records 300] [--concurrency 4] [--hapi URL]
    [--database URL]

Without --hapi it starts a throwaway local HAPI; without --database it uses a fresh SQLite
file (WAL, synchronous=FULL). The last line is the ratio of synced resources/s through the
gateway to resources/s posted directly (goal: 0.90 or more).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gateway.cli.record_files import SourceRecord
from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.db.schema import QUEUED
from gateway.devtools.golden import copies
from gateway.devtools.hapi import throwaway_hapi
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle
from gateway.store import SYSTEM, FhirStore
from gateway.store.worker import Worker
from gateway.usecases.importer import Importer
from mappings.registry import PROGRAMS, map_record
from vocabulary import transaction as tx


def mixed(count: int, offset: int) -> list[tuple[str, dict[str, Any]]]:
    """Records `offset` to `offset + count` of one endless stream of fresh records, the
    programs taking turns, so that two ranges never share a record."""
    programs = sorted(PROGRAMS)
    pools = {p: copies(p, (offset + count) // len(programs) + 1) for p in programs}
    return [(programs[i % len(programs)], pools[programs[i % len(programs)]][i // len(programs)])
            for i in range(offset, offset + count)]


def through_gateway(url: str, database_url: str, records: list[tuple[str, dict[str, Any]]],
                    concurrency: int) -> tuple[float, float, int]:
    """(accepted records/s, synced resources/s, resources): the records are accepted (checked,
    mapped, kept and queued) first, then the worker drains the queue, each phase timed."""
    database = Database(database_url)
    database.upgrade()
    with FhirStore.at(url, Outbox(database), timeout=120) as store:
        start = time.perf_counter()
        ids: list[int] = []
        for n, (program, record) in enumerate(records):
            report = Importer(store, SYSTEM, program).accept([SourceRecord(Path(program), n,
                                                                           record)])
            ids += report.accepted
        accepted = time.perf_counter() - start
        worker = Worker(store, store.outbox, {}, concurrency=concurrency)
        start = time.perf_counter()
        worker.drain(lambda: QUEUED not in store.outbox.states(ids).values())
        synced = time.perf_counter() - start
        worker.stop()
        resources = sum(len(s.answer.get("entry", ())) for s in store.outbox.status(ids)
                        if s.answer)
    database.close()
    return len(records) / accepted, resources / synced, resources


def direct(url: str, records: list[tuple[str, dict[str, Any]]], concurrency: int) -> float:
    """Resources/s posting each record's transaction straight to HAPI, `concurrency` at once."""
    bundles = [tx.puts(map_record(program, record)) for program, record in records]
    with FhirStore.at(url, timeout=120) as store, ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        answers = list(pool.map(lambda b: store.transaction(SYSTEM, b), bundles))
        seconds = time.perf_counter() - start
    return sum(len(a.get("entry", ())) for a in answers) / seconds


def measure(url: str, database_url: str | None, count: int, concurrency: int) -> None:
    """A warm-up, then direct, through the gateway, direct again: HAPI slows as it fills, so
    the gateway's run is compared with the mean of the direct runs on either side of it."""
    with FhirStore.at(url, timeout=120) as store:
        load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
    direct(url, mixed(count, 3 * count), concurrency)
    before = direct(url, mixed(count // 2, count), concurrency)
    with tempfile.TemporaryDirectory() as folder:
        db_url = database_url or f"sqlite:///{folder}/bench.db"
        accepted, synced, resources = through_gateway(url, db_url, mixed(count, 0), concurrency)
    after = direct(url, mixed(count // 2, count + count // 2), concurrency)
    straight = (before + after) / 2
    print(f"{count} records ({resources} resources), {concurrency} in parallel, after a "
          f"{count}-record warm-up")
    print(f"accepted through the gateway: {accepted:8.1f} records/s")
    print(f"synced through the gateway:   {synced:8.1f} resources/s")
    print(f"posted to HAPI directly:      {straight:8.1f} resources/s "
          f"({before:.1f} before, {after:.1f} after)")
    print(f"ratio (synced through the gateway / direct): {synced / straight:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--hapi", help="a running HAPI's FHIR base URL")
    parser.add_argument("--database", help="the gateway database URL (default: fresh SQLite)")
    args = parser.parse_args()
    if args.hapi:
        measure(args.hapi, args.database, args.records, args.concurrency)
        return
    with throwaway_hapi() as hapi:
        measure(hapi.url, args.database, args.records, args.concurrency)


if __name__ == "__main__":
    main()
