"""Identity: sources, blocking keys, scored pairs, links, reviewers' decisions and the link
history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from gateway.db.schema import Json

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
SOURCE = "identity_source.source"


def upgrade() -> None:
    op.create_table(
        "identity_source",
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("record_id", sa.String(64), sa.ForeignKey("record.id"), nullable=False),
        sa.Column("demographics", Json, nullable=False),
        sa.Column("patient", Json, nullable=False),
    )
    op.create_index("ix_identity_source_record_id", "identity_source", ["record_id"])
    op.create_table(
        "identity_block",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("source", sa.String(200), sa.ForeignKey(SOURCE), primary_key=True),
    )
    op.create_index("ix_identity_block_source", "identity_block", ["source"])
    op.create_table(
        "identity_pair",
        sa.Column("left", sa.String(200), sa.ForeignKey(SOURCE), primary_key=True),
        sa.Column("right", sa.String(200), sa.ForeignKey(SOURCE), primary_key=True),
    )
    op.create_index("ix_identity_pair_right", "identity_pair", ["right"])
    op.create_table(
        "identity_link",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), sa.ForeignKey(SOURCE), nullable=False),
        sa.Column("golden", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("how", sa.String(10), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_identity_link_source", "identity_link", ["source"])
    op.create_index("ix_identity_link_golden", "identity_link", ["golden"])
    op.create_index("uq_identity_link_source_golden", "identity_link", ["source", "golden"],
                    unique=True)
    # At most one MATCH per source, whatever the code above it does.
    op.create_index("uq_identity_link_one_match", "identity_link", ["source"], unique=True,
                    sqlite_where=sa.text("state = 'MATCH'"),
                    postgresql_where=sa.text("state = 'MATCH'"))
    op.create_table(
        "identity_decision",
        sa.Column("left", sa.String(200), sa.ForeignKey(SOURCE), primary_key=True),
        sa.Column("right", sa.String(200), sa.ForeignKey(SOURCE), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", WHEN, nullable=False),
    )
    op.create_table(
        "identity_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("golden", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("how", sa.String(10), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_index("ix_identity_event_source", "identity_event", ["source"])
    op.create_index("ix_identity_event_golden", "identity_event", ["golden"])


def downgrade() -> None:
    for table in ("identity_event", "identity_decision", "identity_link", "identity_pair",
                  "identity_block", "identity_source"):
        op.drop_table(table)
