"""Erasure requests made by signers: a random token mailed to them, nothing in the URL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from campaign_app.db import Base, UTCDateTime, utcnow


class ErasureRequest(Base):
    """A pending "erase me" request; deleted once carried out or expired."""

    __tablename__ = "erasure_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token in the e-mailed link: a database leak does not give working links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The keyed hash of the normalised address (petitions.blind_index), never the address.
    email_hash: Mapped[str] = mapped_column(String(64))
    # The language of the page the request came from: the e-mail is written in it.
    locale: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mail_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
