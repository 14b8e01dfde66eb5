"""The identity index in the gateway's database, on SQLite and PostgreSQL: records of one
child resolve to one golden record, a possible match waits for review, decisions are
versioned and sticky, unlinking rebuilds both children, and the database itself refuses a
second MATCH for a source."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from gateway.db import Database
from gateway.db.outbox import Outbox, Write
from gateway.db.schema import IdentityLink
from gateway.usecases.identity import Identities
from identity import rules
from identity.links import MATCH, NO_MATCH, POSSIBLE_MATCH
from mappings.registry import map_record
from tests.mappings.helpers import VALID
from vocabulary.errors import StaleDecision

JSON = dict[str, Any]


def fixture(program: str, name: str) -> JSON:
    case = next(c for c in VALID if c.program == program and c.record.stem == name)
    raw: JSON = case.raw()
    return raw


def keep(db: Database, identities: Identities, program: str, raw: JSON) -> str:
    """Keep a record as intake does, resolving its child; the source Patient's reference."""
    resources = map_record(program, raw)
    found: dict[str, str] = {}

    def then(session: Any, kept: str) -> list[Write]:
        found.update(identities.observe(session, kept, resources, "tester").goldens)
        return []

    Outbox(db).accept(program, raw, "tester", [Write("c")], then)
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    return f"Patient/{patient['id']}"


def without_husky(raw: JSON, record_id: str) -> JSON:
    """The same child as another record has them, known by no HUSKY id, only by the MRN of
    another practice (the ED's): no identifier agrees, none conflicts."""
    copied = copy.deepcopy(raw)
    copied["record_id"] = record_id
    copied["child"].pop("husky_id", None)
    copied["child"]["mrn"] = {"practice": "ccmc-ed", "number": f"ED-{record_id[-4:]}"}
    return copied


@pytest.fixture
def identities(database: Database) -> Identities:
    return Identities(database, rules.load())


def links(db: Database) -> list[tuple[str, str, str, str]]:
    with db.reading() as session:
        return sorted((r.source, r.golden, r.state, r.how)
                      for r in session.query(IdentityLink).all())


def test_two_programs_records_of_one_child_resolve_to_one_golden_record(
        database: Database, identities: Identities) -> None:
    home = keep(database, identities, "home", fixture("home", "mateo-rivera"))
    wrap = keep(database, identities, "wrapct", fixture("wrapct", "mateo-rivera"))
    assert identities.golden_of(home) == identities.golden_of(wrap) is not None
    matches = [link for link in links(database) if link[2] == MATCH]
    assert sorted(source for source, *_ in matches) == sorted([home, wrap])


def test_a_child_without_identifiers_waits_for_review_with_its_score_explained(
        database: Database, identities: Identities) -> None:
    home = keep(database, identities, "home", fixture("home", "mateo-rivera"))
    other = keep(database, identities, "wrapct",
                 without_husky(fixture("wrapct", "mateo-rivera"), "WRAP-2026-9001"))
    assert identities.golden_of(home) != identities.golden_of(other)
    [candidate] = identities.review()
    assert candidate.source == other
    assert candidate.golden == identities.golden_of(home)
    assert candidate.score.verdict == POSSIBLE_MATCH
    assert {f.field for f in candidate.score.fields} >= {"birth_date"}


def test_decisions_are_versioned_sticky_and_undone_by_unlinking(
        database: Database, identities: Identities) -> None:
    home = keep(database, identities, "home", fixture("home", "mateo-rivera"))
    other = keep(database, identities, "wrapct",
                 without_husky(fixture("wrapct", "mateo-rivera"), "WRAP-2026-9002"))
    [candidate] = identities.review()
    with pytest.raises(StaleDecision):
        identities.decide(candidate.source, candidate.golden, MATCH, candidate.version + 1,
                          "reviewer")
    change = identities.decide(candidate.source, candidate.golden, MATCH, candidate.version,
                               "reviewer")
    assert change.goldens[other] == change.goldens[home]
    assert identities.review() == []
    # The same record sent again is matched again by the matcher, which keeps the decision.
    keep(database, identities, "wrapct",
         without_husky(fixture("wrapct", "mateo-rivera"), "WRAP-2026-9002"))
    assert identities.golden_of(other) == identities.golden_of(home)
    [(_, _, _, how)] = [link for link in links(database) if link[0] == other]
    assert how == "MANUAL"

    with database.reading() as session:
        version = session.query(IdentityLink).filter_by(source=other, state=MATCH).one().version
    apart = identities.unlink(other, version, "reviewer")
    assert apart.goldens[other] != apart.goldens[home]
    assert other in apart.moved
    states = {(s, state) for s, _, state, _ in links(database)}
    assert (other, NO_MATCH) in states
    history = identities.history(other)
    assert [e.by for e in history][-1] == "reviewer"
    assert {e.state for e in history} >= {POSSIBLE_MATCH, MATCH}


def test_the_database_refuses_a_second_match_for_a_source(
        database: Database, identities: Identities) -> None:
    home = keep(database, identities, "home", fixture("home", "mateo-rivera"))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(IdentityLink(source=home, golden="another-golden", state=MATCH,
                                 how="MANUAL", score=None, version=1))
