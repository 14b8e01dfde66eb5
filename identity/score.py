"""Scoring two demographics: identifiers first, then a weighted probabilistic comparison.

Verdicts without an agreeing identifier are deliberately cautious:

- a given name clearly different (below `disagree.given`) is another child: NO_MATCH, however
  much else agrees (twins and siblings share birth date, surname, guardian and phone);
- so is a family name clearly different (below `disagree.family`) unless the phone or the
  guardian agrees (a child whose surname changed keeps its family contact);
- MATCH (grade `probable`) needs a total at the `match` threshold *and* every gate: given and
  family names agree, the exact birth date, the same known sex, a second factor (phone or
  guardian), no placeholder name, and no HUSKY id on one side only;
- otherwise a total at the `possible` threshold is POSSIBLE_MATCH (grade `possible`), for a
  person to review; below it NO_MATCH.

Grades are the FHIR match-grade codes: an agreeing identifier is `certain`, a probabilistic
MATCH `probable`, POSSIBLE_MATCH `possible`, and every NO_MATCH `certainly-not`.
"""

from __future__ import annotations

from dataclasses import dataclass

from identity import compare, normal
from identity.compare import Likeness
from identity.demographics import Demographics
from identity.rules import Rules

MATCH = "MATCH"
POSSIBLE_MATCH = "POSSIBLE_MATCH"
NO_MATCH = "NO_MATCH"
GRADES = {MATCH: "probable", POSSIBLE_MATCH: "possible", NO_MATCH: "certainly-not"}


@dataclass(frozen=True)
class FieldScore:
    field: str
    left: str
    right: str
    method: str
    similarity: float
    points: float
    note: str


@dataclass(frozen=True)
class Score:
    total: float
    verdict: str
    grade: str
    fields: tuple[FieldScore, ...]
    reason: str


def score(a: Demographics, b: Demographics, rules: Rules) -> Score:
    return _by_identifier(a, b, rules) or _probabilistic(a, b, rules)


def _by_identifier(a: Demographics, b: Demographics, rules: Rules) -> Score | None:
    """The first identifier system (in priority order) that both records carry decides."""
    for system in rules.identifier_systems:
        left, right = a.values(system), b.values(system)
        if left and right:
            same = bool(left & right)
            shown = (",".join(sorted(left)), ",".join(sorted(right)))
            verdict = (MATCH, "certain") if same else (NO_MATCH, "certainly-not")
            field = FieldScore("identifier", *shown, "identifier", float(same), float(same),
                               system)
            word = "the same" if same else "a different"
            return Score(float(same), *verdict, (field,), f"{word} identifier in {system}")
    return None


def _field(name: str, left: str | None, right: str | None, likeness: Likeness | None,
           rules: Rules) -> FieldScore:
    if likeness is None or not left or not right:
        return FieldScore(name, left or "", right or "", "missing", 0.0, 0.0, "not counted")
    points = rules.weights[name] * likeness.similarity
    return FieldScore(name, left, right, likeness.method, likeness.similarity, points,
                      likeness.note)


def _names(a: Demographics, b: Demographics, rules: Rules) -> tuple[Likeness, Likeness, str]:
    """Given and family names, compared straight and swapped; the better reading wins."""
    straight = (compare.name(a.given, b.given, rules.nicknames), compare.name(a.family, b.family))
    swapped = (compare.name(a.given, b.family, rules.nicknames), compare.name(a.family, b.given))
    if sum(x.similarity for x in swapped) > sum(x.similarity for x in straight) + 0.2:
        return swapped[0], swapped[1], "given and family names swapped"
    return straight[0], straight[1], ""


def _fields(a: Demographics, b: Demographics, rules: Rules) -> tuple[FieldScore, ...]:
    placeholder = normal.is_placeholder(a.given) or normal.is_placeholder(b.given)
    given, family, swap = _names(a, b, rules)
    if swap:
        given = Likeness(given.similarity, given.method, swap)
    known = {"male", "female"}
    sex = compare.sex(a.sex, b.sex) if a.sex in known and b.sex in known else None
    guardian = compare.name(a.guardian, b.guardian) if a.guardian and b.guardian else None
    return (
        _field("given", a.given, b.given, None if placeholder else given, rules),
        _field("family", a.family, b.family, family, rules),
        _field("birth_date", a.birth_date, b.birth_date,
               compare.birth_date(a.birth_date, b.birth_date, rules.birth_date_transposed), rules),
        _field("sex", a.sex, b.sex, sex, rules),
        _field("phone", a.phone, b.phone,
               compare.phone(a.phone, b.phone) if a.phone and b.phone else None, rules),
        _field("guardian", a.guardian, b.guardian, guardian, rules),
    )


def _probabilistic(a: Demographics, b: Demographics, rules: Rules) -> Score:
    fields = _fields(a, b, rules)
    weight = sum(rules.weights[f.field] for f in fields if f.method != "missing")
    total = round(sum(f.points for f in fields) / weight, 4) if weight else 0.0
    by = {f.field: f for f in fields}
    if by["given"].method != "missing" and by["given"].similarity < rules.given_disagree:
        return Score(total, NO_MATCH, GRADES[NO_MATCH], fields,
                     "different given names: another child (a sibling or twin)")
    if by["family"].similarity < rules.family_disagree and not _second_factor(by, rules):
        return Score(total, NO_MATCH, GRADES[NO_MATCH], fields,
                     "different family names and no shared phone or guardian")
    if total < rules.possible:
        return Score(total, NO_MATCH, GRADES[NO_MATCH], fields,
                     "total below the possible threshold")
    missing = _gates(a, b, by, total, rules)
    if not missing:
        return Score(total, MATCH, GRADES[MATCH], fields, "demographics agree on every gate")
    return Score(total, POSSIBLE_MATCH, GRADES[POSSIBLE_MATCH], fields,
                 "for review: " + "; ".join(missing))


def _second_factor(by: dict[str, FieldScore], rules: Rules) -> bool:
    return by["phone"].similarity == 1.0 or by["guardian"].similarity >= rules.guardian_agree


def _gates(a: Demographics, b: Demographics, by: dict[str, FieldScore], total: float,
           rules: Rules) -> list[str]:
    """What keeps an agreeing pair from an automatic MATCH, in words."""
    agree = rules.name_agree
    second = _second_factor(by, rules)
    checks = [
        (by["given"].method == "missing", "placeholder or missing given name"),
        (by["given"].similarity < rules.given_agree, "given names only similar"),
        (by["family"].similarity < agree, "family names only similar"),
        (by["birth_date"].similarity < 1.0, "birth date not exact"),
        (by["sex"].similarity < 1.0, "sex unknown or different"),
        (not second, "no second factor (phone or guardian) agrees"),
        (bool(a.values(rules.husky)) != bool(b.values(rules.husky)),
         "one record lacks the HUSKY id the other has"),
        (total < rules.match, "total below the match threshold"),
    ]
    return [why for failed, why in checks if failed]
