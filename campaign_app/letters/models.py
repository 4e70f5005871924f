"""Occasions, the phrasebook, postal routes per sender country, and cards reported sent."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.db import Base, BigIntPK, Translatable, UTCDateTime, enum_column, utcnow
from campaign_app.prisoners.models import Prisoner


class OccasionKind(enum.StrEnum):
    BIRTHDAY = "birthday"
    NEW_YEAR = "new_year"
    ARREST_ANNIVERSARY = "arrest_anniversary"
    GENERAL = "general"
    CUSTOM = "custom"


class Artwork(enum.StrEnum):
    """Front-side designs, drawn as vectors (no images, nothing the censor could read)."""

    BALLOONS = "balloons"
    CAKE = "cake"
    SNOWFLAKE = "snowflake"
    FIR = "fir"
    CANDLE = "candle"
    FLOWERS = "flowers"
    ORNAMENT = "ornament"  # a red-on-white Belarusian embroidery pattern
    BLANK = "blank"  # an empty frame for a child's drawing


class Season(enum.StrEnum):
    """When a phrase may be printed: any time, or only in its season ("spring has come")."""

    ANY = "any"
    SPRING = "spring"
    SUMMER = "summer"
    AUTUMN = "autumn"
    WINTER = "winter"


class Occasion(Translatable, Base):
    """Why a card is written: a birthday, New Year, the arrest anniversary, or a custom one.

    ``name_en`` is the English name; ``translations`` holds the others as
    ``{"ru": {"name": "…"}}`` (letters.labels.occasion_name shows the reader's).
    """

    __tablename__ = "occasion"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[OccasionKind] = mapped_column(enum_column(OccasionKind))
    name_en: Mapped[str] = mapped_column(String(120))
    # Printed on the card's front, in the prisoner's language.
    front_title_ru: Mapped[str] = mapped_column(String(120), default="")
    front_title_be: Mapped[str] = mapped_column(String(120), default="")
    artwork: Mapped[Artwork] = mapped_column(enum_column(Artwork), default=Artwork.FLOWERS)
    # A custom occasion may have its own date (e.g. a 50th birthday week).
    on_date: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Phrase(Base):
    """A short, safe phrase with its translations, reviewed by an organiser before use."""

    __tablename__ = "phrase"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int | None] = mapped_column(ForeignKey("occasion.id"), index=True)
    # A seasonal phrase is printed only on cards for any time (never on a birthday or New Year
    # card) and only in its season.
    season: Mapped[Season] = mapped_column(
        enum_column(Season), default=Season.ANY, server_default=Season.ANY.value
    )
    text_en: Mapped[str] = mapped_column(String(300))
    text_ru: Mapped[str] = mapped_column(String(300))
    text_be: Mapped[str] = mapped_column(String(300))
    text_fr: Mapped[str] = mapped_column(String(300), default="")
    is_reviewed: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    occasion: Mapped[Occasion | None] = relationship()

    def text(self, language: str) -> str:
        """The phrase in ``language`` (en, ru, be, fr), falling back to English."""
        value: str = getattr(self, f"text_{language}", "") or ""
        return value or self.text_en


class PostalRoute(Translatable, Base):
    """Posting from one sender country: transit time, postage, and whether mail goes at all.

    The postage note and the note are translated into other languages (``translations``).
    """

    __tablename__ = "postal_route"
    __table_args__ = (CheckConstraint("transit_days >= 0", name="transit_not_negative"),)

    sender_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    transit_days: Mapped[int] = mapped_column(Integer, default=14)
    postage_note: Mapped[str] = mapped_column(String(300), default="")
    is_suspended: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CardSent(Base):
    """A supporter's "I sent it": no name, no address, only what was sent to whom and when."""

    __tablename__ = "card_sent"
    __table_args__ = (
        Index("ix_card_sent_prisoner_occasion", "prisoner_id", "occasion_id"),
        CheckConstraint("count BETWEEN 1 AND 1000", name="count_in_range"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    prisoner_id: Mapped[int] = mapped_column(ForeignKey("prisoner.id"))
    occasion_id: Mapped[int | None] = mapped_column(ForeignKey("occasion.id"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    sender_country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    prisoner: Mapped[Prisoner] = relationship()
    occasion: Mapped[Occasion | None] = relationship()
