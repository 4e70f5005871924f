"""Signing in: the same answer for every failure, lock-out, sessions that end, two steps."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from campaign_app.accounts.models import Role, User
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from tests.factories import PASSWORD, make_user
from tests.support.organise import page_token
from tests.support.web import csrf_token, log_in, post_form, text_of

WRONG = "The e-mail address, password or code is wrong"


def _attempt(client, email, password):
    return client.post(
        "/account/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_token(client, "/account/login"),
        },
    )


def test_organiser_area_needs_sign_in(client):
    response = client.get("/organise/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_sign_in_then_back_to_the_page_asked_for(app, client):
    user = make_user(Role.ADMIN)
    client.get("/organise/audit/")  # remembered as the next page
    client.get("/account/login?next=/organise/audit/")
    response = log_in(client, user)
    assert response.headers["Location"] == "/organise/audit/"
    assert client.get("/organise/audit/").status_code == 200
    assert db.session.get(User, user.id).last_login_at is not None


def test_next_page_never_leaves_the_site(app, client):
    user = make_user()
    client.get("/account/login?next=https://evil.example/")
    response = log_in(client, user)
    assert response.headers["Location"] == "/organise/"


def test_unknown_account_and_wrong_password_get_the_same_message(app, client):
    make_user(email="known@example.org")
    unknown = _attempt(client, "nobody@example.org", PASSWORD)
    wrong = _attempt(client, "known@example.org", "not the password at all")
    assert unknown.status_code == wrong.status_code == 400
    assert WRONG in text_of(unknown)
    assert WRONG in text_of(wrong)
    # The address typed is kept, the password is not echoed back.
    assert 'value="known@example.org"' in wrong.get_data(as_text=True)
    assert "not the password at all" not in wrong.get_data(as_text=True)


def test_account_locks_after_repeated_failures_even_for_the_right_password(app, client):
    app.config.update(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
    user = make_user(email="target@example.org")
    for _ in range(3):
        assert _attempt(client, "target@example.org", "wrong password!!").status_code == 400
    locked = _attempt(client, "target@example.org", PASSWORD)
    assert locked.status_code == 400
    assert WRONG in text_of(locked)
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "account.locked" in actions
    # When the lock has passed, the right password works again.
    db.session.get(User, user.id).locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _attempt(client, "target@example.org", PASSWORD).status_code == 302


def test_admin_unlocks_a_locked_account(app, client):
    admin = make_user(Role.ADMIN)
    locked = make_user(locked_until=utcnow() + timedelta(minutes=10))
    log_in(client, admin)
    assert "locked" in text_of(client.get("/organise/users/"))
    response = post_form(
        client, f"/organise/users/{locked.id}/unlock", {}, page_url="/organise/users/new"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, locked.id).locked_until is None


def test_sign_in_is_rate_limited_per_ip(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT_PER_IP="3/minute")
    client = app.test_client()
    with app.app_context():
        statuses = [
            _attempt(client, "x@example.org", "whatever123456").status_code for _ in range(4)
        ]
    assert statuses[:3] == [400, 400, 400]
    assert statuses[3] == 429


def test_sign_out_ends_the_session(app, client):
    log_in(client, make_user())
    response = post_form(client, "/account/logout", {}, page_url="/account/")
    assert response.status_code == 302
    assert client.get("/organise/").status_code == 302


def test_idle_session_ends(app, client):
    app.config["ORGANISER_IDLE_MINUTES"] = 1
    log_in(client, make_user())
    assert client.get("/organise/").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 120
    response = client.get("/organise/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_session_ends_after_its_longest_life(app, client):
    app.config["ORGANISER_SESSION_HOURS"] = 1
    log_in(client, make_user())
    with client.session_transaction() as session:
        session["signed_in_at"] = time.time() - 3601
    assert client.get("/organise/").status_code == 302


def test_deactivated_account_is_signed_out_at_once(app, client):
    user = make_user()
    log_in(client, user)
    user.is_active = False
    user.session_version += 1
    db.session.commit()
    assert client.get("/organise/").status_code == 302


def test_password_change_signs_out_other_sessions(app):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    log_in(first, user)
    log_in(second, user)
    response = post_form(
        first,
        "/account/password",
        {
            "current": PASSWORD,
            "password": "a brand new long password",
            "confirm": "a brand new long password",
        },
        page_url="/account/",
    )
    assert response.status_code == 302
    assert first.get("/organise/").status_code == 200
    assert second.get("/organise/").status_code == 302


def test_weak_new_password_is_refused_with_a_message(app, client):
    log_in(client, make_user())
    response = post_form(
        client,
        "/account/password",
        {"current": PASSWORD, "password": "short", "confirm": "short"},
        page_url="/account/",
    )
    assert response.status_code == 400
    assert "at least 12 characters" in text_of(response)


def _enable_totp(client):
    page = client.get("/account/totp")
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)
    # The key as the page shows it for typing into an app; the (readable) cookie never has it.
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page.get_data(True)).group(1)
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))
    response = post_form(client, "/account/totp", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def test_two_step_sign_in(app, client):
    user = make_user()
    log_in(client, user)
    secret = _enable_totp(client)
    db.session.expire_all()
    assert db.session.get(User, user.id).has_totp
    post_form(client, "/account/logout", {}, page_url="/account/")

    other = app.test_client()
    response = log_in(other, user)
    assert response.headers["Location"] == "/account/login/code"
    assert other.get("/organise/").status_code == 302  # not signed in yet
    wrong = post_form(other, "/account/login/code", {"code": "000000"})
    assert wrong.status_code == 400
    assert WRONG in text_of(wrong)
    totp = pyotp.TOTP(secret)
    # The code used to switch it on cannot be used again: take the next time step's code.
    code = totp.at(time.time() + totp.interval)
    right = post_form(other, "/account/login/code", {"code": code})
    assert right.status_code == 302
    assert other.get("/organise/").status_code == 200
    # A code is good once.
    third = app.test_client()
    log_in(third, user)
    assert post_form(third, "/account/login/code", {"code": code}).status_code == 400


def test_wrong_totp_setup_code_keeps_it_off(app, client):
    user = make_user()
    log_in(client, user)
    client.get("/account/totp")
    response = post_form(client, "/account/totp", {"code": "123456"})
    assert response.status_code == 400
    assert "does not match" in text_of(response)
    db.session.expire_all()
    assert not db.session.get(User, user.id).has_totp


@pytest.mark.parametrize("path", ["/account/", "/account/totp", "/organise/audit/"])
def test_account_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(app, client):
    user = make_user()
    log_in(client, user)
    assert client.get("/organise/").status_code == 200
    copied = client.get_cookie("session").value
    client.post("/account/logout", data={"csrf_token": page_token(client)})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/organise/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_signing_out_ends_only_that_sign_in(app, client):
    user = make_user()
    other_device = app.test_client()
    log_in(client, user)
    log_in(other_device, user)
    client.post("/account/logout", data={"csrf_token": page_token(client)})
    assert client.get("/organise/").status_code == 302
    assert other_device.get("/organise/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "////evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "https:evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "%2F%2Fevil.example",
    ],
)
def test_sign_in_never_sends_anyone_to_another_site(app, client, target):
    user = make_user()
    response = client.get("/account/login", query_string={"next": target})
    if response.status_code == 400:  # control characters: refused before anything is kept
        assert "\n" in target or "\t" in target
        response = client.get("/account/login")
    assert response.status_code == 200
    location = log_in(client, user).headers["Location"]
    assert location == "/organise/"


def test_sign_in_goes_on_to_the_page_asked_for(app, client):
    user = make_user()
    client.get("/account/login", query_string={"next": "/organise/audit/"})
    assert log_in(client, user).headers["Location"] == "/organise/audit/"
