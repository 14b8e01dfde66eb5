"""Migrations: an empty database is brought to the head revision with its tables, once, and
replicas upgrading at the same moment both succeed with one version row."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from gateway.db import Database
from gateway.db.outbox import Outbox, Write
from gateway.db.schema import Base, Record

HEAD = "0002"


def version_rows(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return [str(v) for v in connection.scalars(text("SELECT version_num FROM alembic_version"))]


def test_upgrade_of_an_empty_database_makes_the_tables_at_the_head_revision(
        database_url: str) -> None:
    db = Database(database_url)
    try:
        assert inspect(db.engine).get_table_names() == []
        assert db.upgrade() == HEAD
        assert set(inspect(db.engine).get_table_names()) == {
            "alembic_version", "record", "outbox", "identity_source", "identity_block",
            "identity_pair", "identity_link", "identity_decision", "identity_event"}
        assert version_rows(db) == [HEAD]
    finally:
        db.close()


def test_the_migrated_schema_is_the_one_the_models_describe(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.upgrade()
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        db.close()


def test_upgrading_again_changes_nothing_and_keeps_the_data(database: Database) -> None:
    kept = Outbox(database).accept("home", {"n": 1}, "tester", [Write("child-1")])
    assert database.upgrade() == HEAD
    assert version_rows(database) == [HEAD]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 1
    assert Outbox(database).queued() == kept


def test_two_replicas_upgrading_at_once_both_succeed_once(database_url: str) -> None:
    replicas = [Database(database_url), Database(database_url)]
    together = threading.Barrier(len(replicas))

    def upgrade(db: Database) -> str | None:
        together.wait(timeout=30)
        return db.upgrade()

    try:
        with ThreadPoolExecutor(len(replicas)) as pool:
            revisions = list(pool.map(upgrade, replicas))
        assert revisions == [HEAD, HEAD]
        assert version_rows(replicas[0]) == [HEAD]
    finally:
        for db in replicas:
            db.close()
