"""Password reset by e-mail: same answer for unknown addresses, a link that works once."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign_app.accounts.models import User
from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db
from tests.factories import make_user
from tests.support.mail import free_port
from tests.support.queue import run_queue
from tests.support.web import csrf_token, log_in, text_of

LINK = re.compile(r"http://campaign\.test(/account/reset/\S+)")


def _ask(client, email):
    return client.post(
        "/account/reset",
        data={"email": email, "csrf_token": csrf_token(client, "/account/reset")},
    )


def test_reset_by_email_link(app, client, mailbox):
    user = make_user(email="forgetful@example.org")
    answer = _ask(client, "forgetful@example.org")
    assert answer.status_code == 200
    run_queue(app)
    [message] = mailbox.to("forgetful@example.org")
    path = LINK.search(message.get_content()).group(1)

    new = "a new password for the campaign"
    response = client.post(
        path,
        data={"password": new, "confirm": new, "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 302
    log_in(app.test_client(), user, password=new)
    # The link worked once.
    assert client.get(path).status_code == 400
    assert "no longer works" in text_of(client.get(path))
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "account.password_changed" in actions


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, mailbox):
    make_user(email="known@example.org")
    known = _ask(client, "known@example.org")
    unknown = _ask(client, "unknown@example.org")
    assert text_of(known) == text_of(unknown)
    run_queue(app)
    assert mailbox.to("unknown@example.org") == []
    assert len(mailbox.to("known@example.org")) == 1


def test_tampered_link_is_refused(app, client):
    response = client.get("/account/reset/not-a-real-token")
    assert response.status_code == 400
    assert "no longer works" in text_of(response)


def test_mismatched_passwords_keep_the_form(app, client, mailbox):
    make_user(email="typo@example.org")
    _ask(client, "typo@example.org")
    run_queue(app)
    path = LINK.search(mailbox.to("typo@example.org")[0].get_content()).group(1)
    response = client.post(
        path,
        data={
            "password": "first long password",
            "confirm": "second long password",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert response.status_code == 400
    assert "The two passwords differ." in text_of(response)
    user = db.session.scalar(select(User).where(User.email == "typo@example.org"))
    log_in(app.test_client(), user)  # the old password still works


def test_the_same_answer_with_the_queue_down(make_app, mailbox):
    """Redis unreachable: no 500 for a known address, the same page as for an unknown one."""
    working = make_app()
    broken = make_app(QUEUE_BACKEND="redis", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    with working.app_context():
        make_user(email="known@example.org")
        db.session.commit()  # the requests run in app contexts of their own
    answers = [
        _ask(app.test_client(), email)
        for app in (working, broken)
        for email in ("known@example.org", "unknown@example.org")
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    assert len({text_of(answer) for answer in answers}) == 1
    run_queue(working)
    assert len(mailbox.to("known@example.org")) == 1  # the broken app's mail is lost
