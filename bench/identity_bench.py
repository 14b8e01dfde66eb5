"""Matching cost and quality of the identity core on synthetic children.

    .venv/bin/python bench/identity_bench.py [--small 10000] [--large 100000] [--probes 500]
    [--seed 7]

Children come in invented families (Hispanic and other surnames, some double; siblings and
twins share surname, guardian and phone; most have a HUSKY id). It times matching one new
record (blocking candidates + scoring) against an Index of --small and then --large children,
then injects 2% duplicates (typos, transposed dates, nicknames, missing HUSKY ids) into
--small children, runs resolve() and reports precision and recall against the injected truth.
The last line is the ratio of per-record matching time at --large to that at --small
(sub-linear matching keeps it well under large/small).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace
from itertools import combinations

from identity.blocking import Index
from identity.demographics import Demographics
from identity.links import POSSIBLE_MATCH, Resolution, resolve
from identity.rules import Rules, load
from identity.score import score
from mappings.registry import map_record
from shared_plan.contribution import Child, Contribution
from shared_plan.derive import derive
from vocabulary.data import package_dir
from vocabulary.programs import KEEPERS

FIXTURES = package_dir("fixtures") / "records"

HISPANIC = ["Rivera", "García", "López", "Martínez", "Rodríguez", "Hernández", "González",
            "Pérez", "Sánchez", "Ramírez", "Torres", "Flores", "Cruz", "Morales", "Ortiz",
            "Reyes", "Gutiérrez", "Díaz", "Vázquez", "Castillo", "Santiago", "Colón", "Medina",
            "Figueroa", "Quiñones", "Negrón", "Velázquez", "Maldonado", "Ayala", "Rosario"]
OTHER = ["Smith", "Johnson", "Brown", "Williams", "Jones", "Miller", "Davis", "Wilson",
         "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Chen", "Nguyen",
         "Okafor", "Patel", "Kowalski", "Murphy", "Sullivan", "Baptiste", "Mensah", "Haddad"]
BOYS = ["Mateo", "José", "Santiago", "Francisco", "Guillermo", "Ignacio", "Jesús", "Diego",
        "Daniel", "Liam", "Noah", "William", "James", "Benjamin", "Lucas", "Ethan", "Aiden",
        "Carlos", "Luis", "Adrián", "Samuel", "Julian", "Kevin", "Elijah", "Dylan"]
GIRLS = ["Sofía", "Guadalupe", "Valentina", "Camila", "Isabella", "Lucía", "María", "Emma",
         "Olivia", "Ava", "Grace", "Lily", "Mia", "Elizabeth", "Katherine", "Ximena", "Daniela",
         "Gabriela", "Zoe", "Aaliyah", "Hannah", "Natalia", "Victoria", "Abigail", "Chloe"]
ADULTS = ["Lucía", "Marisol", "Ana", "Rosa", "Carmen", "David", "Miguel", "Jennifer", "Angela",
          "Michael", "Patricia", "Luz", "Nicole", "Robert", "Yolanda", "Tanisha", "Mei"]
NICKNAMES = {"José": "Pepe", "Francisco": "Paco", "Guadalupe": "Lupe", "Guillermo": "Memo",
             "Ignacio": "Nacho", "Jesús": "Chuy", "William": "Bill", "James": "Jim",
             "Elizabeth": "Liz", "Katherine": "Katie", "Benjamin": "Ben", "Daniel": "Danny",
             "Samuel": "Sam", "Abigail": "Abby", "Victoria": "Vicky", "Natalia": "Naty"}


class Cast:
    """An endless stream of synthetic children, family by family."""

    def __init__(self, rules: Rules, seed: int, prefix: str) -> None:
        self.rules, self.rnd, self.prefix, self.count = rules, random.Random(seed), prefix, 0

    def family(self) -> list[Demographics]:
        rnd = self.rnd
        hispanic = rnd.random() < 0.45
        family = rnd.choice(HISPANIC if hispanic else OTHER)
        if hispanic and rnd.random() < 0.3:
            family = f"{family} {rnd.choice(HISPANIC)}"
        guardian = f"{rnd.choice(ADULTS)} {family.split()[0]}"
        phone = f"({rnd.choice(['860', '203', '475', '959'])}) 555-{rnd.randrange(10000):04d}"
        kids: list[Demographics] = []
        for _ in range(rnd.choice([1, 1, 2, 2, 3])):
            twins = kids and rnd.random() < 0.06
            born = kids[-1].birth_date if twins else \
                f"{rnd.randrange(2008, 2026)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
            kids.append(self._child(family, born, guardian, phone, {k.given for k in kids}))
        return kids

    def _child(self, family: str, born: str, guardian: str, phone: str,
               taken: set[str]) -> Demographics:
        rnd = self.rnd
        sex = rnd.choice(["male", "female"])
        given = rnd.choice([n for n in (BOYS if sex == "male" else GIRLS) if n not in taken])
        self.count += 1
        ids = ((self.rules.husky, f"{self.prefix}{self.count:08d}"),) if rnd.random() < 0.85 \
            else ()
        return Demographics(f"Patient/{self.prefix}{self.count}", given, family, born, sex, ids,
                            phone, guardian, "es" if family.split()[0] in HISPANIC else "en")

    def children(self, count: int) -> list[Demographics]:
        out: list[Demographics] = []
        while len(out) < count:
            out.extend(self.family())
        return out[:count]


def _typo(word: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, max(2, len(word) - 1))
    return word[:i] + word[i + 1:] if rnd.random() < 0.5 else word[:i - 1] + word[i] + \
        word[i - 1] + word[i + 1:]


def _transposed(born: str) -> str:
    year, month, day = born.split("-")
    return f"{year}-{day}-{month}" if int(day) <= 12 and day != month else \
        f"{year}-{month}-{day[::-1]}"


def duplicate(d: Demographics, n: int, rnd: random.Random) -> tuple[Demographics, str]:
    kind = rnd.choice(["typo", "transposed date", "nickname", "missing HUSKY id"])
    dup = replace(d, source=f"Patient/dup{n}")
    if kind == "typo":
        dup = replace(dup, family=_typo(d.family, rnd))
    elif kind == "transposed date":
        dup = replace(dup, birth_date=_transposed(d.birth_date))
    elif kind == "nickname":
        dup = replace(dup, given=NICKNAMES.get(d.given, _typo(d.given, rnd)))
    if kind == "missing HUSKY id" or rnd.random() < 0.6:
        dup = replace(dup, identifiers=())
    return dup, kind


def per_record(index: Index, probes: list[Demographics], rules: Rules) -> tuple[float, float]:
    """Seconds per probe to find and score its candidates, and the mean candidate count."""
    found = 0
    start = time.perf_counter()
    for probe in probes:
        candidates = index.candidates(probe)
        found += len(candidates)
        for other in candidates:
            score(probe, other, rules)
    return (time.perf_counter() - start) / len(probes), found / len(probes)


def timing(size: int, cast: Cast, probes: list[Demographics], rules: Rules) -> float:
    index = Index(rules)
    for d in cast.children(size - len(index)):
        index.add(d)
    seconds, mean = per_record(index, probes, rules)
    print(f"index of {len(index):>7} children: {seconds * 1e6:8.1f} µs per new record, "
          f"{mean:.1f} candidates on average")
    return seconds


def quality(size: int, seed: int, rules: Rules) -> None:
    rnd = random.Random(seed)
    children = Cast(rules, seed + 1, "q").children(size)
    originals = rnd.sample(children, size // 50)
    dups = [duplicate(d, n, rnd) for n, d in enumerate(originals)]
    truth = {tuple(sorted((d.source, orig.source)))
             for (d, _), orig in zip(dups, originals, strict=True)}
    start = time.perf_counter()
    result = resolve(children + [d for d, _ in dups], [], rules)
    print(f"resolve() over {size + len(dups)} records ({len(dups)} injected duplicates): "
          f"{time.perf_counter() - start:.1f} s, {len(result.goldens)} goldens")
    matched, possible = _predicted(result)
    print(f"POSSIBLE_MATCH cases: {len(possible)}")
    for label, predicted in (("MATCH", matched), ("MATCH+POSSIBLE", matched | possible)):
        hits = len(predicted & truth)
        print(f"{label:>15}: precision {hits / max(1, len(predicted)):.3f}, "
              f"recall {hits / len(truth):.3f}")
    _explain(result, children + [d for d, _ in dups], rules)


def _predicted(result: Resolution) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    matched = {tuple(sorted(p)) for ms in result.goldens.values() for p in combinations(ms, 2)}
    possible = {tuple(sorted((k.source, m))) for k in result.links if k.state == POSSIBLE_MATCH
                for m in result.goldens[k.golden]}
    return matched, possible - matched


def _explain(result: Resolution, records: list[Demographics], rules: Rules) -> None:
    link = next((k for k in result.links if k.state == POSSIBLE_MATCH), None)
    if link is None:
        return
    by_source = {d.source: d for d in records}
    a, b = by_source[link.source], by_source[result.goldens[link.golden][0]]
    explained = score(a, b, rules)
    print(f"one POSSIBLE_MATCH: {a.source} ~ {b.source}, total {explained.total:.3f}, "
          f"{explained.reason}")
    for f in explained.fields:
        print(f"  {f.field:<10} {f.left!r:>24} {f.right!r:>24} {f.method:<17} "
              f"{f.similarity:.2f} {f.points:.3f} {f.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rules = load()
    probes = Cast(rules, args.seed + 100, "new").children(args.probes)
    cast = Cast(rules, args.seed, "c")
    index_small = timing(args.small, cast, probes, rules)
    cast = Cast(rules, args.seed, "c")
    index_large = timing(args.large, cast, probes, rules)
    quality(args.small, args.seed, rules)
    per_child = plan_derivation(args.probes)
    print(f"ratio (per-record matching at {args.large} / at {args.small}): "
          f"{index_large / index_small:.2f}; plan derivation {per_child * 1e3:.2f} ms per child")


def plan_derivation(times: int) -> float:
    """Seconds to derive one child's shared plan from three programs' mapped records (Mateo's
    H.O.M.E., WrapCT and CYSHCN records; mapping them is not timed)."""
    contributions = []
    for program in ("home", "wrapct", "cyshcn"):
        path = FIXTURES / program / "valid" / "mateo-rivera.json"
        resources = map_record(program, json.loads(path.read_text(encoding="utf-8")))
        contributions.append(Contribution(program, KEEPERS[program], tuple(resources)))
    child = Child({"reference": "Patient/golden", "display": "Mateo Rivera"}, "es")
    started = time.perf_counter()
    for _ in range(times):
        derive(child, contributions)
    return (time.perf_counter() - started) / times


if __name__ == "__main__":
    main()
