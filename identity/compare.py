"""Field comparisons: how alike two values are, and by which method (no verdicts here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from doublemetaphone import doublemetaphone
from nicknames import NickNamer
from rapidfuzz.distance import JaroWinkler

from identity import normal


@dataclass(frozen=True)
class Likeness:
    similarity: float
    method: str
    note: str = ""


@cache
def _namer() -> NickNamer:
    return NickNamer()


@cache
def metaphones(word: str) -> frozenset[str]:
    return frozenset(code for code in doublemetaphone(word) if code)


def _canonicals(word: str, spanish: dict[str, str]) -> frozenset[str]:
    found = {word, *_namer().canonicals_of(word)}
    if word in spanish:
        found.add(spanish[word])
    return frozenset(found)


def nickname_of(a: str, b: str, spanish: dict[str, str]) -> bool:
    """One word is a nickname of the other, or both are nicknames of one name."""
    return bool(_canonicals(a, spanish) & _canonicals(b, spanish))


def name(a: str, b: str, spanish: dict[str, str] | None = None) -> Likeness:
    """Two names, by their folded parts: exact, a shared part of a compound surname, a
    nickname (when `spanish` is given: given names only), a sound-alike or Jaro-Winkler."""
    pa, pb = normal.parts(a), normal.parts(b)
    if not pa or not pb:
        return Likeness(0.0, "missing")
    if pa == pb:
        return Likeness(1.0, "exact", "same after folding case, accents and hyphens")
    jw = JaroWinkler.similarity(" ".join(pa), " ".join(pb))
    best = max(JaroWinkler.similarity(x, y) for x in pa for y in pb)
    if spanish is not None and any(nickname_of(x, y, spanish) for x in pa for y in pb if x != y):
        return Likeness(0.95, "nickname", "one name is a nickname of the other")
    if set(pa) & set(pb):
        return Likeness(0.95, "shared-part", "a compound name shares a part")
    if metaphones(" ".join(pa)) & metaphones(" ".join(pb)) and max(jw, best) >= 0.8:
        return Likeness(max(jw, 0.92), "double-metaphone", "names sound alike")
    return Likeness(jw, "jaro-winkler")


def _transposed(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


def birth_date(a: str, b: str, transposed: float) -> Likeness:
    """Exact, or off by a month/day swap or one swap of adjacent digits (typing errors)."""
    if not a or not b:
        return Likeness(0.0, "missing")
    if a == b:
        return Likeness(1.0, "exact")
    ya, _, rest_a = a.partition("-")
    yb, _, rest_b = b.partition("-")
    month_day = ya == yb and rest_a.split("-")[::-1] == rest_b.split("-")
    if month_day or _transposed(a, b):
        return Likeness(transposed, "transposed", "month/day or adjacent digits swapped")
    return Likeness(0.0, "different")


def phone(a: str, b: str) -> Likeness:
    same = normal.digits(a) == normal.digits(b) and len(normal.digits(a)) >= 7
    return Likeness(1.0 if same else 0.0, "digits")


def sex(a: str, b: str) -> Likeness:
    return Likeness(1.0 if a == b else 0.0, "exact")
