"""`oneplan identity`: the review queue of possible matches, reviewers' decisions, and the
link history. A decision names the version of the link it was made on (`review` shows it);
one made on a link that changed since is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.db.identity import Change
from gateway.settings import Settings
from gateway.store import SYSTEM
from gateway.usecases.identity import Candidate, Identities
from gateway.wiring import Parts, opened
from identity.links import MATCH, NO_MATCH
from vocabulary.errors import OnePlanError

identity_app = typer.Typer(help="Which records are one child: review, link, unlink, history.",
                           no_args_is_help=True)
console = Console()
Source = Annotated[str, typer.Argument(help="A source record's Patient, e.g. Patient/<id>.")]
Golden = Annotated[str, typer.Argument(help="A golden record's id.")]
Version = Annotated[int, typer.Option(help="The version of the link, as `review` shows it.")]
By = Annotated[str, typer.Option(help="Who decides (kept in the link history).")]


@identity_app.command("review")
def review() -> None:
    """Possible matches waiting for a decision, each scored field by field."""
    with opened(Settings()) as parts:
        candidates = parts.identities.review()
    if not candidates:
        console.print("No possible matches to review.")
    for candidate in candidates:
        console.print(_explained(candidate))


def _explained(candidate: Candidate) -> Table:
    found = candidate.score
    table = Table("field", "this record", "golden record's", "method", "similarity", "points",
                  "note", title=(f"{candidate.source} → golden {candidate.golden} "
                                 f"(version {candidate.version}): {found.verdict}, "
                                 f"score {found.total:.2f}, {found.grade}"),
                  caption=found.reason)
    for f in found.fields:
        table.add_row(f.field, f.left, f.right, f.method, f"{f.similarity:.2f}",
                      f"{f.points:+.2f}", f.note)
    return table


@identity_app.command("link")
def link(source: Source, golden: Golden, version: Version, by: By = SYSTEM.name) -> None:
    """Accept a possible match: the source's child is the golden record's."""
    _decided(lambda ids: ids.decide(source, golden, MATCH, version, by))


@identity_app.command("unlink")
def unlink(source: Source, golden: Golden, version: Version, by: By = SYSTEM.name) -> None:
    """Reject a possible match, or undo a match: the source's child is not the golden
    record's. Both children's resources are derived again and re-sent."""
    def decide(ids: Identities) -> Change:
        if ids.golden_of(source) == golden:
            return ids.unlink(source, version, by)
        return ids.decide(source, golden, NO_MATCH, version, by)
    _decided(decide)


def _decided(decision: Callable[[Identities], Change]) -> None:
    with opened(Settings()) as parts:
        try:
            change = decision(parts.identities)
        except OnePlanError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from None
        _resend(parts, change)


def _resend(parts: Parts, change: Change) -> None:
    for source, golden in sorted(change.goldens.items()):
        console.print(f"{source} → golden {golden}")
    if change.moved or change.before:
        count = parts.children.resend(change, parts.store.outbox.queue_in)
        console.print(f"re-derived {count} records and their children's plans: queued for "
                      "the worker")


@identity_app.command("history")
def history(key: Annotated[str, typer.Argument(help="A source (Patient/<id>) or golden id.")]
            ) -> None:
    """Every link made, changed or removed, oldest first."""
    with opened(Settings()) as parts:
        events = parts.identities.history(key)
    table = Table("when", "source", "golden", "state", "how", "score", "by")
    for e in events:
        table.add_row(e.at.isoformat(timespec="seconds"), e.source, e.golden, e.state, e.how,
                      "" if e.score is None else f"{e.score:.2f}", e.by)
    console.print(table)
