"""Several workers, each with its own connection pool (as replicas have), claim from one
outbox at once: every entry is claimed once, each child's entries one at a time and in id order
(FOR UPDATE SKIP LOCKED on PostgreSQL, IMMEDIATE transactions on SQLite)."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from gateway.db import Database
from gateway.db.outbox import Outbox, Write

WORKERS, ENTRIES, CHILDREN = 4, 200, 20
DEADLINE = 120.0  # seconds; a claim loop that never ends fails instead of hanging
ANSWER = {"resourceType": "Bundle", "type": "transaction-response", "entry": []}


def test_concurrent_workers_claim_each_entry_once_and_each_child_in_order(
        database: Database, database_url: str) -> None:
    outbox = Outbox(database)
    child_of: dict[int, str] = {}
    for batch in range(ENTRIES // CHILDREN):
        writes = [Write(f"Patient/{c}", {"batch": batch}) for c in range(CHILDREN)]
        child_of.update(zip(outbox.accept("home", {"batch": batch}, "t", writes),
                            (w.child for w in writes), strict=True))
    lock = threading.Lock()
    claims: list[int] = []  # every claim, in the order claims were made
    held: set[str] = set()  # children whose entry a worker holds right now
    doubled: list[str] = []

    def work(owner: str) -> int:
        db = Database(database_url)
        mine = Outbox(db)
        deadline = time.monotonic() + DEADLINE
        try:
            while time.monotonic() < deadline:
                got = mine.claim(owner, 3, 300)
                if not got and not mine.queued():
                    return 0
                with lock:
                    for w in got:
                        doubled.extend([child_of[w.id]] if child_of[w.id] in held else [])
                        held.add(child_of[w.id])
                        claims.append(w.id)
                for w in got:
                    with lock:
                        held.discard(child_of[w.id])
                    assert mine.settle_sent(w.id, owner, {"sent": w.id}, ANSWER)
                if not got:
                    time.sleep(0.001)
            return len(mine.queued())
        finally:
            db.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        left = list(pool.map(work, [f"worker-{n}" for n in range(WORKERS)]))
    assert left == [0] * WORKERS
    assert doubled == []
    assert Counter(claims) == Counter(list(child_of))  # each entry claimed exactly once
    order: dict[str, list[int]] = defaultdict(list)
    for entry in claims:
        order[child_of[entry]].append(entry)
    assert len(order) == CHILDREN
    assert all(ids == sorted(ids) for ids in order.values())
    assert outbox.queued() == []
    assert {s.sent["sent"] for s in outbox.status(list(child_of)) if s.sent} == set(child_of)
