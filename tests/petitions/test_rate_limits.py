"""Per-IP and per-mailbox limits on signing and confirming (memory and real Redis)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign_app.extensions import db
from campaign_app.petitions.models import Signature
from tests.factories import make_petition
from tests.support.petitions import sign
from tests.support.settings import TEST_REDIS_URL
from tests.support.web import csrf_token, text_of

LIMITED = {
    "RATELIMIT_ENABLED": True,
    "SIGN_RATE_LIMIT_PER_IP": "5/minute",
    "SIGN_RATE_LIMIT_PER_EMAIL": "2/hour",
    "CONFIRM_RATE_LIMIT_PER_IP": "3/minute",
}


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature)) or 0


def limited_app(make_app, storage: str):
    return make_app(**LIMITED, RATELIMIT_STORAGE_URI=storage, RATELIMIT_KEY_PREFIX=storage[:5])


@pytest.mark.parametrize("storage", ["memory://", pytest.param("redis", marks=pytest.mark.redis)])
def test_one_mailbox_cannot_sign_over_and_over(make_app, storage):
    if storage == "redis":
        import redis

        redis.Redis.from_url(TEST_REDIS_URL).flushdb()
        storage = TEST_REDIS_URL
    app = limited_app(make_app, storage)
    with app.app_context():
        petition = make_petition()
        client = app.test_client()
        token = csrf_token(client, f"/petitions/{petition.slug}")
        codes = [
            sign(client, petition.slug, email=email, csrf_token=token).status_code
            for email in ["same@example.org", "SAME@example.org", "same+1@example.org"]
        ]
        assert codes == [302, 302, 429]
        refused = sign(client, petition.slug, email="same@example.org", csrf_token=token)
        assert refused.status_code == 429
        assert "Too many attempts" in text_of(refused)
        assert "Retry-After" in refused.headers
        # Another mailbox from the same address is still welcome.
        assert (
            sign(client, petition.slug, email="other@example.org", csrf_token=token).status_code
            == 302
        )
        assert rows() == 2


def test_one_ip_cannot_sign_for_many(make_app):
    app = limited_app(make_app, "memory://")
    with app.app_context():
        petition = make_petition()
        client = app.test_client()
        token = csrf_token(client, f"/petitions/{petition.slug}")
        codes = [
            sign(client, petition.slug, email=f"bot{n}@example.org", csrf_token=token).status_code
            for n in range(7)
        ]
        assert codes == [302] * 5 + [429] * 2
        assert rows() == 5
        # Reading the petition is never limited.
        assert client.get(f"/petitions/{petition.slug}").status_code == 200


def test_confirm_links_are_limited_per_ip(make_app):
    app = limited_app(make_app, "memory://")
    with app.app_context():
        petition = make_petition()
        client = app.test_client()
        codes = [
            client.get(f"/petitions/{petition.slug}/confirm/guess{n}").status_code for n in range(5)
        ]
        assert codes == [404, 404, 404, 429, 429]
