"""Kept records and the outbox of writes to HAPI.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from gateway.db.schema import Json

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "record",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("body", Json, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
    )
    op.create_index("ix_record_kind_received", "record", ["kind", "received_at"])
    op.create_index("ix_record_kind_digest", "record", ["kind", "digest"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(64), sa.ForeignKey("record.id"), nullable=False),
        sa.Column("child", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200)),
        sa.Column("bundle", Json),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("leased_until", WHEN),
        sa.Column("leased_by", sa.String(100)),
        sa.Column("sent_at", WHEN),
        sa.Column("sent", Json),
        sa.Column("answer", Json),
        sa.Column("error", sa.Text),
        sa.Column("failure", sa.Integer),
    )
    op.create_index("ix_outbox_record_id", "outbox", ["record_id"])
    op.create_index("ix_outbox_topic", "outbox", ["topic"])
    op.create_index("ix_outbox_child_state", "outbox", ["child", "state", "id"])
    op.create_index("ix_outbox_state_due", "outbox", ["state", "due_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("record")
