"""The session cookie and the CSRF tokens are signed by serializers that keep their signers
(campaign_app.signing): they must sign exactly what itsdangerous signs, and accept and refuse
exactly what it does."""

from __future__ import annotations

import hashlib

import pytest
from flask.sessions import session_json_serializer
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from campaign_app.signing import KeptSignerSerializer
from tests.factories import make_petition
from tests.support.petitions import sign
from tests.support.web import csrf_token, text_of

# Flask's session serializer (SecureCookieSessionInterface) and Flask-WTF's token serializer.
SESSION = {
    "salt": "cookie-session",
    "serializer": session_json_serializer,
    "signer_kwargs": {"key_derivation": "hmac", "digest_method": hashlib.sha1},
}
CSRF: dict[str, object] = {"salt": "wtf-csrf-token"}
KEYS = ["an old key, still accepted", "the current key"]


@pytest.fixture
def fixed_time(monkeypatch):
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_800_000_000)


@pytest.mark.parametrize("options", [SESSION, CSRF], ids=["session", "csrf"])
@pytest.mark.parametrize("value", [{"csrf_token": "0f" * 20}, "0f" * 20, {"a": [1, "b"]}])
def test_kept_serializer_signs_what_itsdangerous_signs(fixed_time, options, value):
    plain = URLSafeTimedSerializer(KEYS, **options)  # type: ignore[arg-type]
    kept = KeptSignerSerializer(KEYS, **options)  # type: ignore[arg-type]
    for _ in range(2):  # the second time from the kept signer and key
        assert kept.dumps(value) == plain.dumps(value)
    assert plain.loads(kept.dumps(value)) == value
    assert kept.loads(plain.dumps(value)) == value


@pytest.mark.parametrize("options", [SESSION, CSRF], ids=["session", "csrf"])
def test_kept_serializer_refuses_what_itsdangerous_refuses(options):
    kept = KeptSignerSerializer(KEYS, **options)  # type: ignore[arg-type]
    signed = kept.dumps("0f" * 20)
    # Signed with the old key (a fallback): still accepted; with another key: refused.
    assert kept.loads(URLSafeTimedSerializer(KEYS[0], **options).dumps("x")) == "x"  # type: ignore[arg-type]
    with pytest.raises(BadSignature):
        kept.loads(URLSafeTimedSerializer("another key", **options).dumps("x"))  # type: ignore[arg-type]
    with pytest.raises(BadSignature):
        kept.loads(signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"))
    with pytest.raises(BadSignature):  # the same value under another salt
        kept.loads(URLSafeTimedSerializer(KEYS, salt="other").dumps("0f" * 20))
    with pytest.raises(SignatureExpired):
        kept.loads(signed, max_age=-1)


def test_a_new_visitors_token_signs_only_in_their_own_session(app):
    petition = make_petition()
    path = f"/petitions/{petition.slug}"
    visitor, other = app.test_client(), app.test_client()
    token = csrf_token(visitor, path)
    assert token != csrf_token(other, path)
    # Another visitor's token is refused, and the form comes back with what was typed.
    refused = sign(other, petition.slug, csrf_token=token, first_name="Anna")
    assert refused.status_code == 400
    assert "The form had expired" in text_of(refused)
    assert sign(visitor, petition.slug, csrf_token=token).status_code == 302
