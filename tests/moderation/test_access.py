"""Every moderation route: anonymous -> sign-in, another campaign's organiser -> 403."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.extensions import db
from campaign_app.moderation.models import InvalidationBatch
from campaign_app.petitions.models import SignatureState
from tests.factories import make_signature, make_user
from tests.support.moderation import invalidate, results, search_id, setup
from tests.support.web import log_in, post_form


def routes(s, signature_id: int, batch_id: int) -> list[tuple[str, str]]:
    p = s.petition.id
    base = f"/organise/petitions/{p}/moderation"
    return [
        ("GET", base),
        ("POST", base),
        ("POST", f"{base}/preview"),
        ("POST", f"{base}/batches"),
        ("GET", f"{base}/batches/{batch_id}"),
        ("GET", f"{base}/batches/{batch_id}/status"),
        ("POST", f"{base}/batches/{batch_id}/restore"),
        ("GET", f"{base}/reports"),
        ("GET", f"/organise/petitions/{p}/signatures/{signature_id}/invalidate"),
        ("POST", f"/organise/petitions/{p}/signatures/{signature_id}/invalidate"),
    ]


@pytest.fixture
def world(app, client):
    s = setup()
    signature = make_signature(
        s.petition, email_normalized="x@spam.example", email="x@spam.example"
    )
    log_in(client, s.organiser)
    token = search_id(post_form(client, s.base, {"domain": "spam.example"}))
    invalidate(client, s, token, 1)
    batch_id = db.session.scalars(select(InvalidationBatch.id)).one()
    client.post("/account/logout", data={})
    client.delete_cookie("session")
    return s, signature, batch_id


def test_anonymous_is_sent_to_sign_in(world, client):
    s, signature, batch_id = world
    for method, url in routes(s, signature.id, batch_id):
        response = client.open(url, method=method)
        assert response.status_code in (302, 400), (method, url)
        if method == "GET":
            assert "/account/login" in response.headers["Location"], url


def test_anonymous_post_with_token_is_sent_to_sign_in(world, client):
    s, signature, batch_id = world
    for method, url in routes(s, signature.id, batch_id):
        if method != "POST":
            continue
        response = post_form(client, url, {}, page_url="/account/login")
        assert response.status_code == 302, url
        assert "/account/login" in response.headers["Location"], url


def test_organiser_of_another_campaign_gets_403(world, client):
    s, signature, batch_id = world
    log_in(client, s.outsider)
    own_page = f"/organise/petitions/{s.outsider_petition.id}/moderation"
    for method, url in routes(s, signature.id, batch_id):
        if method == "GET":
            response = client.get(url)
        else:
            response = post_form(client, url, {"search": "x", "reason": "abc"}, page_url=own_page)
        assert response.status_code == 403, (method, url)


def test_right_organiser_and_admin_see_every_page(world, client):
    s, _signature, batch_id = world
    pending = make_signature(s.petition, state=SignatureState.PENDING)
    for user in (s.organiser, make_user(Role.ADMIN)):
        client.delete_cookie("session")
        log_in(client, user)
        for url in (
            s.base,
            f"{s.base}/batches/{batch_id}",
            f"{s.base}/batches/{batch_id}/status",
            f"{s.base}/reports",
            f"/organise/petitions/{s.petition.id}/signatures/{pending.id}/invalidate",
        ):
            assert client.get(url).status_code == 200, url
        assert results(client, s, country="NL").status_code == 200


def test_objects_of_another_petition_are_403(world, client):
    s, _signature, batch_id = world
    foreign = make_signature(s.outsider_petition)
    log_in(client, s.organiser)
    url = f"/organise/petitions/{s.petition.id}/signatures/{foreign.id}/invalidate"
    assert client.get(url).status_code == 403
    other_base = f"/organise/petitions/{s.outsider_petition.id}/moderation"
    assert client.get(f"{other_base}/batches/{batch_id}").status_code == 403
    assert client.get(f"{s.base}/batches/999999").status_code == 403
    assert (
        client.get(f"/organise/petitions/{s.petition.id}/signatures/999999/invalidate").status_code
        == 403
    )


def test_the_petition_hub_links_moderation(world, client):
    s, _signature, _batch_id = world
    log_in(client, s.organiser)
    page = client.get(f"/organise/petitions/{s.petition.id}").get_data(as_text=True)
    assert f'href="{s.base}"' in page
