"""Alembic's environment: migrations run on the connection `Database.upgrade` passes in."""

from alembic import context

from gateway.db.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
