"""Petition, Signature and the sharded SignatureCount table."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from campaign_app.campaigns.models import Campaign
from campaign_app.crypto import EncryptedText
from campaign_app.db import Base, BigIntPK, UTCDateTime, enum_column, utcnow


class PetitionState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class SignatureState(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    INVALIDATED = "invalidated"


class SignatureSource(enum.StrEnum):
    """Where a signature came from: the signing form, a paper sheet typed in, or a file."""

    ONLINE = "online"
    PAPER = "paper"
    IMPORT = "import"


class PublicDisplay(enum.StrEnum):
    """How a signer agreed to appear in public lists."""

    FIRST_NAME_AND_COUNTRY = "first_name_country"
    ANONYMOUS = "anonymous"


def accepts_signatures(
    state: PetitionState, opens_at: datetime, closes_at: datetime | None, moment: datetime
) -> bool:
    """The one rule for "open": the OPEN state, and ``moment`` inside the dates."""
    if state is not PetitionState.OPEN or moment < opens_at:
        return False
    return closes_at is None or moment < closes_at


def public_state_of(
    state: PetitionState, opens_at: datetime, closes_at: datetime | None, moment: datetime
) -> str:
    """The state as the public sees it at ``moment``: dates count, not only the flag."""
    if state is PetitionState.OPEN:
        if moment < opens_at:
            return "upcoming"
        if closes_at is not None and moment >= closes_at:
            return PetitionState.CLOSED.value
    return state.value


# The rows a public list of signers may show, as SQL: the condition of the partial index
# ix_signature_public_latest, written out literally in the query that uses it (a database
# uses a partial index only for a query whose WHERE visibly implies the index's).
SHOWN_PUBLICLY = (
    f"state = '{SignatureState.CONFIRMED.value}'"
    f" AND display = '{PublicDisplay.FIRST_NAME_AND_COUNTRY.value}'"
    " AND erased_at IS NULL"
)


class Petition(Base):
    """A petition to a target, e.g. the President of the Republic of Belarus."""

    __tablename__ = "petition"
    __table_args__ = (
        CheckConstraint("goal >= 0", name="goal_not_negative"),
        CheckConstraint("closes_at IS NULL OR closes_at > opens_at", name="closes_after_opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(200))
    goal: Mapped[int] = mapped_column(Integer, default=1000)
    state: Mapped[PetitionState] = mapped_column(
        enum_column(PetitionState), default=PetitionState.DRAFT
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the organiser wrote title, summary and body in; others are translations.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # When the signers' personal data was anonymised (counts by country stay).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="petitions")
    signatures: WriteOnlyMapped[Signature] = relationship(back_populates="petition")
    translations: Mapped[list[PetitionTranslation]] = relationship(
        back_populates="petition",
        cascade="all, delete-orphan",
        order_by="PetitionTranslation.locale",
    )

    def is_open_at(self, moment: datetime) -> bool:
        """Whether signatures are accepted at ``moment``."""
        return accepts_signatures(self.state, self.opens_at, self.closes_at, moment)

    def public_state(self, moment: datetime) -> str:
        """The state as the public sees it at ``moment``: dates count, not only the flag."""
        return public_state_of(self.state, self.opens_at, self.closes_at, moment)

    def has_opened_by(self, moment: datetime) -> bool:
        return self.state is not PetitionState.DRAFT and moment >= self.opens_at


class PetitionTranslation(Base):
    """The petition's title, summary, body and target in another interface language."""

    __tablename__ = "petition_translation"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petition.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Whom the petition asks, in this language (empty: the original's target).
    target: Mapped[str] = mapped_column(String(200), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    petition: Mapped[Petition] = relationship(back_populates="translations")


class Signature(Base):
    """One person's signature; it counts only once confirmed by e-mail."""

    __tablename__ = "signature"
    __table_args__ = (
        # One signature per mailbox and petition, through the keyed hash of the address.
        UniqueConstraint("petition_id", "email_hash", name="uq_signature_petition_email"),
        Index("ix_signature_petition_state_confirmed", "petition_id", "state", "confirmed_at"),
        # Moderation reports: the last hour's signatures of a petition.
        Index("ix_signature_petition_created", "petition_id", "created_at"),
        # Moderation by e-mail domain (search, bulk invalidation, the busiest domains).
        Index("ix_signature_petition_domain", "petition_id", "email_domain_hash"),
        # The mail outbox: only rows with an e-mail to send are in this index.
        Index(
            "ix_signature_mail_due",
            "mail_due_at",
            sqlite_where=text("mail_due_at IS NOT NULL"),
            postgresql_where=text("mail_due_at IS NOT NULL"),
        ),
        Index("ix_signature_mail_sent", "mail_sent_at"),
        # The petition page's latest signers: only the rows it may show (see SHOWN_PUBLICLY).
        Index(
            "ix_signature_public_latest",
            "petition_id",
            "confirmed_at",
            sqlite_where=text(SHOWN_PUBLICLY),
            postgresql_where=text(SHOWN_PUBLICLY),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"))
    # Personal data, stored encrypted (campaign_app.crypto): a stolen database file, dump or
    # backup holds no name or address. "" is stored as NULL (erased rows hold nothing). The
    # forms bound the lengths (80, 80, 254 and 80 characters); the database cannot.
    first_name: Mapped[str] = mapped_column(EncryptedText("signature.first_name"), nullable=True)
    last_name: Mapped[str] = mapped_column(EncryptedText("signature.last_name"), nullable=True)
    email: Mapped[str] = mapped_column(EncryptedText("signature.email"), nullable=True)
    city: Mapped[str] = mapped_column(EncryptedText("signature.city"), nullable=True, default="")
    # Blind indexes (petitions.blind_index): keyed hashes of the normalised address and of its
    # domain. An erased row's email_hash is "erased:<id>" and its domain hash NULL.
    email_hash: Mapped[str] = mapped_column(String(64))
    email_domain_hash: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    display: Mapped[PublicDisplay] = mapped_column(
        enum_column(PublicDisplay), default=PublicDisplay.FIRST_NAME_AND_COUNTRY
    )
    state: Mapped[SignatureState] = mapped_column(
        enum_column(SignatureState), default=SignatureState.PENDING
    )
    locale: Mapped[str] = mapped_column(String(10), default="en")
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the signer last asked for the e-mail (signing, signing again, resend): the resend
    # interval counts from here.
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The outbox (campaign_app.outbox, petitions.outbox): an e-mail is due from mail_due_at
    # until the server accepts it; a dispatcher holds it until mail_lease_until while sending.
    mail_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mail_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    mail_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The mail server refused the confirmation e-mail for good (5xx); it is not tried again.
    mail_refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # News about this petition (campaign_app.news): when the signer ticked "send me news",
    # the version of the wording they agreed to, and when they withdrew. Erasing clears them.
    news_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    news_consent_version: Mapped[str | None] = mapped_column(String(20))
    news_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Erased on request or anonymised: names, e-mail, city and IP hash are blanked; the row
    # stays so that counts (also by country and hour) stay true, but no export shows it.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalidation_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("invalidation_batch.id"), index=True
    )
    # Signed online, or on paper and entered by an organiser (campaign_app.paper): a paper or
    # imported row is confirmed when entered, has no e-mail (its email_hash is "paper:<random>")
    # and belongs to a paper batch, which invalidates and restores it as a whole.
    source: Mapped[SignatureSource] = mapped_column(
        enum_column(SignatureSource, length=10),
        default=SignatureSource.ONLINE,
        server_default=SignatureSource.ONLINE.value,
    )
    paper_batch_id: Mapped[int | None] = mapped_column(ForeignKey("paper_batch.id"), index=True)

    petition: Mapped[Petition] = relationship(back_populates="signatures")


class SignatureCount(Base):
    """One shard of a petition's confirmed-signature counter, per source and country.

    Confirmations add 1 to a random shard, so a surge spreads over many rows instead of
    queueing on one; the total is the sum over at most sources x countries x shards rows.
    Paper batches add whole groups to shard 0 of their source.
    """

    __tablename__ = "signature_count"
    __table_args__ = (CheckConstraint("count >= 0", name="count_not_negative"),)

    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), primary_key=True)
    source: Mapped[SignatureSource] = mapped_column(
        enum_column(SignatureSource, length=10),
        primary_key=True,
        default=SignatureSource.ONLINE,
        server_default=SignatureSource.ONLINE.value,
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SignatureHourly(Base):
    """One shard of a petition's confirmed signatures per UTC hour of confirmation.

    Kept beside SignatureCount by the same code paths, so the statistics page reads a few
    thousand small rows instead of grouping a million signatures. Online signatures only:
    a paper batch entered in one minute is no hour of signing (its rows' confirmed_at is
    the time they were typed in), so it stays out of the hourly charts.
    """

    __tablename__ = "signature_hourly"
    __table_args__ = (CheckConstraint("count >= 0", name="count_not_negative"),)

    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)
