"""The Campaign table."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from campaign_app.petitions.models import Petition
    from campaign_app.prisoners.models import Prisoner


class Campaign(Base):
    """A campaign run by an organisation, e.g. "Freedom for Ales Bialiatski"."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    petitions: Mapped[list[Petition]] = relationship(back_populates="campaign")
    prisoners: Mapped[list[Prisoner]] = relationship(back_populates="campaign")
