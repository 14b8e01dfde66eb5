"""Blocking: the few candidates worth scoring, found by shared keys instead of a full scan.

Keys are narrow, so a bucket holds a handful of records however large the index grows: an
identifier; the birth date with the sound of any one name part (a typo in the other name still
finds it, and so do given and family names swapped); the pair of given and family sounds,
unordered, within the birth month (finds a mistyped day); the same pair with the sorted digits
of the birth date (finds month/day swaps and other transposed digits)."""

from __future__ import annotations

from collections import defaultdict

from identity import compare, normal
from identity.demographics import Demographics
from identity.rules import Rules


def _sounds(text: str) -> frozenset[str]:
    return frozenset(code for part in normal.parts(text) for code in compare.metaphones(part))


def block_keys(d: Demographics, rules: Rules) -> frozenset[str]:
    kinds = set(rules.blocking)
    keys: set[str] = set()
    given, family = _sounds(d.given), _sounds(d.family)
    if "identifier" in kinds:
        keys.update(f"id:{system}|{value}" for system, value in d.identifiers)
    if "birth_date_name" in kinds and d.birth_date:
        keys.update(f"bn:{d.birth_date}:{code}" for code in given | family)
    pairs = {f"{min(g, f)}|{max(g, f)}" for g in given for f in family}
    if "names_month" in kinds and d.birth_date:
        keys.update(f"nm:{pair}:{d.birth_date[:7]}" for pair in pairs)
    if "digits_names" in kinds and d.birth_date:
        digits = "".join(sorted(c for c in d.birth_date if c.isdigit()))
        keys.update(f"dn:{digits}:{pair}" for pair in pairs)
    return frozenset(keys)


class Index:
    """An in-memory blocking index of demographics by source key (pure, no I/O)."""

    def __init__(self, rules: Rules) -> None:
        self._rules = rules
        self._records: dict[str, Demographics] = {}
        self._keys: dict[str, frozenset[str]] = {}
        self._buckets: defaultdict[str, set[str]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._records)

    def add(self, d: Demographics) -> None:
        self.remove(d.source)
        keys = block_keys(d, self._rules)
        self._records[d.source] = d
        self._keys[d.source] = keys
        for key in keys:
            self._buckets[key].add(d.source)

    def remove(self, source: str) -> None:
        for key in self._keys.pop(source, frozenset()):
            self._buckets[key].discard(source)
            if not self._buckets[key]:
                del self._buckets[key]
        self._records.pop(source, None)

    def candidates(self, d: Demographics) -> list[Demographics]:
        """Records sharing a blocking key with `d`, by source key; never `d`'s own source."""
        found: set[str] = set()
        for key in block_keys(d, self._rules):
            found.update(self._buckets.get(key, ()))
        found.discard(d.source)
        return [self._records[s] for s in sorted(found)]
