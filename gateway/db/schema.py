"""The tables. Records are kept as received; outbox entries are what to send HAPI for them.

A record's resources are derived from it again on replay, so the record, not the entry, is
the truth. Entries of one child (`child`) are sent in `id` order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
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


MATCH = "MATCH"  # identity.links.MATCH: the one state a source may hold towards one golden only


class IdentitySource(Base):
    """A record's Patient as the matcher sees it: its demographics, and the Patient itself
    (the golden Patient's demographics are chosen from these). Sources are never changed."""

    __tablename__ = "identity_source"

    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("record.id"), index=True)
    demographics: Mapped[dict[str, Any]]
    patient: Mapped[dict[str, Any]]


class IdentityBlock(Base):
    """A blocking key of a source: candidates are the sources that share one."""

    __tablename__ = "identity_block"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("identity_source.source"), primary_key=True,
                                        index=True)


class IdentityPair(Base):
    """Two sources that scored as at least a possible match: the edges along which one
    source's resolution can change another's."""

    __tablename__ = "identity_pair"

    left: Mapped[str] = mapped_column(ForeignKey("identity_source.source"), primary_key=True)
    right: Mapped[str] = mapped_column(ForeignKey("identity_source.source"), primary_key=True,
                                       index=True)


class IdentityLink(Base):
    """A current link of a source to a golden record. `version` goes up with every change, so
    a decision made on a stale view is refused."""

    __tablename__ = "identity_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(ForeignKey("identity_source.source"), index=True)
    golden: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(20))
    how: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("uq_identity_link_source_golden", "source", "golden", unique=True),
        Index("uq_identity_link_one_match", "source", unique=True,
              sqlite_where=text("state = 'MATCH'"), postgresql_where=text("state = 'MATCH'")),
    )


class IdentityDecision(Base):
    """A reviewer's decision about two sources: MATCH (one child) or NO_MATCH (two). The
    matcher never overrides one; a later decision about the same pair replaces it."""

    __tablename__ = "identity_decision"

    left: Mapped[str] = mapped_column(ForeignKey("identity_source.source"), primary_key=True)
    right: Mapped[str] = mapped_column(ForeignKey("identity_source.source"), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]


class IdentityEvent(Base):
    """The link history: every link made, changed or removed, by whom, and why."""

    __tablename__ = "identity_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(200), index=True)
    golden: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(20))  # the new state, or REMOVED
    how: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]
