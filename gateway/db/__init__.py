"""The gateway's own database: the records it accepted and the outbox of writes to HAPI
(later also identity links, the review queue and the audit trail). SQLite by default,
PostgreSQL through `ONEPLAN_DATABASE_URL`; the schema is Alembic's (`migrations/`)."""

from gateway.db.database import Database

__all__ = ["Database"]
