"""Export jobs: a delivery export asked for in the browser, built by the task queue."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign_app.db import Base, UTCDateTime, enum_column, utcnow


class ExportState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


class ExportJob(Base):
    """One export file being built or ready to download (deleted when expired)."""

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    format: Mapped[str] = mapped_column(String(10))
    # exports.rows.Selection.as_dict(), plus the BOM choice.
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[ExportState] = mapped_column(enum_column(ExportState), default=ExportState.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    # A random file name, never derived from personal data; the file is kept by the store
    # named in stored_in (exports.storage: "folder" or "database").
    file_name: Mapped[str] = mapped_column(String(100), default="")
    stored_in: Mapped[str] = mapped_column(String(10), default="folder", server_default="folder")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExportFileChunk(Base):
    """A piece (at most 1 MiB) of an export file kept in the database (exports.storage)."""

    __tablename__ = "export_file_chunk"

    export_id: Mapped[int] = mapped_column(
        ForeignKey("export_job.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
