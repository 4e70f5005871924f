"""Server-side sign-ins: each login gets a row; the session cookie holds only a random token.

Signing out revokes the row, so a cookie copied before "Sign out" no longer opens anything;
a password change or "sign out everywhere" ends them all (the account's session version).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
from flask import current_app
from sqlalchemy import delete, or_, select, update

from campaign_app.accounts.models import SignIn, User
from campaign_app.db import utcnow
from campaign_app.extensions import db


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> str:
    """Record a new sign-in of ``user`` (commits); returns the token for the session."""
    longest = timedelta(hours=int(current_app.config["ORGANISER_SESSION_HOURS"]))
    # Sign-ins that can no longer be used are of no interest: keep the table small.
    db.session.execute(
        delete(SignIn).where(
            SignIn.user_id == user.id,
            or_(SignIn.revoked_at.is_not(None), SignIn.created_at < utcnow() - longest),
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, token_hash=_hash(token)))
    db.session.commit()
    return token


def _live(token: str | None) -> SignIn | None:
    if not token or not isinstance(token, str):
        return None
    return db.session.scalar(
        select(SignIn).where(SignIn.token_hash == _hash(token), SignIn.revoked_at.is_(None))
    )


def is_live(user_id: int, token: str | None) -> bool:
    """Whether ``token`` names a sign-in of this account that has not been ended."""
    sign_in = _live(token)
    return sign_in is not None and sign_in.user_id == user_id


def end(token: str | None) -> None:
    """Revoke this sign-in for good (commits); an unknown token is ignored."""
    if token and isinstance(token, str):
        db.session.execute(
            update(SignIn)
            .where(SignIn.token_hash == _hash(token), SignIn.revoked_at.is_(None))
            .values(revoked_at=utcnow(), pending_totp_secret=None)
        )
        db.session.commit()


def pending_totp_secret(token: str | None) -> str:
    """The second-factor secret being set up in this sign-in, made on first use (commits)."""
    sign_in = _live(token)
    if sign_in is None:
        raise LookupError("no live sign-in")
    if sign_in.pending_totp_secret is None:
        sign_in.pending_totp_secret = pyotp.random_base32()
        db.session.commit()
    return sign_in.pending_totp_secret


def forget_pending_totp(token: str | None) -> None:
    """Drop the secret once it is switched on (commits)."""
    sign_in = _live(token)
    if sign_in is not None and sign_in.pending_totp_secret is not None:
        sign_in.pending_totp_secret = None
        db.session.commit()
