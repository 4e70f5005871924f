"""The per-process micro-cache: fast repeat views, never one visitor's token for another."""

from __future__ import annotations

from campaign_app.extensions import db
from tests.factories import make_petition, make_signature
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.web import CSRF, text_of


def test_cached_page_gives_each_visitor_their_own_working_token(make_app, mailbox):
    app = make_app(MICROCACHE_SECONDS=60)
    with app.app_context():
        slug = make_petition().slug
        db.session.commit()  # the requests below run in app contexts of their own
    # Requests outside a test-wide app context, as in production: each visitor gets their own.
    first, second = app.test_client(), app.test_client()
    page_one = first.get(f"/petitions/{slug}").get_data(as_text=True)
    page_two = second.get(f"/petitions/{slug}").get_data(as_text=True)
    token_one, token_two = CSRF.search(page_one).group(1), CSRF.search(page_two).group(1)
    assert token_one != token_two
    assert page_one.replace(token_one, "") == page_two.replace(token_two, "")  # from the cache
    assert "\x00" not in page_two
    # The second visitor's token (put into the cached page) works, the first's does not.
    refused = sign(second, slug, email="cached@example.org", csrf_token=token_one)
    assert refused.status_code == 400
    response = sign(second, slug, email="cached@example.org", csrf_token=token_two)
    assert response.status_code == 302
    run_queue(app)
    assert second.get(confirmation_path(mailbox.messages[0])).status_code == 200


def test_counts_may_lag_by_the_cache_time_only(make_app):
    app = make_app(MICROCACHE_SECONDS=60)
    with app.app_context():
        petition = make_petition()
        client = app.test_client()
        assert "0 confirmed signatures" in text_of(client.get(f"/petitions/{petition.slug}"))
        assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 0
        make_signature(petition)
        # Within the cache time the old figure is served...
        assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 0
        app.extensions["campaign_microcache"].clear()  # ...and once it expires, the new one.
        assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 1
        assert "1 confirmed signature" in text_of(client.get(f"/petitions/{petition.slug}"))


def test_page_with_a_waiting_message_is_not_served_from_cache(make_app):
    app = make_app(MICROCACHE_SECONDS=60)
    with app.app_context():
        petition = make_petition()
        client = app.test_client()
        client.get(f"/petitions/{petition.slug}")  # fills the cache
        with client.session_transaction() as session:
            session["_flashes"] = [("error", "A message for this visitor")]
        assert "A message for this visitor" in text_of(client.get(f"/petitions/{petition.slug}"))
