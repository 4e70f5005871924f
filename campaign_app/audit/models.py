"""The audit log: who did what to which campaign data, and when; never the personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign_app.db import Base, BigIntPK, UTCDateTime, utcnow


class AuditEvent(Base):
    """One organiser action (an export, an invalidation, an erasure, an edit...)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_campaign_at", "campaign_id", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The account, kept even when the account is deleted later (actor_label stays).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The organiser's e-mail, "command line (osuser)" or "scheduled job".
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id", ondelete="SET NULL"))
    # What was acted on, as text: "petition 3", "prisoner ales-bialiatski", "export 12".
    target: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[int | None] = mapped_column(Integer)
    # Filters, formats, counts: never e-mail addresses or names of signers.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
