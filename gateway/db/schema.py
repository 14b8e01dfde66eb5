"""The tables. Records are kept as received; outbox entries are what to send HAPI for them.

A record's resources are derived from it again on replay, so the record, not the entry, is
the truth. Entries of one child (`child`) are sent in `id` order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Json = JSON().with_variant(JSONB(), "postgresql")
QUEUED, SENT, DEAD = "queued", "sent", "dead"


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: Json,
                                                     datetime: DateTime(timezone=True)}


class Record(Base):
    """One accepted input: a program record (`kind` = the program key) or a Green Form
    response (`green-form`), as received, with who sent it and when."""

    __tablename__ = "record"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    body: Mapped[dict[str, Any]]
    digest: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]

    __table_args__ = (Index("ix_record_kind_received", "kind", "received_at"),
                      Index("ix_record_kind_digest", "kind", "digest"))


class Entry(Base):
    """One write to HAPI for a record: a transaction `bundle` fixed at acceptance, or none
    when the record's plan reads HAPI first and is made at send time (the Green Form)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("record.id"), index=True)
    child: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(200), index=True)
    bundle: Mapped[dict[str, Any] | None]
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    leased_until: Mapped[datetime | None]
    leased_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None]
    sent: Mapped[dict[str, Any] | None]
    answer: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    failure: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_outbox_child_state", "child", "state", "id"),
                      Index("ix_outbox_state_due", "state", "due_at"))
