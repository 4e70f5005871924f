"""News updates to a petition's signers: the update, its texts per language, its deliveries."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.db import Base, BigIntPK, UTCDateTime, enum_column, utcnow


class UpdateState(enum.StrEnum):
    DRAFT = "draft"  # written, editable; a test may be sent; waits for an admin's approval
    SENDING = "sending"  # approved: its deliveries are being sent
    SENT = "sent"  # every delivery is done (sent, refused, or no longer wanted)


class NewsUpdate(Base):
    """One update an organiser wrote to the signers of a petition who asked for news."""

    __tablename__ = "news_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    state: Mapped[UpdateState] = mapped_column(enum_column(UpdateState), default=UpdateState.DRAFT)
    # The e-mail's subject does not name the cause (the texts' neutral_subject is used):
    # for signers whose mail may be read by others.
    is_subject_neutral: Mapped[bool] = mapped_column(default=False)
    written_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the texts last changed: a test must have been sent after it before approval.
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    test_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Approval starts the sending; it is also the date the public page shows.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    texts: Mapped[list[NewsUpdateText]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="NewsUpdateText.locale"
    )

    def text_in(self, locale: str, fallback: str) -> NewsUpdateText | None:
        """The texts in ``locale``, else in ``fallback`` (the petition's language)."""
        by_locale = {t.locale: t for t in self.texts}
        return by_locale.get(locale) or by_locale.get(fallback)


class NewsUpdateText(Base):
    """An update's subject and Markdown body in one language."""

    __tablename__ = "news_update_text"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("news_update.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    subject: Mapped[str] = mapped_column(String(150))
    neutral_subject: Mapped[str] = mapped_column(String(150), default="")
    body: Mapped[str] = mapped_column(Text)

    update: Mapped[NewsUpdate] = relationship(back_populates="texts")


class NewsDelivery(Base):
    """One update's e-mail to one signer: the mail outbox's row (news.outbox).

    Inserted for every recipient at approval, in one INSERT .. SELECT; due until the server
    accepts it (or refuses it for good, or the signer no longer wants it).
    """

    __tablename__ = "news_delivery"
    __table_args__ = (
        UniqueConstraint("update_id", "signature_id", name="uq_news_delivery_update_signature"),
        Index(
            "ix_news_delivery_due",
            "due_at",
            sqlite_where=text("due_at IS NOT NULL"),
            postgresql_where=text("due_at IS NOT NULL"),
        ),
        Index("ix_news_delivery_sent", "sent_at"),
        Index("ix_news_delivery_update_due", "update_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("news_update.id", ondelete="CASCADE"))
    signature_id: Mapped[int] = mapped_column(
        BigIntPK, ForeignKey("signature.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
