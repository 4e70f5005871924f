"""Use cases of an organiser's own account: sign in (lock-out, second factor), reset a
forgotten password by e-mail, change the password, sign out everywhere.

Managing other accounts is ``accounts.users.service``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from campaign_app.accounts import jobs
from campaign_app.accounts.models import User
from campaign_app.accounts.passwords import (
    check_password_rules,
    hash_password,
    normalize_account_email,
    reset_token_user,
)
from campaign_app.audit.service import record
from campaign_app.db import as_utc, utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)

# A hash to check unknown e-mails against, so that they take as long as known ones.
_DUMMY_HASH_CACHE: dict[str, str] = {}


class LoginFailed(CampaignError):
    """Wrong e-mail, password or code, or the account is locked: always the same answer."""


class InvalidResetLink(CampaignError):
    """The reset link is unknown, used already or expired."""


@dataclass(frozen=True)
class LoginStep:
    """The result of a correct password: signed in, or a TOTP code is needed first."""

    user: User
    needs_code: bool


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``<id>:<session version>``; an old version is signed out."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > now


def _record_failure(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= int(current_app.config["LOGIN_MAX_FAILURES"]):
        minutes = int(current_app.config["LOGIN_LOCKOUT_MINUTES"])
        user.locked_until = now + timedelta(minutes=minutes)
        user.failed_logins = 0
        record(
            "account.locked", actor=user, target=f"account {user.id}", details={"minutes": minutes}
        )
        log.warning("Account %s locked for %s minutes after failed sign-ins", user.id, minutes)
    db.session.commit()


def _dummy_hash() -> str:
    method = str(current_app.config["PASSWORD_HASH_METHOD"])
    if method not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[method] = generate_password_hash("not a password", method=method)
    return _DUMMY_HASH_CACHE[method]


def check_password(email: str, password: str) -> LoginStep:
    """First step of signing in; raises LoginFailed whatever went wrong."""
    now = utcnow()
    user = db.session.scalar(select(User).where(User.email == normalize_account_email(email)))
    if user is None or not user.is_active:
        check_password_hash(_dummy_hash(), password)  # same time as a real check
        raise LoginFailed()
    if _is_locked(user, now):
        check_password_hash(_dummy_hash(), password)
        raise LoginFailed()
    if not check_password_hash(user.password_hash, password):
        _record_failure(user, now)
        raise LoginFailed()
    if user.has_totp:
        return LoginStep(user, needs_code=True)
    _signed_in(user, now)
    return LoginStep(user, needs_code=False)


def check_code(user_id: int, code: str) -> User:
    """Second step: the TOTP code of the user who gave the right password."""
    now = utcnow()
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.totp_secret is None or _is_locked(user, now):
        raise LoginFailed()
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        _record_failure(user, now)
        raise LoginFailed()
    user.totp_last_step = step
    _signed_in(user, now)
    return user


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step whose code is ``code`` (this one, or one either side), if not used yet."""
    code = "".join(code.split())
    if not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(time.time()) // totp.interval
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step if last_step is None or step > last_step else None
    return None


def _signed_in(user: User, now: datetime) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record("account.signed_in", actor=user, target=f"account {user.id}")
    db.session.commit()


def change_password_check(user: User, current: str) -> None:
    """Raise LoginFailed unless ``current`` is the user's password (before risky changes)."""
    if not check_password_hash(user.password_hash, current):
        raise LoginFailed()


def change_password(user: User, current: str, new: str) -> None:
    """Change the password, knowing the current one; ends the account's other sessions."""
    if not check_password_hash(user.password_hash, current):
        raise LoginFailed()
    set_password(user, new)


def set_password(user: User, new: str, *, via: str = "web") -> None:
    """Set a new password (commits); every existing session of the account ends."""
    check_password_rules(new, user.email)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    record("account.password_changed", actor=user, via=via, target=f"account {user.id}")
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for; raises InvalidResetLink when it no longer works."""
    user = reset_token_user(token)
    if user is None:
        raise InvalidResetLink()
    return user


def request_password_reset(email: str, locale: str = "en") -> None:
    """Queue a reset-link mail, in ``locale``, if an active account has this address; else
    do nothing.

    The caller answers the same either way, and so it does when the queue is down: the mail
    is then lost (nothing queues it again) and the person can ask again.
    """
    user_id = db.session.scalar(
        select(User.id).where(
            User.email == normalize_account_email(email), User.is_active.is_(True)
        )
    )
    if user_id is not None:
        enqueue(jobs.send_password_reset, user_id, locale)


def totp_uri(user: User, secret: str) -> str:
    issuer = str(current_app.config.get("TOTP_ISSUER") or "Campaign app")
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def enable_totp(user: User, secret: str, code: str) -> None:
    """Switch the second factor on once the app shows a matching code (commits)."""
    step = _matching_step(secret, code, None)
    if step is None:
        raise LoginFailed()
    user.totp_secret = secret
    user.totp_last_step = step
    record("account.totp_enabled", target=f"account {user.id}")
    db.session.commit()


def disable_totp(user: User, *, via: str = "web") -> None:
    """Switch the second factor off (the user, or an admin for a lost phone)."""
    user.totp_secret = None
    user.totp_last_step = None
    record("account.totp_disabled", via=via, target=f"account {user.id}")
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    user.session_version += 1
    record("account.signed_out_everywhere", target=f"account {user.id}")
    db.session.commit()
