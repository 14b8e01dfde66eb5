"""Rules a record must keep beyond its JSON Schema: unique item ids, references between
items, date order. Each returns issues that point at the record's field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from mappings.record import Child, SignedRelease
from vocabulary.errors import Issue


class Item(Protocol):
    @property
    def id(self) -> str: ...


def unique_ids(items: Sequence[Item], path: str) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for index, item in enumerate(items):
        if item.id in seen:
            issues.append(Issue(f"duplicate id {item.id!r}", f"{path}[{index}].id"))
        seen.add(item.id)
    return issues


def known(value: str, ids: Iterable[str], expression: str, what: str) -> list[Issue]:
    if value in set(ids):
        return []
    return [Issue(f"refers to unknown {what} {value!r}", expression)]


def not_before(later: date | None, earlier: date, expression: str, what: str) -> list[Issue]:
    if later is None or later >= earlier:
        return []
    return [Issue(f"must not be before {what} ({earlier.isoformat()})", expression)]


def identified(child: Child, path: str = "child") -> list[Issue]:
    if child.husky_id or child.mrn:
        return []
    return [Issue("either husky_id or mrn is required", f"{path}.husky_id")]


def release(signed: SignedRelease | None, signers: Iterable[str], path: str,
            signer: str) -> list[Issue]:
    """A release is signed by someone the record knows and expires after it was signed."""
    if signed is None:
        return []
    return [*known(signed.signed_by, signers, f"{path}.signed_by", signer),
            *not_before(signed.expires_on, signed.signed_on, f"{path}.expires_on", "signed_on")]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    target = date(day.year + year, month + 1, 1)
    last = (date(target.year + (target.month == 12), target.month % 12 + 1, 1)
            - target).days
    return target.replace(day=min(day.day, last))


def not_after(earlier: date, later: date, expression: str, what: str) -> list[Issue]:
    if earlier <= later:
        return []
    return [Issue(f"must be on or before {what} ({later.isoformat()})", expression)]
