"""Organiser accounts: User, its role, and the campaigns an organiser is given."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign_app.campaigns.models import Campaign
from campaign_app.db import Base, UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    """Admins do everything; organisers work on the campaigns they are given."""

    ADMIN = "admin"
    ORGANISER = "organiser"


class User(Base):
    """Somebody who signs in to the organiser area (never a signer)."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-case: the login form looks it up the same way.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.ORGANISER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Base32 TOTP secret once the second factor is switched on; None means password only.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last accepted TOTP time step: a code is good once (no replay within its window).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session id: bumping it (password change, "sign out everywhere") ends
    # every session of this account.
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaigns: Mapped[list[Campaign]] = relationship(
        secondary="campaign_membership", order_by="Campaign.name"
    )

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class CampaignMembership(Base):
    """An organiser given a campaign."""

    __tablename__ = "campaign_membership"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignIn(Base):
    """One sign-in of an account, kept server-side: signing out revokes it for good, so a
    copy of the session cookie taken before is worth nothing afterwards."""

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the random token in the session cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A second-factor secret being set up: here, not in the (readable) cookie, until confirmed.
    pending_totp_secret: Mapped[str | None] = mapped_column(String(64))
