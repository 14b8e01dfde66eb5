"""Link resolution: which sources are one child, as HAPI MDM-style links to golden records.

Every source has exactly one MATCH link, to its cluster's golden record. Manual MATCH decisions
are applied first (they hold over identifier conflicts), then automatic MATCH pairs, best score
first. A union is refused across a manual NO_MATCH, and an automatic one also when the clusters'
identifiers conflict; a refused automatic MATCH becomes a POSSIBLE_MATCH and flags the two
goldens as possible duplicates. Sources are never changed; the result depends only on the sets
of sources and decisions, not their order. When two manual decisions contradict each other on
one pair, NO_MATCH wins.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from identity.blocking import Index
from identity.demographics import Demographics
from identity.rules import Rules, load
from identity.score import MATCH, NO_MATCH, POSSIBLE_MATCH, Score, score
from mappings.ids import NAMESPACE

__all__ = ["AUTO", "MANUAL", "MATCH", "NO_MATCH", "POSSIBLE_MATCH", "Decision", "Link",
           "Resolution", "golden_id", "resolve"]

AUTO = "AUTO"
MANUAL = "MANUAL"
Pair = tuple[str, str]


@dataclass(frozen=True)
class Decision:
    left: str
    right: str
    state: str


@dataclass(frozen=True)
class Link:
    source: str
    golden: str
    state: str
    how: str
    score: float | None


@dataclass(frozen=True)
class Resolution:
    links: tuple[Link, ...]
    goldens: dict[str, tuple[str, ...]]
    duplicates: tuple[tuple[str, str], ...]


def golden_id(sources: Sequence[Demographics]) -> str:
    """uuid5 of the cluster's one HUSKY id; else of its smallest MRN `system|value`; else of
    its smallest source key. (Systems are recognised by the default rules.)"""
    rules = _default_rules()
    husky = sorted({v for d in sources for v in d.values(rules.husky)})
    if len(husky) == 1:
        return str(uuid.uuid5(NAMESPACE, f"{rules.husky}|{husky[0]}"))
    mrns = sorted(f"{s}|{v}" for d in sources for s, v in d.identifiers if s in rules.mrn)
    if mrns:
        return str(uuid.uuid5(NAMESPACE, mrns[0]))
    return str(uuid.uuid5(NAMESPACE, min(d.source for d in sources)))


@cache
def _default_rules() -> Rules:
    return load()


def _key(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


class _Forest:
    """Union-find over sources, keeping each cluster's conflict identifiers."""

    def __init__(self, sources: Mapping[str, Demographics], rules: Rules, no: set[Pair]) -> None:
        self.parent = {s: s for s in sources}
        self.members = {s: {s} for s in sources}
        self.ids = {s: {sys: d.values(sys) for sys in rules.conflict_systems}
                    for s, d in sources.items()}
        self.partners: dict[str, set[str]] = {s: set() for s in sources}
        for a, b in no:
            self.partners[a].add(b)
            self.partners[b].add(a)

    def find(self, s: str) -> str:
        while self.parent[s] != s:
            self.parent[s] = self.parent[self.parent[s]]
            s = self.parent[s]
        return s

    def kept_apart(self, ra: str, rb: str) -> bool:
        return any(self.find(p) == rb for m in self.members[ra] for p in self.partners[m])

    def conflict(self, ra: str, rb: str) -> bool:
        return any(x and y and x != y
                   for x, y in ((self.ids[ra][s], self.ids[rb][s]) for s in self.ids[ra]))

    def union(self, a: str, b: str) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra == rb:
            return
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for system, values in self.ids.pop(rb).items():
            self.ids[ra][system] = self.ids[ra][system] | values


def _manual(decisions: Sequence[Decision], known: Mapping[str, Demographics]) -> dict[Pair, str]:
    states: dict[Pair, str] = {}
    for d in decisions:
        if d.left in known and d.right in known and d.left != d.right:
            pair = _key(d.left, d.right)
            states[pair] = NO_MATCH if NO_MATCH in (d.state, states.get(pair)) else d.state
    return states


def _pairs(known: Mapping[str, Demographics], rules: Rules,
           scores: Mapping[Pair, Score] | None) -> dict[Pair, Score]:
    if scores is not None:
        ordered = sorted(scores.items(), key=lambda item: (item[1].total, item[1].verdict, item[0]))
        return {_key(a, b): s for (a, b), s in ordered if a in known and b in known and a != b}
    index = Index(rules)
    for d in known.values():
        index.add(d)
    found: dict[Pair, Score] = {}
    for d in known.values():
        for other in index.candidates(d):
            pair = _key(d.source, other.source)
            if pair not in found:
                found[pair] = score(known[pair[0]], known[pair[1]], rules)
    return found


def resolve(sources: Sequence[Demographics], decisions: Sequence[Decision], rules: Rules,
            scores: Mapping[tuple[str, str], Score] | None = None) -> Resolution:
    known = {d.source: d for d in sorted(sources, key=repr)}
    manual = _manual(decisions, known)
    no = {p for p, state in manual.items() if state == NO_MATCH}
    pairs = _pairs(known, rules, scores)
    forest = _Forest(known, rules, no)
    by_hand: set[str] = set()
    for a, b in sorted(p for p, state in manual.items() if state == MATCH):
        if not forest.kept_apart(forest.find(a), forest.find(b)):
            forest.union(a, b)
            by_hand |= {a, b}
    refused: list[Pair] = []
    for (a, b), s in sorted(pairs.items(), key=lambda item: (-item[1].total, item[0])):
        ra, rb = forest.find(a), forest.find(b)
        if s.verdict != MATCH or ra == rb or forest.kept_apart(ra, rb):
            continue
        if forest.conflict(ra, rb):
            refused.append((a, b))
        else:
            forest.union(a, b)
    return _links(known, forest, manual, pairs, refused, by_hand)


def _goldens(known: Mapping[str, Demographics], forest: _Forest) -> dict[str, str]:
    """Root -> golden id; clusters whose ids would collide fall back to their smallest source."""
    ids = {root: golden_id([known[m] for m in members]) for root, members in forest.members.items()}
    clashing = {g for g, n in Counter(ids.values()).items() if n > 1}
    return {root: str(uuid.uuid5(NAMESPACE, min(forest.members[root]))) if g in clashing else g
            for root, g in ids.items()}


def _links(known: Mapping[str, Demographics], forest: _Forest, manual: Mapping[Pair, str],
           pairs: Mapping[Pair, Score], refused: list[Pair], by_hand: set[str]) -> Resolution:
    golden = _goldens(known, forest)
    of = {s: golden[forest.find(s)] for s in known}
    inside: defaultdict[str, list[float]] = defaultdict(list)
    for (a, b), p in pairs.items():
        if p.verdict == MATCH and of[a] == of[b]:
            inside[a].append(p.total)
            inside[b].append(p.total)
    links: dict[tuple[str, str], Link] = {}
    for s in known:
        how = MANUAL if s in by_hand else AUTO
        links[(s, of[s])] = Link(s, of[s], MATCH, how, None if how == MANUAL or not inside[s]
                                 else max(inside[s]))
    for (a, b), state in manual.items():
        if state == NO_MATCH:
            links[(a, of[b])] = Link(a, of[b], NO_MATCH, MANUAL, None)
            links[(b, of[a])] = Link(b, of[a], NO_MATCH, MANUAL, None)
    refusals = set(refused)
    for (a, b), pair in pairs.items():
        if of[a] == of[b] or not (pair.verdict == POSSIBLE_MATCH or (a, b) in refusals):
            continue
        if forest.kept_apart(forest.find(a), forest.find(b)):
            continue
        for src, other in ((a, b), (b, a)):
            old = links.get((src, of[other]))
            if old is None or (old.state == POSSIBLE_MATCH and (old.score or 0) < pair.total):
                links[(src, of[other])] = Link(src, of[other], POSSIBLE_MATCH, AUTO, pair.total)
    goldens = {g: tuple(sorted(s for s in known if of[s] == g)) for g in set(of.values())}
    duplicates = sorted({_key(of[a], of[b]) for a, b in refused})
    return Resolution(tuple(sorted(links.values(), key=lambda k: (k.source, k.golden, k.state))),
                      dict(sorted(goldens.items())), tuple(duplicates))
