"""Replies reported by supporters: which prisoner, when it arrived, from which country."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign_app.db import Base, BigIntPK, UTCDateTime, utcnow


class ReplyReport(Base):
    """A supporter's "I got a reply": no content, no name, no e-mail, never a reply's text."""

    __tablename__ = "reply_report"
    __table_args__ = (Index("ix_reply_report_prisoner_received", "prisoner_id", "received_on"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    prisoner_id: Mapped[int] = mapped_column(ForeignKey("prisoner.id"))
    received_on: Mapped[date] = mapped_column(Date)
    sender_country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
