"""The gateway's one reading of the calendar; use cases take it as a parameter, so tests pin
it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    """Today in UTC."""
    return datetime.now(UTC).date()


def now() -> datetime:
    """Now in UTC, timezone-aware."""
    return datetime.now(UTC)
