"""Operating the gateway's database and outbox: `oneplan db`, `oneplan outbox`,
`oneplan worker` and `oneplan replay`, and following queued entries until they land."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table
from sqlalchemy.engine import make_url

from gateway import clock
from gateway.db.outbox import Status
from gateway.db.schema import DEAD, QUEUED
from gateway.settings import Settings
from gateway.store import FhirStore
from gateway.usecases.replay import replay
from gateway.usecases.submission import GREEN_FORM_KIND
from gateway.wiring import Parts, opened
from mappings.registry import PROGRAMS

db_app = typer.Typer(help="The gateway's own database.", no_args_is_help=True)
outbox_app = typer.Typer(help="The outbox of writes to HAPI.", no_args_is_help=True)
console = Console(stderr=True)

Wait = Annotated[float, typer.Option(min=0, help="Seconds to wait for HAPI before leaving "
                                                   "the rest queued for the worker.")]
KINDS = (*PROGRAMS, GREEN_FORM_KIND)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database at ONEPLAN_DATABASE_URL (`oneplan serve` does it too)."""
    settings = Settings()
    with opened(settings) as parts:
        url = make_url(parts.database.url).render_as_string()
        console.print(f"database {url} is at schema revision {parts.revision}")


@outbox_app.command("status")
def outbox_status() -> None:
    """Depth, oldest age and dead letters; exit 1 if any entry is dead."""
    with opened(Settings()) as parts:
        outbox = parts.store.outbox
        depth = outbox.depth()
        console.print(f"queued: {depth.queued}  oldest: {depth.lag(clock.now()):.1f}s  "
                      f"dead: {depth.dead}")
        dead = outbox.dead()
    if dead:
        table = Table("entry", "record", "attempts", "error", title="Dead letters")
        for status in dead:
            table.add_row(str(status.id), status.record_id, str(status.attempts),
                          status.error or "")
        console.print(table)
        raise typer.Exit(1)


@outbox_app.command("retry")
def outbox_retry(entries: Annotated[list[int] | None, typer.Argument(help="Entry ids.")] = None,
                 dead: Annotated[bool, typer.Option("--dead", help="Every dead entry.")] = False
                 ) -> None:
    """Queue dead entries again: the ones named, or `--dead` for all."""
    if not entries and not dead:
        raise typer.BadParameter("name entry ids, or pass --dead for every dead entry")
    with opened(Settings()) as parts:
        count = parts.store.outbox.retry(None if dead else entries)
    console.print(f"{count} entr{'y' if count == 1 else 'ies'} queued again")


@outbox_app.command("drain")
def outbox_drain(wait: Wait = 600.0) -> None:
    """Send every queued entry now, here; exit 1 if any is left queued or dead."""
    settings = Settings()
    with opened(settings) as parts:
        ids = parts.store.outbox.queued()
        left = _synced(parts, settings, ids, wait, "Draining the outbox")
        dead = sum(1 for s in parts.store.outbox.status(ids) if s.state == DEAD)
    console.print(f"{len(ids) - left - dead} sent, {dead} dead, {left} still queued")
    if left or dead:
        raise typer.Exit(1)


def worker() -> None:
    """Run the sync worker alone (e.g. beside gateways started with ONEPLAN_WORKER=false),
    until SIGTERM or Ctrl-C."""
    settings = Settings()
    with opened(settings) as parts:
        sync = parts.worker(settings)
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        sync.start()
        console.print(f"worker {sync.name} on {make_url(parts.database.url).render_as_string()}")
        stop.wait()
        sync.stop()


def replay_records(
        program: Annotated[list[str] | None, typer.Option(
            help=f"Only records of these kinds: {', '.join(KINDS)}.")] = None,
        since: Annotated[datetime | None, typer.Option(
            help="Only records received on or after this date (UTC).",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])] = None,
        wait: Wait = 600.0) -> None:
    """Derive the writes of kept records again and send them (after a mapping fix)."""
    unknown = sorted(set(program or ()) - set(KINDS))
    if unknown:
        raise typer.BadParameter(f"unknown kind(s) {', '.join(unknown)}; one of {KINDS}")
    settings = Settings()
    with opened(settings) as parts:
        submissions = parts.submissions()
        done = replay(parts.store, submissions, program, since and _utc(since))
        console.print(f"{done.records} records: {len(done.queued)} writes queued, "
                      f"{len(done.failures)} no longer map")
        for record_id, issues in done.failures:
            for issue in issues:
                console.print(f"  {record_id}: {issue.expression or ''} {issue.diagnostics}")
        left = _synced(parts, settings, list(done.queued), wait, "Replaying")
    if left or done.failures:
        raise typer.Exit(1)


@dataclass(frozen=True)
class Left:
    """What `follow` left queued, and the last error that kept it there."""

    count: int
    error: str | None


def follow(store: FhirStore, ids: Sequence[int], wait: float,
           settled: Callable[[Sequence[Status]], None], progress: Progress, bar: TaskID) -> Left:
    """Watch entries until each is sent or dead, or `wait` seconds pass."""
    pending, deadline, error = list(ids), time.monotonic() + wait, None
    while pending:
        states = store.outbox.states(pending)
        finished = {i for i, state in states.items() if state != QUEUED}
        done = store.outbox.status(sorted(finished)) if finished else []
        settled(done)
        progress.advance(bar, len(done))
        pending = [i for i in pending if i not in finished]
        error = _last_error(store, pending) or error
        if error:
            progress.update(bar, description="[yellow]Synced to HAPI (retrying)")
        if not pending or time.monotonic() >= deadline:
            break
        store.settled.wait(0.2)
    return Left(len(pending), error if pending else None)


def _last_error(store: FhirStore, pending: Sequence[int]) -> str | None:
    """The error of the oldest entry still waiting, if a send of it failed."""
    head = store.outbox.status(pending[:1]) if pending else []
    return head[0].error if head else None


def _synced(parts: Parts, settings: Settings, ids: Sequence[int], wait: float,
            what: str) -> int:
    """Run a worker here while following `ids`; how many are left queued."""
    sync = parts.worker(settings)
    sync.start()
    try:
        with Progress(console=console) as progress:
            bar = progress.add_task(what, total=len(ids))
            left = follow(parts.store, ids, wait, lambda _: None, progress, bar)
    finally:
        sync.stop()
    if left.error:
        console.print(f"[yellow]{left.count} still queued:[/yellow] {left.error}")
    return left.count


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)
