from __future__ import annotations

from identity.blocking import Index, block_keys
from identity.rules import load
from tests.identity.helpers import child


def test_candidates_find_typos_swaps_and_transpositions_but_not_itself() -> None:
    rules = load()
    index = Index(rules)
    base = child("a", husky="0001")
    others = [child("b", "Quintero", "Tomas"), child("c", birth_date="2019-08-05"),
              child("d", "Tomas", "Kintero"), child("e", husky="0001", birth_date="2001-01-01",
                                                        given="X", family="Y")]
    stranger = child("z", "Aisha", "Brennan", birth_date="2012-10-30")
    for d in [base, *others, stranger]:
        index.add(d)
    assert len(index) == 6
    assert [c.source for c in index.candidates(base)] == [d.source for d in others]
    index.remove("Patient/b")
    assert len(index) == 5
    assert "Patient/b" not in [c.source for c in index.candidates(base)]


def test_keys_are_narrow() -> None:
    keys = block_keys(child("a", husky="0001"), load())
    assert any(k.startswith("bn:2019-05-08:") for k in keys)
    assert all(not k.startswith("nm:") or k.endswith(":2019-05") for k in keys)
