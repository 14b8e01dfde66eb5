"""The pieces of the durability proofs, shared by the integration tests (short runs) and
`bench/soak.py` (full size): fresh records, versions of one child's record, the gateway as a
subprocess to kill, and the check that HAPI holds exactly what the kept records map to."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from gateway.app import create_app
from gateway.db import Database
from gateway.db.outbox import Depth, Outbox
from gateway.devtools.golden import copies
from gateway.http.server import config
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore
from identity.demographics import from_patient
from identity.links import golden_id
from mappings.references import repoint
from mappings.registry import map_record
from shared_plan.derive import part_of
from vocabulary import transaction as tx
from vocabulary.fhir import JSON

Record = tuple[str, dict[str, Any]]
ONEPLAN = [str(Path(sys.executable).with_name("oneplan"))]


def fresh(program: str, count: int, skip: int) -> list[Record]:
    """`count` records of one program, after the first `skip` of `copies` (other tests take
    those), so a run on a shared HAPI writes ids nobody else writes; each copy is a child of
    its own."""
    return [(program, r) for r in copies(program, skip + count)[skip:]]


def versions(records: Sequence[Record], each: int) -> list[Record]:
    """`each` successive versions of every record (its H.O.M.E. intake summary numbered)."""
    out = []
    for n in range(1, each + 1):
        for program, record in records:
            intake = {**record.get("intake", {}), "summary": f"Version {n} of this record."}
            out.append((program, {**record, "intake": intake}))
    return out


def ndjson(path: Path, records: Iterable[Record]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for _, r in records), encoding="utf-8")
    return path


def oneplan(args: Sequence[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`oneplan ARGS` as a child process, with these settings, its output appended to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen([*ONEPLAN, *args], env={**os.environ, **env},
                                stdout=out, stderr=subprocess.STDOUT)


@dataclass
class Check:
    """How HAPI's resources compare with what the records map to."""

    expected: int = 0
    missing: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    reversioned: list[str] = field(default_factory=list)  # written more than once

    @property
    def exact(self) -> bool:
        return not (self.missing or self.differing or self.reversioned)


def check(store: FhirStore, records: Iterable[Record], chunk: int = 50) -> Check:
    """Read every resource the records map to (the last record of an id wins) and compare
    it, meta aside, with the mapping; a version other than 1 means it was written twice."""
    wanted: dict[str, JSON] = {}
    for program, record in records:
        wanted.update({tx.url(r): r for r in as_sent(program, record)})
    found = Check(expected=len(wanted))
    urls = list(wanted)
    for start in range(0, len(urls), chunk):
        for url, held in store.read_many(SYSTEM, urls[start:start + chunk]).items():
            _compare(found, url, wanted[url], held)
    return found


def as_sent(program: str, record: JSON) -> list[JSON]:
    """A record's resources as the gateway sends them for a child no other record shares
    (each `fresh` copy is one): pointed at the child's golden Patient, plans `partOf` its
    shared plan."""
    resources = map_record(program, record)
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    related = [r for r in resources if r["resourceType"] == "RelatedPerson"]
    golden = golden_id([from_patient(patient, related)])
    return part_of(repoint(resources, tx.url(patient), f"Patient/{golden}"), golden)


def _compare(found: Check, url: str, wanted: JSON, held: JSON | None) -> None:
    if held is None:
        found.missing.append(url)
        return
    have, want = _content(held), _content(wanted)
    if have != want:
        keys = sorted(k for k in {*have, *want} if have.get(k) != want.get(k))
        found.differing.append(f"{url} ({', '.join(keys)}: {have.get(keys[0])!r:.300} "
                               f"!= {want.get(keys[0])!r:.300})")
    if held.get("meta", {}).get("versionId") != "1":
        found.reversioned.append(url)


def _content(resource: JSON) -> JSON:
    """The resource without what the server sets. Labels compare by system and code: HAPI
    drops the extensions of a `meta.security` coding when the write creates its tag
    definition (seen on HAPI 8.8), which is HAPI's storage, not a delivery effect."""
    meta = resource.get("meta", {})
    labels = sorted((c.get("system", ""), c.get("code", "")) for c in meta.get("security", ()))
    kept = {k: meta[k] for k in ("tag", "profile") if k in meta}
    return {**{k: v for k, v in resource.items() if k != "meta"}, "meta": kept,
            "labels": labels}


def crash_import(program: str, path: Path, env: Mapping[str, str], log: Path, kills: int,
                 rng: random.Random) -> tuple[int, int]:
    """Run `oneplan import`, then `oneplan worker`, in turn, each SIGKILLed a few seconds in,
    `kills` times; then the import once more to the end. How many processes were killed, and
    the last import's exit status."""
    killed = 0
    for n in range(kills):
        child = oneplan(["import", program, str(path)] if n % 2 == 0 else ["worker"], env, log)
        time.sleep(rng.uniform(4.0, 7.0))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed += 1
        child.wait()
    final = oneplan(["import", program, str(path), "--wait", "900"], env, log)
    return killed, final.wait(1800)


def post_all(base: str, records: Sequence[Record], threads: int = 16) -> list[int]:
    """POST each record to `base`'s /intake, `threads` at once; the statuses, in order."""
    with httpx.Client(base_url=base, timeout=60) as client, ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda r: client.post(f"/intake/{r[0]}", json=r[1]).status_code,
                             records))


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    """The gateway served by uvicorn in a thread, as `oneplan serve` runs it; its base URL."""
    server = uvicorn.Server(config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, 30, 0.05)
    try:
        yield f"http://{settings.host}:{settings.port}"
    finally:
        server.should_exit = True
        thread.join(30)


def depth(url: str) -> Depth:
    database = Database(url)
    try:
        return Outbox(database).depth()
    finally:
        database.close()


def kept_in_order(url: str) -> list[Record]:
    """The kept records, in the order they were accepted (the last version of each wins)."""
    database = Database(url)
    try:
        return [(kind, body) for _, kind, body in Outbox(database).records()]
    finally:
        database.close()


def wait_until(condition: Any, seconds: float, every: float = 0.2) -> float:
    """Seconds until `condition()` held; raises TimeoutError after `seconds`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise TimeoutError(f"not done after {seconds:.0f}s")
        time.sleep(every)
    return time.monotonic() - start
