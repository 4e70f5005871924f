"""Signed, expiring confirmation tokens (itsdangerous); they name a signature id only."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from campaign_app.errors import CampaignError

TOKEN_SALT = "petitions.confirm-signature"  # noqa: S105 - a namespace, not a secret


class InvalidToken(CampaignError):
    """The confirmation link is damaged, unknown, or its signature was withdrawn."""


class ExpiredToken(CampaignError):
    """The confirmation link is genuine but too old."""


# One serializer per secret key: building it for every link cost as much as signing one (the
# mail dispatcher makes thousands a minute).
_SERIALIZERS: dict[str, URLSafeTimedSerializer] = {}


def _serializer() -> URLSafeTimedSerializer:
    secret = str(current_app.config["SECRET_KEY"])
    found = _SERIALIZERS.get(secret)
    if found is None:
        found = _SERIALIZERS[secret] = URLSafeTimedSerializer(secret, salt=TOKEN_SALT)
    return found


def make_confirmation_token(signature_id: int) -> str:
    """A signed, timestamped token naming the signature (and nothing personal)."""
    return _serializer().dumps(signature_id)


def signature_id_from(token: str, *, allow_expired: bool = False) -> int:
    """The signature id inside ``token``; raises InvalidToken or ExpiredToken."""
    serializer = _serializer()
    try:
        value = serializer.loads(token, max_age=current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except SignatureExpired as error:
        if not allow_expired or error.payload is None:
            raise ExpiredToken() from None
        value = serializer.load_payload(error.payload)
    except BadSignature:
        raise InvalidToken() from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidToken()
    return value
