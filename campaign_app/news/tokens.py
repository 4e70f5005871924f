"""Signed unsubscribe tokens (itsdangerous): they name a signature id, never an address.

They do not expire: the link in an e-mail must keep working for as long as the e-mail is
read. Its own salt, so no other token of the app (a confirmation link) passes for one.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from campaign_app.errors import CampaignError

TOKEN_SALT = "news.unsubscribe"  # noqa: S105 - a namespace, not a secret


class InvalidUnsubscribeToken(CampaignError):
    """The unsubscribe link is damaged or not one of ours."""


# One serializer per secret key: the dispatcher signs one token per e-mail.
_SERIALIZERS: dict[str, URLSafeSerializer] = {}


def _serializer() -> URLSafeSerializer:
    secret = str(current_app.config["SECRET_KEY"])
    found = _SERIALIZERS.get(secret)
    if found is None:
        found = _SERIALIZERS[secret] = URLSafeSerializer(secret, salt=TOKEN_SALT)
    return found


def make_unsubscribe_token(signature_id: int) -> str:
    return _serializer().dumps(signature_id)


def signature_id_from(token: str) -> int:
    """The signature id inside ``token``; raises InvalidUnsubscribeToken."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        raise InvalidUnsubscribeToken() from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidUnsubscribeToken()
    return value


def unsubscribe_url(signature_id: int) -> str:
    """The absolute link to the unsubscribe page (and the RFC 8058 one-click target)."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return f"{base}/news/unsubscribe/{make_unsubscribe_token(signature_id)}"
