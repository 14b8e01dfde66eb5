"""Connecting to the gateway's database and bringing its schema up to date.

SQLite runs in WAL mode with `synchronous=FULL`, so an accepted record survives a power cut
(https://sqlite.org/pragma.html#pragma_synchronous), and every transaction begins
IMMEDIATE, so two writers wait for each other instead of failing mid-way. PostgreSQL
needs nothing special; migrations take an advisory lock there, so replicas starting together
upgrade once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_LOCK = 7_302_026  # any fixed number: the advisory lock migrations hold on PostgreSQL


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url, immediate=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._lax = self.engine if self.is_postgres else _engine(url, immediate=True, sync="NORMAL")
        self._lax_sessions = sessionmaker(self._lax, expire_on_commit=False)
        self._reader = self.engine if self.is_postgres else _engine(url, immediate=False)
        self._reads = sessionmaker(self._reader, expire_on_commit=False)
        # SQLite's own wait for a busy database sleeps in steps of up to 100 ms; writers of
        # one process queue here instead, and only other processes meet SQLite's wait.
        self._writing: AbstractContextManager[object] = (
            nullcontext() if self.is_postgres else threading.Lock())

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self, durable: bool = True) -> Iterator[Session]:
        """One local transaction: committed when the block ends, rolled back if it raises.
        Not `durable` (SQLite's `synchronous=NORMAL`), a commit may be lost in a power cut,
        though never corrupt: for what is safe to do again (a claim, a settle, since sends
        are idempotent), never for accepting a record."""
        sessions = self._sessions if durable else self._lax_sessions
        with self._writing, sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction; on SQLite it neither waits for writers nor blocks them."""
        with self._reads.begin() as session:
            yield session

    def upgrade(self) -> str | None:
        """Run every Alembic migration not yet applied; returns the revision now current."""
        with self.engine.begin() as connection:
            if self.is_postgres:
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            return _current(connection)

    def close(self) -> None:
        for engine in {self.engine, self._lax, self._reader}:
            engine.dispose()


def _current(connection: Any) -> str | None:
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _engine(url: str, immediate: bool, sync: str = "FULL") -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", partial(_sqlite_pragmas, sync=sync))
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _: Any, sync: str) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    # The wait first: setting WAL on a database another process is migrating must wait too.
    for pragma in ("busy_timeout=30000", "journal_mode=WAL", f"synchronous={sync}",
                   "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
