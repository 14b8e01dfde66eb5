"""FHIR date, dateTime and Period comparison (https://hl7.org/fhir/R4/datatypes.html#dateTime).

A partial date stands for its whole span: "2027-01" is all of January 2027. A Period contains an
instant when its start's span begins at or before it and its end's span ends after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4096)
def span(value: str) -> tuple[datetime, datetime]:
    """The [start, end) instants a FHIR date or dateTime covers."""
    if len(value) == 4:
        year = int(value)
        return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return datetime(year, month, 1, tzinfo=UTC), end
    if len(value) == 10:
        day = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return day, day + timedelta(days=1)
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant, instant


@dataclass(frozen=True)
class Period:
    start: datetime | None
    end: datetime | None

    @classmethod
    def parse(cls, period: Mapping[str, Any] | None) -> Period | None:
        if not period:
            return None
        start, end = period.get("start"), period.get("end")
        return cls(span(start)[0] if start else None, _end(end) if end else None)

    def contains(self, when: datetime) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


def _end(value: str) -> datetime:
    low, high = span(value)
    return high if high > low else low + timedelta(microseconds=1)
