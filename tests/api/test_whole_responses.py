"""The micro-cached count API answered in front of Flask: the very same answer, and only for
plain requests, for as long as the cache entry it came from lasts."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from campaign_app.extensions import db, limiter
from campaign_app.microcache import WholeResponses
from tests.factories import make_petition, make_signature


def _counted(app: Flask) -> list[str]:
    """The paths that reached Flask (its request hooks) rather than the stored answers."""
    seen: list[str] = []

    @app.before_request
    def count() -> None:
        from flask import request

        seen.append(request.path)

    return seen


def _petition(app: Flask, signatures: int = 1) -> str:
    with app.app_context():
        petition = make_petition()
        for _ in range(signatures):
            make_signature(petition)
        slug = petition.slug
        db.session.commit()  # the requests below run in app contexts of their own
    return slug


def _whole(response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.headers.items()), response.get_data()


def test_a_repeat_plain_request_gets_the_same_answer_without_flask(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    seen = _counted(app)
    slug = _petition(app, signatures=2)
    client = app.test_client()
    for path in [f"/api/v1/petitions/{slug}", "/api/v1/petitions", "/api/v1/openapi.json"]:
        first = client.get(path)
        again = client.get(path)
        assert first.status_code == 200
        assert _whole(again) == _whole(first)  # status, every header in order, body
        assert seen.count(path) == 1
    headers = client.get(f"/api/v1/petitions/{slug}").headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "public, max-age=10"
    assert headers["Vary"] == "Cookie"
    assert client.get(f"/api/v1/petitions/{slug}").json["signature_count"] == 2


def test_requests_that_may_differ_go_through_flask(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    seen = _counted(app)
    slug = _petition(app)
    path = f"/api/v1/petitions/{slug}"
    client = app.test_client()
    etag = client.get(path).headers["ETag"]

    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, query_string={"lang": "ru"}).status_code == 200
    assert client.head(path).status_code == 200
    with_cookie = app.test_client()
    with_cookie.set_cookie("lang", "fr")
    assert with_cookie.get(path).status_code == 200
    assert len(seen) == 5
    client.get(path)
    assert len(seen) == 5  # the plain one again: from the stored answer


def test_https_answers_are_kept_apart_and_keep_hsts(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    slug = _petition(app)
    path = f"/api/v1/petitions/{slug}"
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get(path).headers
    for _ in range(2):
        secure = client.get(path, base_url="https://localhost")
        assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get(path).headers


def test_a_stored_answer_lasts_only_as_long_as_its_cache_entry(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    slug = _petition(app, signatures=1)
    path = f"/api/v1/petitions/{slug}"
    client = app.test_client()
    assert client.get(path).json["signature_count"] == 1
    with app.app_context():
        from campaign_app.petitions.models import Petition

        make_signature(db.session.scalars(db.select(Petition).filter_by(slug=slug)).one())
        db.session.commit()
    assert client.get(path).json["signature_count"] == 1  # within the cache time
    app.extensions["campaign_microcache"].clear()  # the entry expires...
    assert client.get(path).json["signature_count"] == 2  # ...and so does the whole answer


def test_unknown_petitions_and_pages_are_never_stored(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    seen = _counted(app)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/api/v1/petitions/no-such-petition").status_code == 404
        assert client.get("/privacy").status_code == 200
    assert len(seen) == 4


def test_rate_limited_requests_are_never_answered_from_store(make_app: Callable):
    # Application-wide limits live on the one limiter object's manager, which make_app does
    # not give back: this test puts the empty list back itself, or every later app would
    # carry "2/minute".
    manager = limiter.limit_manager
    before = manager._application_limits
    try:
        app = make_app(
            MICROCACHE_SECONDS=60,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            RATELIMIT_APPLICATION="2/minute",
        )
        slug = _petition(app)
        client = app.test_client()
        statuses = [client.get(f"/api/v1/petitions/{slug}").status_code for _ in range(3)]
    finally:
        manager.set_application_limits(before)
    assert statuses == [200, 200, 429]


def test_without_the_micro_cache_nothing_sits_in_front_of_flask(make_app: Callable):
    assert not isinstance(make_app(MICROCACHE_SECONDS=0).wsgi_app, WholeResponses)
    assert isinstance(make_app(MICROCACHE_SECONDS=60).wsgi_app, WholeResponses)
