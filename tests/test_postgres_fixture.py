"""What the integration tests rely on from tests/postgres.py: a real server, one empty DB each."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect, make_url, text


def test_postgres_url_is_a_working_server(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert (url.drivername, url.host, url.database) == (
        "postgresql+psycopg",
        "127.0.0.1",
        "oneplan_test",
    )
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
            database = conn.execute(text("SELECT current_database()")).scalar_one()
            encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
    finally:
        engine.dispose()
    assert int(version.split(".")[0]) >= 13  # DROP DATABASE ... WITH (FORCE)
    assert (database, encoding) == ("oneplan_test", "UTF8")


# Each run starts from an empty database and leaves a table behind: if two tests shared a
# database, whichever ran second would fail.
@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_fresh_empty_database(postgres_db: str, run: int) -> None:
    engine = create_engine(postgres_db)
    try:
        assert inspect(engine).get_table_names() == []
        metadata = MetaData()
        Table("leftover", metadata, Column("id", Integer, primary_key=True))
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO leftover (id) VALUES (:run)"), {"run": run})
        assert inspect(engine).get_table_names() == ["leftover"]
    finally:
        engine.dispose()


def test_databases_of_finished_tests_are_dropped(postgres_url: str, postgres_db: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            names = (
                conn.execute(
                    text("SELECT datname FROM pg_database WHERE datname LIKE 'oneplan\\_test\\_%'")
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()
    assert names == [make_url(postgres_db).database]
