from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from identity.demographics import Demographics
from identity.links import MANUAL, MATCH, NO_MATCH, POSSIBLE_MATCH, Decision, golden_id, resolve
from identity.rules import load
from identity.score import score
from tests.identity.helpers import HUSKY, child

RULES = load()
# Invented people: the Quintero twins share everything but their given names.
PEOPLE = [("Tomás", "Quintero", "2019-05-08", "male"),
          ("Nicolás", "Quintero", "2019-05-08", "male"),
          ("Guadalupe", "Ibarra Soto", "2014-11-23", "female"),
          ("Owen", "Marsh", "2017-02-09", "male")]
NICK = {"Tomás": "Tom", "Guadalupe": "Lupe", "Owen": "Owen", "Nicolás": "Nico"}


def record(n: int, person: int, variant: int, husky: bool) -> Demographics:
    given, family, born, sex = PEOPLE[person]
    if variant == 1:
        given = NICK[given]
    elif variant == 2:
        born = f"{born[:5]}{born[8:]}-{born[5:7]}"
    elif variant == 3:
        given, family = family, given
    return child(f"s{n}", given, family, birth_date=born, sex=sex,
                 husky=f"01770000{person}" if husky else None,
                 phone="(860) 555-0142" if person < 2 else None,
                 guardian="Marisol Quintero" if person < 2 else "Ruth Marsh")


population = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.booleans()),
                      min_size=1, max_size=9)


@settings(max_examples=80, deadline=None)
@given(population, st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=6),
       st.randoms(use_true_random=False))
def test_resolution_properties(people: list[tuple[int, int, bool]],
                               picks: list[tuple[int, int]], rnd: random.Random) -> None:
    sources = [record(n, *p) for n, p in enumerate(people)]
    truth = {d.source: p[0] for d, p in zip(sources, people, strict=True)}
    decisions = [Decision(sources[a].source, sources[b].source,
                          MATCH if people[a][0] == people[b][0] else NO_MATCH)
                 for a, b in picks if a < len(sources) and b < len(sources) and a != b]
    first = resolve(sources, decisions, RULES)
    shuffled_sources, shuffled_decisions = sources[:], decisions[:]
    rnd.shuffle(shuffled_sources)
    rnd.shuffle(shuffled_decisions)
    assert resolve(shuffled_sources, shuffled_decisions, RULES) == first

    golden = {}
    for link in first.links:
        if link.state == MATCH:
            assert link.source not in golden, "at most one MATCH per source"
            golden[link.source] = link.golden
    assert set(golden) == set(truth)
    for d in decisions:
        same = golden[d.left] == golden[d.right]
        assert same == (d.state == MATCH), d
        if d.state == NO_MATCH:
            assert not any(k.source == d.left and k.golden == golden[d.right]
                           and k.state != NO_MATCH for k in first.links)
    for members in first.goldens.values():
        assert len({truth[m] for m in members}) == 1, "twins never merged"

    again = [Decision(a, b, MATCH) for ms in first.goldens.values() for a in ms for b in ms
             if a < b]
    assert resolve(sources, decisions + again, RULES).goldens == first.goldens


def test_manual_match_holds_over_an_identifier_conflict_and_is_marked_manual() -> None:
    a = child("a", husky="0001")
    b = child("b", husky="0002")
    result = resolve([a, b], [Decision("Patient/b", "Patient/a", MATCH)], RULES)
    assert len(result.goldens) == 1
    assert {(k.state, k.how) for k in result.links} == {(MATCH, MANUAL)}


def test_refused_match_is_possible_and_flags_duplicates() -> None:
    a = child("a", husky="0001", mrn="CP-1")
    b = child("b", husky="0002", mrn="CP-1")
    c = child("c", mrn="CP-1")
    result = resolve([a, b, c], [], RULES)
    assert len(result.goldens) == 2
    assert len(result.duplicates) == 1
    assert any(k.state == POSSIBLE_MATCH and k.source == "Patient/c" for k in result.links)


def test_manual_no_match_splits_and_suppresses_possible_links() -> None:
    a, b = child("a"), child("b")
    assert len(resolve([a, b], [], RULES).goldens) == 1
    result = resolve([a, b], [Decision("Patient/a", "Patient/b", NO_MATCH)], RULES)
    assert len(result.goldens) == 2
    assert {k.state for k in result.links} == {MATCH, NO_MATCH}


def test_golden_id_prefers_husky_then_mrn_then_source() -> None:
    with_husky = [child("b", husky="0001", mrn="CP-9"), child("a", mrn="CP-1")]
    assert golden_id(with_husky) == golden_id([child("z", husky="0001")])
    assert golden_id([child("a", mrn="CP-1"), child("b", mrn="CP-2")]) == golden_id(
        [child("q", mrn="CP-1")])
    assert golden_id([child("a")]) != golden_id([child("b")])
    assert HUSKY


def test_given_scores_are_used_instead_of_blocking() -> None:
    sources = [child("a", husky="0001"), child("b", husky="0001"), child("c", "Nicolás")]
    computed = resolve(sources, [], RULES)
    scores = {(x.source, y.source): score(x, y, RULES) for x in sources for y in sources
              if x.source != y.source}
    assert resolve(sources, [], RULES, scores) == computed
    assert resolve(sources, [], RULES, {}).goldens != computed.goldens
