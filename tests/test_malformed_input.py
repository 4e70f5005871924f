"""Malformed input answers 400 before any query runs, on SQLite and PostgreSQL alike: NUL and
other control characters in paths, query strings and form values, and files sent for text."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from campaign_app.accounts.models import Role
from campaign_app.demo.data import load_demo
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature
from tests.factories import make_petition, make_user
from tests.support.web import csrf_token, log_in

PATHS_WITH_NUL = [
    "/petitions/a%00b",
    "/prisoners/a%00b",
    "/letters/write/a%00b",
    "/api/v1/petitions/a%00b",
    "/embed/petitions/a%00b",
    "/petitions/a%00b/share.png",
    "/share/x/a%00b",
    "/letters/calendar?occasion=a%00b",
    "/?lang=r%00u",
    "/petitions/a%01b",
    "/petitions/a%7Fb",
]


@pytest.mark.parametrize("path", PATHS_WITH_NUL)
def test_control_characters_in_a_url_are_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if not path.startswith("/api/"):
        assert "The request could not be understood" in body


def test_a_nul_in_the_login_form_is_refused_and_nobody_is_signed_in(client):
    token = csrf_token(client, "/account/login")
    response = client.post(
        "/account/login",
        data={"email": "a\x00b@example.org", "password": "x", "csrf_token": token},
    )
    assert response.status_code == 400
    assert client.get("/organise/").status_code == 302  # still signed out


def test_a_nul_in_a_signature_stores_nothing(client):
    petition = make_petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")
    response = client.post(
        f"/petitions/{petition.slug}",
        data={
            "first_name": "An\x00na",
            "last_name": "K",
            "email": "anna@example.org",
            "country": "LT",
            "consent": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_a_moderation_search_by_domain_with_a_nul_is_refused(client):
    organiser = make_user(role=Role.ADMIN)
    petition = make_petition()
    log_in(client, organiser)
    url = f"/organise/petitions/{petition.id}/moderation"
    response = client.get(url + "?domain=exa%00mple.org")
    assert response.status_code == 400
    response = client.post(
        url, data={"domain": "exa\x00mple.org", "csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 400


def test_tab_and_newline_stay_allowed_in_form_text(client):
    """A letter has line breaks: only the characters no text holds are refused."""
    load_demo()
    page = "/letters/write/ales-bialiatski"
    token = csrf_token(client, page + "?occasion=birthday")
    response = client.post(
        page,
        data={
            "occasion": "birthday",
            "language": "en",
            "message": "Line one\r\nLine two\tend",
            "csrf_token": token,
        },
    )
    assert response.status_code != 500
    assert "could not be understood" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("/petitions/{slug}", "first_name"),
        ("/account/login", "email"),
        ("/privacy/erase", "email"),
        ("/letters/write/ales-bialiatski", "message"),
    ],
)
def test_a_file_sent_for_a_text_field_is_refused(client, page, field):
    petition = make_petition()
    load_demo()
    url = page.format(slug=petition.slug)
    token = csrf_token(client, url + ("?occasion=birthday" if "letters" in url else ""))
    data = {"csrf_token": token, field: (io.BytesIO(b"text"), "a.txt")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "The request could not be understood" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/organise/petitions/{big}",
        "/organise/petitions/{big}/exports",
        "/organise/petitions/{big}/paper",
        "/organise/hand-ins/{big}",
    ],
)
def test_an_id_beyond_the_databases_integers_is_not_found(client, path):
    # 2**70 would overflow a BIGINT: the database refused the query with an error (a 500).
    log_in(client, make_user(Role.ADMIN))
    response = client.get(path.format(big=2**70))
    assert response.status_code == 404
