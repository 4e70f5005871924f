"""Paper batches (signatures collected on paper, entered by organisers) and CSV imports
waiting between their preview and their commit."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign_app.db import Base, UTCDateTime, enum_column, utcnow


class BatchKind(enum.StrEnum):
    """How a batch was entered: a count per sheet, row by row, or from a CSV file."""

    COUNTS = "counts"
    ROWS = "rows"
    IMPORT = "import"


class PaperBatchState(enum.StrEnum):
    ACTIVE = "active"
    INVALIDATED = "invalidated"


class PaperBatch(Base):
    """Signatures collected on paper at one event (or read from one file), entered together.

    Every signature of the batch is a Signature row (source paper or import, confirmed when
    entered, no e-mail); a counts-only batch has that many rows without names. The batch is
    invalidated and restored as a whole, its counters adjusted both ways.
    """

    __tablename__ = "paper_batch"
    __table_args__ = (CheckConstraint("signatures >= 0", name="signatures_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    kind: Mapped[BatchKind] = mapped_column(enum_column(BatchKind, length=10))
    # Where the sheets were signed: an event ("Solidarity day stall"), its place and country.
    event: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    # The serial numbers printed on the sheets, as typed ("free-ales-0001 to 0012").
    sheet_serials: Mapped[str] = mapped_column(Text, default="")
    signatures: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[PaperBatchState] = mapped_column(
        enum_column(PaperBatchState, length=12), default=PaperBatchState.ACTIVE
    )
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalidated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    invalidation_reason: Mapped[str] = mapped_column(String(300), default="")
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    restored_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    @property
    def is_active(self) -> bool:
        return self.state is PaperBatchState.ACTIVE


class PaperImport(Base):
    """An uploaded CSV file between its preview and its commit (or until it expires).

    Kept in the database, not in the session cookie or on one node's disk: any node may
    answer the "import" button. The text holds signers' names, so it is stored encrypted
    under the signer-data key; ``sha256`` is of the decoded text, which the commit checks.
    """

    __tablename__ = "paper_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    encoding: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    event: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    sheet_serials: Mapped[str] = mapped_column(Text, default="")
