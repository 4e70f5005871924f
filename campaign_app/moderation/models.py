"""Invalidation batches: one moderation decision over many signatures, restorable."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign_app.db import Base, UTCDateTime, enum_column, utcnow


class BatchState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    RESTORING = "restoring"
    RESTORED = "restored"


class InvalidationBatch(Base):
    """Signatures invalidated together (one or many, by condition), with progress."""

    __tablename__ = "invalidation_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The search conditions (email domain, country, time window, IP hash...) as JSON.
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[BatchState] = mapped_column(enum_column(BatchState), default=BatchState.QUEUED)
    # What the preview showed, what the job has done so far, what it finally changed.
    expected: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    invalidated: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
