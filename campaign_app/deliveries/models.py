"""Hand-ins of a petition's signatures (where, to whom, what happened) and their photos."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.db import Base, Translatable, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from campaign_app.petitions.models import Petition


class DeliveryOutcome(enum.StrEnum):
    """What happened at the door (DOMAIN.md: the embassy refused the delegation, the open
    letter was left in its mailbox)."""

    RECEIVED = "received"
    REFUSED = "refused"
    LEFT_IN_MAILBOX = "left_in_mailbox"
    SENT_BY_POST = "sent_by_post"


class Delivery(Translatable, Base):
    """One hand-in of a petition's signatures; public once published.

    Its place, recipient and note are translated into other languages (``translations``).
    """

    __tablename__ = "delivery"
    __table_args__ = (
        CheckConstraint("signatures_online >= 0", name="online_not_negative"),
        CheckConstraint("signatures_on_paper >= 0", name="paper_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petition.id", ondelete="CASCADE"), index=True
    )
    delivered_on: Mapped[date] = mapped_column(Date)
    # "Embassy of the Republic of Belarus, Berlin"
    place: Mapped[str] = mapped_column(String(300))
    # To whom: "the ambassador", "the duty officer"; empty when nobody came to the door.
    recipient: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[DeliveryOutcome] = mapped_column(enum_column(DeliveryOutcome))
    signatures_online: Mapped[int] = mapped_column(Integer, default=0)
    signatures_on_paper: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # None while a draft (organisers only); the moment it went public otherwise.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    petition: Mapped[Petition] = relationship()
    photos: Mapped[list[DeliveryPhoto]] = relationship(
        back_populates="delivery",
        cascade="all, delete-orphan",
        order_by="DeliveryPhoto.id",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DeliveryPhoto(Translatable, Base):
    """A photo of a hand-in, re-encoded on upload (deliveries.images): no metadata left.

    Its alt text and caption are translated into other languages (``translations``).
    """

    __tablename__ = "delivery_photo"
    # A slot per photo: at most DELIVERY_MAX_PHOTOS slots, so two uploads at once cannot
    # both take the last one.
    __table_args__ = (UniqueConstraint("delivery_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("delivery.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(20))  # image/jpeg or image/png
    # Hex SHA-256 of the bytes: part of the photo's URL, so a URL never changes its image
    # and may be cached for a year.
    digest: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    # The re-encoded image: in the database, so that every node serves what any node stored.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    alt_text: Mapped[str] = mapped_column(String(300))
    caption: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    delivery: Mapped[Delivery] = relationship(back_populates="photos")

    @property
    def file_name(self) -> str:
        """The last part of the photo's URL: its digest's start and its type's extension."""
        extension = "png" if self.content_type == "image/png" else "jpg"
        return f"{self.digest[:16]}.{extension}"
