"""The database layer's fixtures: every test runs on SQLite and on a real PostgreSQL, with a
pinned clock it moves forward itself (leases and due times)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.db.schema import Entry

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime = T0) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> datetime:
        self.at += timedelta(seconds=seconds)
        return self.at


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database: the test's SQLite file, or a new PostgreSQL database."""
    fixture = "gateway_database" if request.param == "sqlite" else "postgres_db"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(database: Database, clock: Clock) -> Outbox:
    return Outbox(database, now=clock)


def aware(when: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were written in UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def due_at(db: Database, entry_id: int) -> datetime:
    """When the entry is next due, read from its row."""
    with db.session() as session:
        return aware(session.scalars(select(Entry.due_at).where(Entry.id == entry_id)).one())
