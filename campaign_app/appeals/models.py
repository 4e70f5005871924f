"""Appeals to officials: the targets, their letter templates, and appeals reported sent."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.campaigns.models import Campaign
from campaign_app.db import Base, BigIntPK, Translatable, UTCDateTime, enum_column, utcnow


class AppealLanguage(enum.StrEnum):
    """Languages an appeal may be written in (the official's own comes first on the page)."""

    RUSSIAN = "ru"
    BELARUSIAN = "be"
    ENGLISH = "en"
    FRENCH = "fr"


class SentBy(enum.StrEnum):
    POST = "post"
    EMAIL = "email"


class AppealTarget(Translatable, Base):
    """An official a campaign asks supporters to write to (a President, a Prosecutor General).

    The name shown on the site and the source are translated into other languages
    (``translations``); what is printed (office, address) stays in the official's language.

    ``office`` and ``address_lines`` are printed as they stand (the addressee "to whom" in the
    official's language, then street, postcode and town); ``country_line`` last, in capitals.
    """

    __tablename__ = "appeal_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(300))
    address_lines: Mapped[str] = mapped_column(Text, default="")
    country_line: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[AppealLanguage] = mapped_column(
        enum_column(AppealLanguage, length=5), default=AppealLanguage.RUSSIAN
    )
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    templates: Mapped[list[AppealTemplate]] = relationship(
        back_populates="target", order_by="AppealTemplate.language", cascade="all, delete-orphan"
    )

    def lines(self) -> list[str]:
        return [line.strip() for line in self.address_lines.splitlines() if line.strip()]

    def template_in(self, language: str) -> AppealTemplate | None:
        return next((t for t in self.templates if t.language.value == language), None)


class AppealTemplate(Base):
    """The text of an appeal to one target in one language, with placeholders
    ({name}, {city}, {prisoner}, {prisoner_dative}) filled in by the composer."""

    __tablename__ = "appeal_template"
    __table_args__ = (UniqueConstraint("target_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("appeal_target.id"), index=True)
    language: Mapped[AppealLanguage] = mapped_column(enum_column(AppealLanguage, length=5))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    target: Mapped[AppealTarget] = relationship(back_populates="templates")


class AppealSent(Base):
    """A supporter's "I sent it" for an appeal: no name, no address, only to whom and how."""

    __tablename__ = "appeal_sent"
    __table_args__ = (CheckConstraint("count BETWEEN 1 AND 1000", name="count_in_range"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("appeal_target.id"), index=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    sent_by: Mapped[SentBy] = mapped_column(enum_column(SentBy, length=10))
    sender_country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
