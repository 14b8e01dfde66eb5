"""The `oneplan` command line: serve the gateway, run the local HAPI, load fixtures, import
program records."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, track
from rich.table import Table

from gateway.app import create_app
from gateway.cli import operations
from gateway.cli.identity import identity_app
from gateway.cli.operations import Left, Wait, db_app, follow, outbox_app
from gateway.cli.record_files import SourceRecord, read_records
from gateway.devtools.family import keep_family
from gateway.devtools.hapi import LocalHapi
from gateway.devtools.loader import fixture_paths, load_bundle, load_conformance
from gateway.http import server
from gateway.logs import logger
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore
from gateway.usecases.importer import Importer, ImportReport
from gateway.wiring import opened
from mappings.registry import PROGRAMS
from vocabulary.errors import OnePlanError, ServerUnavailable

app = typer.Typer(help="OnePlan: one shared care plan per child, over FHIR R4.",
                  no_args_is_help=True)
hapi_app = typer.Typer(help="Run the local HAPI FHIR server built from hapi/.",
                       no_args_is_help=True)
fixtures_app = typer.Typer(help="Developer fixture bundles.", no_args_is_help=True)
app.add_typer(hapi_app, name="hapi")
app.add_typer(fixtures_app, name="fixtures")
app.add_typer(db_app, name="db")
app.add_typer(outbox_app, name="outbox")
app.add_typer(identity_app, name="identity")
app.command("worker")(operations.worker)
app.command("replay")(operations.replay_records)
console = Console(stderr=True)
T = TypeVar("T")
WHERE_HAPI = ("is HAPI running there? ONEPLAN_HAPI_URL, or ONEPLAN_HAPI_PORT for the local "
              "HAPI, chooses the server")

StartHapi = Annotated[bool, typer.Option(help="Build and start the local HAPI first.")]
LoadFixtures = Annotated[bool, typer.Option(
    help="Load fixtures/bundles into HAPI first, then queue the Rivera family's records.")]
Files = Annotated[list[Path] | None, typer.Argument(help="Bundles (default: fixtures/bundles).")]
ProgramKey = Annotated[str, typer.Argument(help=f"The program: {', '.join(PROGRAMS)}.")]
RecordFiles = Annotated[list[Path], typer.Argument(
    help="Record files: .json (one record or an array), .ndjson (one per line), .csv.",
    exists=True, dir_okay=False, readable=True)]


@app.command()
def serve(start_hapi: StartHapi = False, load_fixtures: LoadFixtures = False) -> None:
    """Serve the gateway on ONEPLAN_HOST:ONEPLAN_PORT (a HAPI it started stops with it)."""
    settings = Settings()
    started = _ensure_hapi(settings) if start_hapi else None
    try:
        if load_fixtures:
            fixtures_load(None)
        gateway = create_app(settings)
        if load_fixtures:
            queued = keep_family(gateway.state.parts)
            logger.info("fixtures.family", queued=len(queued))
        logger.info("gateway.listen",
                    metadata=f"http://{settings.host}:{settings.port}/fhir/metadata")
        server.serve(gateway, settings)
    finally:
        if started is not None:
            started.stop()


@hapi_app.command("start")
def hapi_start() -> None:
    """Build hapi/ if needed (first time: Maven downloads), start it and wait until it answers."""
    _ensure_hapi(Settings())


@hapi_app.command("build")
def hapi_build() -> None:
    """Package hapi/ with Maven unless the jar is newer than its sources."""
    _build(_local(Settings()))


@hapi_app.command("stop")
def hapi_stop() -> None:
    """Stop the local HAPI started by `oneplan hapi start`."""
    stopped = _local(Settings()).stop()
    console.print("HAPI stopped" if stopped else "HAPI was not running")


@hapi_app.command("status")
def hapi_status() -> None:
    """Say whether the local HAPI runs and answers; exit 1 if it does not answer."""
    hapi = _local(Settings())
    pid, answers = hapi.pid(), hapi.answers()
    console.print(f"pid: {pid or '-'}  answers: {'yes' if answers else 'no'}  url: {hapi.url}")
    if not answers:
        raise typer.Exit(1)


@fixtures_app.command("load")
def fixtures_load(files: Files = None) -> None:
    """Put OnePlan's conformance artefacts (profiles/) into HAPI (ONEPLAN_HAPI_URL), then post
    each fixture bundle as one transaction."""
    settings = Settings()
    with FhirStore.connect(settings) as store:
        result = _or_exit(partial(load_conformance, store, SYSTEM))
        console.print(f"profiles: {len(result.get('entry', ()))} conformance resources")
        for path in track(files or fixture_paths(), description="Loading bundles", console=console):
            result = _or_exit(partial(load_bundle, store, SYSTEM, path))
            console.print(f"{path.name}: {len(result.get('entry', ()))} entries")


@app.command("import")
def import_records(program: ProgramKey, files: RecordFiles, wait: Wait = 600.0) -> None:
    """Import program records: each is checked, kept in the gateway's database and queued,
    exactly like POST /intake/{program}; a worker here syncs them to HAPI. Bad records are
    reported with their line and skipped; the exit status is 1 if any failed. What HAPI has
    not taken within --wait seconds stays queued for `oneplan worker` or `oneplan serve`.
    Re-running changes nothing in HAPI."""
    settings = Settings()
    records = [record for path in files for record in read_records(path)]
    with opened(settings) as parts:
        importer = _or_exit(partial(Importer, parts.store, SYSTEM, program, parts.children))
        sync = parts.worker(settings)
        sync.start()
        try:
            report, left = _import(parts.store, importer, records, wait)
        finally:
            sync.stop()
    _print_report(report)
    if left.error:
        console.print(f"[yellow]HAPI at {settings.hapi_base} has not taken them:[/yellow] "
                      f"{left.error}\n  {WHERE_HAPI}")
    if report.failures or left.count:
        raise typer.Exit(1)


def _import(store: FhirStore, importer: Importer, records: list[SourceRecord],
            wait: float) -> tuple[ImportReport, Left]:
    with Progress(console=console) as progress:
        accepted = progress.add_task("Accepted", total=len(records))
        synced = progress.add_task("Synced to HAPI", total=None)
        report = importer.accept(records, lambda: progress.advance(accepted))
        progress.update(synced, total=len(report.accepted))
        left = follow(store, list(report.accepted), wait, report.settle, progress, synced)
    return report, left


def _print_report(report: ImportReport) -> None:
    earlier = f" ({report.already} kept by an earlier run)" if report.already else ""
    console.print(f"{report.records} records: {len(report.accepted)} accepted{earlier}, "
                  f"{report.synced} synced, {report.queued} still queued, "
                  f"{len(report.failures)} failed; resources: {report.created} created, "
                  f"{report.updated} updated or unchanged")
    if report.queued:
        console.print("the queued records are kept; `oneplan worker`, `oneplan serve` or "
                      "`oneplan outbox drain` sends them when HAPI answers")
    if not report.failures:
        return
    table = Table("record", "field", "problem", title="Records not imported")
    for failure in report.failures:
        for issue in failure.issues:
            table.add_row(failure.where, issue.expression or "", issue.diagnostics)
    console.print(table)


def _build(hapi: LocalHapi) -> None:
    if not hapi.needs_build():
        console.print(f"{hapi.jar.name} is up to date")
        return
    with console.status("Building hapi/ with Maven (the first build downloads HAPI)..."):
        _or_exit(hapi.build)
    console.print(f"built {hapi.jar}")


def _ensure_hapi(settings: Settings) -> LocalHapi | None:
    """Start the local HAPI unless one answers already; returns it if this call started it."""
    hapi = _local(settings)
    if hapi.answers():
        console.print(f"HAPI already answers at {hapi.url}")
        return None
    _build(hapi)
    with console.status(f"Starting HAPI on port {settings.hapi_port}..."):
        _or_exit(hapi.start)
        seconds = _or_exit(hapi.wait_ready)
    console.print(f"HAPI answers at {hapi.url} after {seconds:.0f}s (log: {hapi.log_path})")
    return hapi


def _local(settings: Settings) -> LocalHapi:
    return LocalHapi(port=settings.hapi_port, data_dir=settings.hapi_data_dir)


def _or_exit(step: Callable[[], T]) -> T:
    """Run a step; a OnePlan error becomes a readable message and exit status 1."""
    try:
        return step()
    except OnePlanError as exc:
        console.print(f"[red]error:[/red] {exc.message}")
        if isinstance(exc, ServerUnavailable):
            console.print(f"  {WHERE_HAPI}")
        for issue in exc.issues:
            if issue.expression:
                console.print(f"  {issue.expression}: {issue.diagnostics}")
        raise typer.Exit(1) from exc
