"""The micro-cached count API and registry answered in front of Flask: the very same answer,
and only for plain requests, for as long as the cache entry it came from lasts."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from campaign_app.campaigns.models import CampaignState
from campaign_app.extensions import db, limiter
from campaign_app.microcache import WholeResponses
from tests.factories import (
    make_campaign,
    make_card_sent,
    make_petition,
    make_prisoner,
    make_signature,
)


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


# The registry (page and API) offers its answers with their query strings ----------------


def _full_paths_seen(app: Flask) -> list[str]:
    seen: list[str] = []

    @app.before_request
    def count() -> None:
        from flask import request

        seen.append(request.full_path)

    return seen


def _registry(app: Flask) -> None:
    with app.app_context():
        make_prisoner(
            given_name_latin="Ales",
            surname_latin="Example",
            given_name_ru="Алесь",
            surname_ru="Пример",
            campaign=make_campaign(state=CampaignState.OPEN),
        )
        db.session.commit()


REGISTRY_URLS = [
    "/prisoners/",
    "/prisoners/?q=Ales",
    "/prisoners/?month=9&mail=yes&sort=fewest-cards",
    "/api/v1/prisoners?q=Example",
    "/api/v1/prisoners?q=Example&page=1&per_page=10",
]


def test_a_registry_page_asked_again_is_the_same_answer_without_flask(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    seen = _full_paths_seen(app)
    _registry(app)
    client = app.test_client()
    for url in REGISTRY_URLS:
        first = client.get(url)
        again = client.get(url)
        assert first.status_code == 200
        assert "Set-Cookie" not in first.headers  # a new visitor gets no session
        assert _whole(again) == _whole(first)  # status, every header in order, body
        assert len(seen) == REGISTRY_URLS.index(url) + 1
    assert "Ales Example" in client.get("/prisoners/?q=Ales").get_data(as_text=True)
    headers = client.get("/prisoners/?q=Ales").headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY"
    # The page is in the reader's language: a cache in between must keep one per language.
    assert headers["Vary"] == "Accept-Language, Cookie"


def test_registry_pages_are_kept_apart_by_language(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    seen = _full_paths_seen(app)
    _registry(app)
    client = app.test_client()
    url = "/prisoners/?q=Ales"
    russian = client.get(url, headers={"Accept-Language": "ru"})
    french = client.get(url, headers={"Accept-Language": "fr"})
    english = client.get(url)
    assert "Алесь Пример" in russian.get_data(as_text=True)
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert "Ales Example" in english.get_data(as_text=True)
    assert _whole(client.get(url, headers={"Accept-Language": "ru"})) == _whole(russian)
    assert _whole(client.get(url, headers={"Accept-Language": "fr"})) == _whole(french)
    assert len(seen) == 3


def test_registry_requests_that_may_differ_go_through_flask(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    seen = _full_paths_seen(app)
    _registry(app)
    url = "/prisoners/?q=Ales"
    # ?lang= sets the language cookie: never stored.
    fresh = app.test_client(use_cookies=False)
    for _ in range(2):
        chosen = fresh.get(url + "&lang=ru")
        assert "lang=ru" in chosen.headers["Set-Cookie"]
    assert len(seen) == 2
    with_cookie = app.test_client()
    with_cookie.set_cookie("lang", "fr")
    for _ in range(2):
        assert '<html lang="fr">' in with_cookie.get(url).get_data(as_text=True)
    assert len(seen) == 4
    # Views that do not offer answers with a query string are asked every time.
    for _ in range(2):
        assert fresh.get("/api/v1/petitions?any=thing").status_code == 200
    assert len(seen) == 6


def test_a_stored_registry_answer_lasts_only_as_long_as_its_cache_entry(make_app: Callable):
    app = make_app(MICROCACHE_SECONDS=60)
    _registry(app)
    client = app.test_client()
    url = "/api/v1/prisoners?q=Example"
    assert client.get(url).json["prisoners"][0]["cards_sent"] == 0
    with app.app_context():
        from campaign_app.prisoners.models import Prisoner

        make_card_sent(db.session.scalars(db.select(Prisoner)).one(), count=2)
        db.session.commit()
    assert client.get(url).json["prisoners"][0]["cards_sent"] == 0  # within the cache time
    app.extensions["campaign_microcache"].clear()  # the entry expires...
    assert client.get(url).json["prisoners"][0]["cards_sent"] == 2  # ...and the whole answer
