"""`oneplan identity review|link|unlink|history` on the test's own database: a reviewer sees a
possible match scored field by field, links it naming its version, is refused on a stale
version, and finds every change in the history."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.db import Database
from gateway.usecases.identity import Identities
from identity import rules
from tests.gateway.db.test_identity import fixture, keep, without_husky


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPLAN_HAPI_URL", "http://hapi.test/fhir")
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def pair(gateway_database: str) -> tuple[str, str, Identities]:
    db = Database(gateway_database)
    db.upgrade()
    identities = Identities(db, rules.load())
    home = keep(db, identities, "home", fixture("home", "mateo-rivera"))
    other = keep(db, identities, "wrapct",
                 without_husky(fixture("wrapct", "mateo-rivera"), "WRAP-2026-9101"))
    return home, other, identities


def test_a_reviewer_links_a_possible_match_and_the_history_says_who(
        pair: tuple[str, str, Identities]) -> None:
    home, other, identities = pair
    [candidate] = identities.review()
    shown = CliRunner().invoke(cli, ["identity", "review"])
    assert shown.exit_code == 0, shown.output
    assert "POSSIBLE_MATCH" in shown.output
    assert f"(version {candidate.version})" in shown.output
    assert "birth_date" in shown.output

    stale = CliRunner().invoke(cli, ["identity", "link", candidate.source, candidate.golden,
                                     "--version", str(candidate.version + 1)])
    assert stale.exit_code == 1
    assert "review it again" in stale.output
    assert identities.golden_of(home) != identities.golden_of(other)

    linked = CliRunner().invoke(cli, ["identity", "link", candidate.source, candidate.golden,
                                      "--version", str(candidate.version), "--by", "rosa"])
    assert linked.exit_code == 0, linked.output
    assert identities.golden_of(home) == identities.golden_of(other)
    history = CliRunner().invoke(cli, ["identity", "history", candidate.source])
    assert history.exit_code == 0, history.output
    assert "rosa" in history.output
    assert "MANUAL" in history.output
