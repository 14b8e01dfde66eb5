"""The durability proofs at full size, on a throw-away local HAPI behind a recording proxy:

- crash: a `--records` import (default 1,000) whose `oneplan import` and `oneplan worker`
  processes are SIGKILLed `--kills` times (default 6) at random points, then finished;
- poison: in the same import, one record the proxy rejects as HAPI rejects a bad resource;
- outage: HAPI itself stopped for `--outage` seconds (default 60) in the middle of posting
  `--records` records to a served gateway, then started again.

    .venv/bin/python bench/soak.py [--records 1000] [--kills 6] [--outage 60]

It prints lost resources, duplicated effects (resources written more than once), sends per
entry at the proxy (max and mean), refused requests and the recovery time after the outage.
Its last line is the ratio of resources HAPI holds to resources expected (1.00: none lost).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from pathlib import Path

from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.devtools.durability import (
    check,
    crash_import,
    depth,
    fresh,
    ndjson,
    post_all,
    served,
    wait_until,
)
from gateway.devtools.hapi import LocalHapi, free_port, throwaway_hapi
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle
from gateway.devtools.proxy import RecordingProxy
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore


def crash(hapi: LocalHapi, folder: Path, count: int, kills: int) -> tuple[int, int]:
    records = fresh("home", count, skip=0)
    poison, *good = records
    proxy = RecordingProxy(hapi.url).start()
    proxy.poison = f'"{poison[1]["record_id"]}"'
    env = {"ONEPLAN_HAPI_URL": proxy.url, "ONEPLAN_LOG_LEVEL": "WARNING",
           "ONEPLAN_DATABASE_URL": f"sqlite:///{folder}/crash.db"}
    started = time.monotonic()
    killed, status = crash_import("home", ndjson(folder / "home.ndjson", records), env,
                                  folder / "crash.log", kills, random.Random(kills))
    seconds = time.monotonic() - started
    proxy.stop()
    with FhirStore.at(hapi.url, timeout=120) as store:
        found = check(store, good)
    sends = list(proxy.sends.values())
    dead, poisoned = dead_letters(env["ONEPLAN_DATABASE_URL"])
    print(f"crash: {count} records, {killed} processes killed, finished in {seconds:.0f}s "
          f"(last import's exit status {status}: 1 names the dead-lettered record)")
    print(f"  poison: {dead} dead letters, of records {poisoned} (the poison record is "
          f"{poison[1]['record_id']}; once per import run that reached it); {count - 1} others "
          f"expected in HAPI")
    print(f"  lost: {len(found.missing)} of {found.expected} resources; differing: "
          f"{len(found.differing)}; duplicated effects: {len(found.reversioned)}")
    print(f"  sends per entry at the proxy: max {max(sends)}, mean {sum(sends) / len(sends):.3f}, "
          f"entries sent more than once: {sum(1 for n in sends if n > 1)}")
    return found.expected - len(found.missing), found.expected


def dead_letters(url: str) -> tuple[int, list[str]]:
    """How many entries are dead, and the record ids they belong to."""
    database = Database(url)
    try:
        box = Outbox(database)
        dead = {s.record_id for s in box.dead()}
        count = len(box.dead())
        return count, sorted({b["record_id"] for i, _, b in box.records() if i in dead})
    finally:
        database.close()


def outage(hapi: LocalHapi, folder: Path, count: int, seconds: float) -> tuple[int, int]:
    records = fresh("wrapct", count, skip=0)
    database = f"sqlite:///{folder}/outage.db"
    settings = Settings(hapi_url=hapi.url, port=free_port(), sync_wait_ms=500,
                        log_level="WARNING", database_url=database)
    with served(settings) as base:
        stopper = threading.Timer(2.0, hapi.stop)
        stopper.start()
        third = count // 3
        answers = post_all(base, records[:third], threads=4)
        stopper.join()
        down = time.monotonic()
        answers += post_all(base, records[third:2 * third], threads=4)
        time.sleep(max(0.0, seconds - (time.monotonic() - down)))
        hapi.start()
        hapi.wait_ready(300)
        back = time.monotonic()
        answers += post_all(base, records[2 * third:], threads=4)
        recovery = wait_until(lambda: depth(database).queued == 0, 900, 0.5)
        drained = time.monotonic() - back
    refused = sum(1 for a in answers if a not in (201, 202))
    with FhirStore.at(hapi.url, timeout=120) as store:
        found = check(store, records)
    print(f"outage: HAPI down {back - down:.0f}s during {count} intakes; answers "
          f"{ {a: answers.count(a) for a in sorted(set(answers))} }, refused: {refused}")
    print(f"  recovery after HAPI answered: {drained:.1f}s (queue empty {recovery:.1f}s after "
          f"the last intake)")
    print(f"  lost: {len(found.missing)} of {found.expected} resources; differing: "
          f"{len(found.differing)}; duplicated effects: {len(found.reversioned)}")
    return found.expected - len(found.missing), found.expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--outage", type=float, default=60.0)
    args = parser.parse_args()
    with throwaway_hapi() as hapi, tempfile.TemporaryDirectory() as folder:
        with FhirStore.at(hapi.url) as store:
            load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
        held, expected = crash(hapi, Path(folder), args.records, args.kills)
        held2, expected2 = outage(hapi, Path(folder), args.records, args.outage)
    print(f"ratio (resources held / expected): {(held + held2) / (expected + expected2):.2f}")


if __name__ == "__main__":
    main()
