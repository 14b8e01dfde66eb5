"""The outbox: a record and its writes kept together or not at all, each child's entries
claimed one at a time in order, leases that run out, and the operator's views and retry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gateway.db import Database
from gateway.db.outbox import Outbox, Write
from gateway.db.schema import DEAD, QUEUED, SENT, Entry, Record
from tests.gateway.db.conftest import T0, Clock, due_at

BUNDLE = {"resourceType": "Bundle", "type": "transaction", "entry": []}
ANSWER = {"resourceType": "Bundle", "type": "transaction-response", "entry": []}


def claimed(outbox: Outbox, owner: str = "w1", limit: int = 10, lease: float = 60) -> list[int]:
    return [w.id for w in outbox.claim(owner, limit, lease)]


def rows(db: Database) -> tuple[int, int]:
    with db.session() as session:
        return (session.scalars(select(func.count()).select_from(Record)).one(),
                session.scalars(select(func.count()).select_from(Entry)).one())


def test_a_record_is_not_kept_when_one_of_its_writes_cannot_be_written(
        outbox: Outbox, database: Database) -> None:
    unwritable = {"resourceType": "Bundle", "entry": {object()}}  # a set: not JSON
    with pytest.raises(Exception, match="not JSON serializable"):
        outbox.accept("home", {"n": 1}, "tester", [Write("child-1", BUNDLE),
                                                   Write("child-2", unwritable)])
    assert rows(database) == (0, 0)
    assert (outbox.records(), outbox.queued()) == ([], [])
    ids = outbox.accept("home", {"n": 2}, "tester", [Write("child-1", BUNDLE)])
    assert rows(database) == (1, 1)
    assert outbox.queued() == ids


def test_a_claim_hands_over_the_bundle_or_the_record_to_plan(outbox: Outbox) -> None:
    [entry] = outbox.accept("home", {"n": 1}, "tester", [Write("child-1", BUNDLE)])
    [planned] = outbox.accept("green-form", {"n": 2}, "tester", [Write("child-2")])
    fixed, later = outbox.claim("w1", 10, 60)
    assert (fixed.id, fixed.kind, fixed.bundle, fixed.attempts) == (entry, "home", BUNDLE, 1)
    assert (later.id, later.kind, later.body, later.bundle) == (
        planned, "green-form", {"n": 2}, None)
    assert [r[0] for r in outbox.records()] == [fixed.record_id, later.record_id]


def test_one_child_is_sent_one_entry_at_a_time_in_id_order(outbox: Outbox) -> None:
    a1, a2, b1 = outbox.accept("home", {"n": 1}, "t", [Write("a"), Write("a"), Write("b")])
    [a3] = outbox.accept("home", {"n": 2}, "t", [Write("a")])
    assert claimed(outbox, limit=1) == [a1]
    assert claimed(outbox) == [b1]  # the other child goes on in parallel
    assert claimed(outbox) == []  # a2 waits for a1
    assert outbox.settle_sent(a1, "w1", BUNDLE, ANSWER)
    assert claimed(outbox) == [a2]
    assert outbox.settle_dead(a2, "w1", "rejected", {"resourceType": "OperationOutcome"}, 422)
    assert claimed(outbox) == [a3]  # a dead entry does not hold its child back
    assert [s.state for s in outbox.status([a1, a2, a3, b1])] == [SENT, DEAD, QUEUED, QUEUED]


def test_an_entry_due_later_holds_back_the_rest_of_its_child(
        outbox: Outbox, database: Database, clock: Clock) -> None:
    c1, c2, d1 = outbox.accept("home", {"n": 1}, "t", [Write("c"), Write("c"), Write("d")])
    assert claimed(outbox) == [c1, d1]
    assert outbox.settle_later(c1, "w1", "HAPI answered 503", 30)
    assert due_at(database, c1) == T0.replace(second=30)
    clock.advance(29.9)
    assert claimed(outbox) == []
    clock.advance(0.1)
    [again] = outbox.claim("w1", 10, 60)
    assert (again.id, again.attempts) == (c1, 2)
    assert outbox.settle_sent(c1, "w1", BUNDLE, ANSWER)
    assert claimed(outbox) == [c2]


def test_a_lease_keeps_others_off_until_it_runs_out_then_the_first_owner_lost_it(
        outbox: Outbox, clock: Clock) -> None:
    [entry] = outbox.accept("home", {"n": 1}, "t", [Write("c", BUNDLE)])
    assert claimed(outbox, "w1", lease=30) == [entry]
    assert claimed(outbox, "w2") == []
    clock.advance(29)
    assert claimed(outbox, "w2") == []
    clock.advance(2)
    [work] = outbox.claim("w2", 10, 30)
    assert (work.id, work.attempts) == (entry, 2)
    assert not outbox.settle_sent(entry, "w1", BUNDLE, ANSWER)
    assert not outbox.settle_later(entry, "w1", "late", 5)
    assert not outbox.settle_dead(entry, "w1", "late", {}, 422)
    [status] = outbox.status([entry])
    assert (status.state, status.sent, status.answer, status.error) == (QUEUED, None, None, None)
    clock.advance(1)
    assert outbox.settle_sent(entry, "w2", BUNDLE, ANSWER)
    [status] = outbox.status([entry])
    assert (status.state, status.sent, status.answer, status.sent_at) == (
        SENT, BUNDLE, ANSWER, clock())
    assert not outbox.settle_sent(entry, "w2", BUNDLE, ANSWER)  # settled once


def test_dead_entries_are_retried_by_id_or_all_and_depth_counts_them(
        outbox: Outbox, clock: Clock) -> None:
    assert (outbox.depth().queued, outbox.depth().dead, outbox.depth().lag(T0)) == (0, 0, 0.0)
    e1, e2, e3 = outbox.accept("home", {"n": 1}, "t", [Write("x"), Write("y"), Write("z")])
    clock.advance(10)
    [e4] = outbox.accept("home", {"n": 2}, "t", [Write("y")])
    assert claimed(outbox) == [e1, e2, e3]
    for entry in (e1, e3):
        assert outbox.settle_dead(entry, "w1", "rejected", {"resourceType": "x"}, 422)
    assert outbox.settle_sent(e2, "w1", BUNDLE, ANSWER)
    depth = outbox.depth()
    assert (depth.queued, depth.dead, depth.lag(clock.advance(5))) == (1, 2, 5.0)
    assert [(s.id, s.failure, s.answer) for s in outbox.dead()] == [
        (e1, 422, {"resourceType": "x"}), (e3, 422, {"resourceType": "x"})]
    assert outbox.retry([e1, e2]) == 1  # e2 was sent, not dead
    [status] = outbox.status([e1])
    assert (status.state, status.attempts, status.failure, status.answer) == (QUEUED, 0, None,
                                                                             None)
    assert [s.id for s in outbox.dead()] == [e3]
    assert outbox.depth().lag(clock()) == 15.0  # e1 waits since it was accepted
    assert outbox.retry() == 1
    assert outbox.retry() == 0
    assert (outbox.dead(), outbox.queued()) == ([], [e1, e3, e4])
    assert claimed(outbox) == [e1, e3, e4]


def test_child_of_finds_the_latest_child_that_names_a_topic(outbox: Outbox) -> None:
    outbox.accept("green-form", {"n": 1}, "t", [Write("y", topic="ServiceRequest/1"),
                                                Write("z", topic="ServiceRequest/2")])
    assert outbox.child_of("ServiceRequest/1") == "y"
    outbox.accept("green-form", {"n": 2}, "t", [Write("w", topic="ServiceRequest/1")])
    assert outbox.child_of("ServiceRequest/1") == "w"
    assert outbox.child_of("ServiceRequest/9") is None


def test_records_come_in_the_order_accepted_by_kind_and_since(
        outbox: Outbox, clock: Clock) -> None:
    outbox.accept("home", {"n": 1}, "t", [Write("a")])
    clock.advance(10)
    outbox.accept("green-form", {"n": 2}, "t", [Write("a")])
    clock.advance(10)
    outbox.accept("home", {"n": 3}, "t", [Write("b")])
    assert [b["n"] for _, _, b in outbox.records()] == [1, 2, 3]
    assert [(k, b["n"]) for _, k, b in outbox.records(kinds=["home"])] == [("home", 1),
                                                                           ("home", 3)]
    assert [b["n"] for _, _, b in outbox.records(since=T0.replace(second=10))] == [2, 3]
    assert [b["n"] for _, _, b in outbox.records(["home"], T0.replace(second=5))] == [3]
    assert outbox.records(kinds=["school"]) == []


def test_replay_order_is_acceptance_order_even_when_clocks_disagree(
        outbox: Outbox, clock: Clock) -> None:
    """Two replicas' clocks may be skewed: a child's records replay in the order its
    entries were queued, not by their timestamps."""
    clock.advance(60)
    outbox.accept("home", {"n": 1}, "replica-1", [Write("a")])
    clock.at = T0
    outbox.accept("home", {"n": 2}, "replica-2", [Write("a")])
    assert [b["n"] for _, _, b in outbox.records()] == [1, 2]
