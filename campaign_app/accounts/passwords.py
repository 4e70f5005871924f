"""Passwords of organiser accounts: the rules, the hash, and the reset link's token.

Shared by the sign-in and settings use cases, the admin's user management and the reset mail
job. The reset token carries the account id and a fingerprint of the password hash, so a
link stops working once the password has changed (it works once).
"""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from campaign_app.accounts.models import User
from campaign_app.errors import CampaignError
from campaign_app.extensions import db

_RESET_SALT = "password-reset"


class WeakPassword(CampaignError):
    """The password breaks the password rules (the message says which)."""


def normalize_account_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str, email: str = "") -> None:
    """Raise WeakPassword with a clear message when ``password`` is not acceptable."""
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < minimum:
        raise WeakPassword(
            _ln(
                "The password must have at least %(num)d character.",
                "The password must have at least %(num)d characters.",
                minimum,
            )
        )
    if len(password) > 200:
        raise WeakPassword(_l("The password must have at most 200 characters."))
    if email and password.strip().lower() == normalize_account_email(email):
        raise WeakPassword(_l("The password must not be the e-mail address."))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=str(current_app.config["PASSWORD_HASH_METHOD"]))


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes with the password, so a link works once.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """The token of a reset link for ``user`` (valid for PASSWORD_RESET_MAX_AGE)."""
    return _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})


def reset_token_user(token: str) -> User | None:
    """The active account a reset token is for; None when it is forged, old or used."""
    try:
        data = _reset_serializer().loads(
            token, max_age=int(current_app.config["PASSWORD_RESET_MAX_AGE"])
        )
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("p") != _password_fingerprint(user):
        return None
    return user
