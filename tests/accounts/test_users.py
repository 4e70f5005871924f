"""Admins manage accounts in the browser; organisers cannot."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign_app.accounts.models import Role, User
from campaign_app.db import utcnow
from campaign_app.extensions import db
from tests.factories import make_campaign, make_user
from tests.support.web import log_in, post_form, text_of


def test_admin_creates_an_organiser_for_a_campaign(app, client):
    campaign = make_campaign(name="Free Ales")
    log_in(client, make_user(Role.ADMIN))
    response = post_form(
        client,
        "/organise/users/new",
        {
            "email": "New@Example.org",
            "name": "New Organiser",
            "role": "organiser",
            "campaigns": [str(campaign.id)],
            "is_active": "y",
            "password": "a first long password",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert [c.name for c in user.campaigns] == ["Free Ales"]
    assert "new@example.org" in text_of(client.get("/organise/users/"))


def test_duplicate_account_is_refused_next_to_the_field(app, client):
    make_user(email="taken@example.org")
    log_in(client, make_user(Role.ADMIN))
    response = post_form(
        client,
        "/organise/users/new",
        {"email": "taken@example.org", "role": "organiser", "password": "a first long password"},
    )
    assert response.status_code == 400
    assert "exists already" in text_of(response)


def test_last_admin_cannot_demote_themself(app, client):
    admin = make_user(Role.ADMIN)
    log_in(client, admin)
    response = post_form(
        client, f"/organise/users/{admin.id}", {"role": "organiser", "is_active": "y"}
    )
    assert response.status_code == 400
    assert "last active admin" in text_of(response)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role is Role.ADMIN


def test_organisers_cannot_manage_accounts(app, client):
    log_in(client, make_user(Role.ORGANISER))
    assert client.get("/organise/users/").status_code == 403
    assert client.get("/organise/users/new").status_code == 403


def test_button_forms_need_the_csrf_token(app, client):
    locked = make_user(locked_until=utcnow() + timedelta(minutes=10))
    log_in(client, make_user(Role.ADMIN))
    response = client.post(f"/organise/users/{locked.id}/unlock", data={"csrf_token": "forged"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, locked.id).locked_until is not None


def test_a_stale_form_comes_back_with_what_was_typed(app, client):
    log_in(client, make_user(Role.ADMIN))
    response = client.post(
        "/organise/users/new",
        data={"email": "kept@example.org", "name": "Kept Name", "csrf_token": "expired"},
    )
    assert response.status_code == 400
    assert "The form had expired" in text_of(response)
    assert 'value="Kept Name"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "kept@example.org")) is None
