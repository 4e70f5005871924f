"""The Campaign table."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.db import Base, Translatable, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from campaign_app.petitions.models import Petition
    from campaign_app.prisoners.models import Prisoner


class CampaignState(enum.StrEnum):
    """Draft: organisers only. Open: public. Closed: public, finished. Archived: hidden."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Campaign(Translatable, Base):
    """A campaign run by an organisation, e.g. "Freedom for Ales Bialiatski".

    Its name and description are translated into other languages (``translations``).
    """

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(default=False)
    state: Mapped[CampaignState] = mapped_column(
        enum_column(CampaignState), default=CampaignState.OPEN, server_default="open"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    petitions: Mapped[list[Petition]] = relationship(back_populates="campaign")
    prisoners: Mapped[list[Prisoner]] = relationship(back_populates="campaign")
