"""A signer erases their own signatures through an e-mailed link (real SMTP server)."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from sqlalchemy import select, update

from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.blind_index import email_hash
from campaign_app.petitions.models import Signature
from campaign_app.privacy.models import ErasureRequest
from tests.factories import make_petition, make_signature
from tests.support.privacy import counts_of, erase_link, signature
from tests.support.queue import run_queue
from tests.support.web import csrf_token, text_of

SAME_ANSWER = "If we hold signatures under this address, we've sent a link to it."


def ask(client, email):
    return client.post(
        "/privacy/erase", data={"email": email, "csrf_token": csrf_token(client, "/privacy/erase")}
    )


def test_privacy_note_links_to_the_erasure_page(app, client):
    page = client.get("/privacy")
    assert 'href="/privacy/erase"' in page.get_data(as_text=True)
    assert "30 days" in text_of(page)
    assert client.get("/privacy/erase").status_code == 200


def test_full_flow_request_mail_link_confirm(app, client, mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    first = make_petition(title="Free Ales")
    second = make_petition(title="Against the death penalty")
    mine_1 = make_signature(
        first,
        email="Vera.K@example.org",
        email_normalized="vera.k@example.org",
        first_name="Vera",
        last_name="Hiddenname",
        country="BY",
    )
    mine_2 = make_signature(
        second,
        email="vera.k@example.org",
        email_normalized="vera.k@example.org",
        first_name="Vera",
        last_name="Hiddenname",
        country="LT",
    )
    other = make_signature(first, country="BY")
    ids = (mine_1.id, mine_2.id, other.id)
    before = (counts_of(first.id), counts_of(second.id))

    response = ask(client, "VERA.K+petitions@example.org")
    assert response.status_code == 200
    assert SAME_ANSWER in text_of(response)
    assert "vera" not in response.get_data(as_text=True).lower()
    [request] = db.session.scalars(select(ErasureRequest)).all()

    run_queue(app)
    [message] = mailbox.to("Vera.K@example.org")
    link = erase_link(message)
    token = link.rsplit("/", 1)[1]
    db.session.expire_all()
    request = db.session.get(ErasureRequest, request.id)
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only the hash
    assert token not in request.token_hash and request.mail_sent_at is not None

    # Opening the link (as a mail scanner does) erases nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Free Ales" in text_of(page) and "Against the death penalty" in text_of(page)
    assert client.head(link).status_code == 200
    assert signature(ids[0]).erased_at is None

    done = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert done.status_code == 200
    assert "We erased 2 signature(s)" in text_of(done)
    for row_id in ids[:2]:
        row = signature(row_id)
        assert row.erased_at is not None and row.email == "" and row.last_name == ""
    assert signature(ids[2]).erased_at is None
    assert (counts_of(first.id), counts_of(second.id)) == before
    assert db.session.scalars(select(ErasureRequest)).all() == []

    # One event per campaign (the two petitions are in two campaigns), ids and counts only.
    erased = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signer.erased")
    ).all()
    assert {e.actor_label for e in erased} == {"signer (e-mailed link)"}
    assert sorted((e.petition_id, e.rows) for e in erased) == sorted(
        [(first.id, 1), (second.id, 1)]
    )
    events = db.session.scalars(select(AuditEvent)).all()
    assert all("vera" not in f"{e.target} {e.details}".lower() for e in events)

    # The link works once.
    again = client.get(link)
    assert again.status_code == 404
    assert "already used" in text_of(again)

    # Every log line but the test SMTP server's own (it is the recipient's mail system).
    app_log = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert "vera" not in app_log.lower()
    assert token not in app_log


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, mailbox):
    make_signature(make_petition(), email="known@example.org", email_normalized="known@example.org")
    response = ask(client, "stranger@example.org")
    assert response.status_code == 200
    assert SAME_ANSWER in text_of(response)
    known = ask(client, "known@example.org")
    assert text_of(known) == text_of(response)
    # The request holds the address's keyed hash only.
    assert db.session.scalar(select(ErasureRequest.email_hash)) == email_hash("known@example.org")
    run_queue(app)
    assert mailbox.to("stranger@example.org") == []
    assert len(mailbox.to("known@example.org")) == 1


def test_asking_twice_mails_once(app, client, mailbox):
    make_signature(make_petition(), email="twice@example.org", email_normalized="twice@example.org")
    ask(client, "twice@example.org")
    second = ask(client, "twice@example.org")
    assert SAME_ANSWER in text_of(second)
    run_queue(app)
    assert len(mailbox.to("twice@example.org")) == 1


def test_expired_link_shows_a_clear_page_and_erases_nothing(app, client, mailbox):
    mine = make_signature(
        make_petition(), email="late@example.org", email_normalized="late@example.org"
    )
    mine_id = mine.id
    ask(client, "late@example.org")
    run_queue(app)
    link = erase_link(mailbox.to("late@example.org")[0])
    token = csrf_token(client, link)
    db.session.execute(update(ErasureRequest).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    page = client.get(link)
    assert page.status_code == 410
    assert "This erasure link has expired" in text_of(page)
    assert client.post(link, data={"csrf_token": token}).status_code == 410
    assert signature(mine_id).erased_at is None


def test_unknown_token_and_missing_csrf(app, client):
    mine = make_signature(make_petition(), email="t@example.org", email_normalized="t@example.org")
    page = client.get("/privacy/erase/not-a-real-token")
    assert page.status_code == 404
    assert "This erasure link does not work" in text_of(page)
    assert client.post("/privacy/erase", data={"email": "t@example.org"}).status_code == 400
    assert signature(mine.id).erased_at is None


def test_bad_address_is_refused_next_to_the_field(app, client, mailbox):
    response = ask(client, "no-at-sign")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and 'value="no-at-sign"' in html
    assert db.session.scalars(select(ErasureRequest)).all() == []


def test_requests_are_rate_limited_per_ip(make_app):
    app = make_app(RATELIMIT_ENABLED=True, ERASURE_RATE_LIMIT_PER_IP="2/hour")
    client = app.test_client()
    with app.app_context():
        statuses = [ask(client, f"n{i}@example.org").status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_erased_signer_no_longer_in_the_public_list(app, client):
    petition = make_petition()
    make_signature(
        petition, first_name="Visible", email="v@example.org", email_normalized="v@example.org"
    )
    make_signature(
        petition, first_name="Zinaida", email="z@example.org", email_normalized="z@example.org"
    )
    assert "Zinaida" in text_of(client.get(f"/petitions/{petition.slug}"))
    from campaign_app.privacy.service import erasing

    erasing.erase_signer("z@example.org", via="cli")
    page = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "Zinaida" not in page and "Visible" in page
    assert "Zinaida" not in db.session.scalars(select(Signature.first_name)).all()


def test_a_link_mail_lost_by_the_queue_is_sent_later(app, client, mailbox):
    from campaign_app.privacy.jobs import resend_lost_erasure_links

    make_signature(make_petition(), email="lost@example.org", email_normalized="lost@example.org")
    ask(client, "lost@example.org")
    app.extensions["campaign_queue"].huey.flush()  # the queue lost the job
    assert resend_lost_erasure_links() == 0  # not late yet
    request = db.session.scalar(select(ErasureRequest))
    request.created_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert resend_lost_erasure_links() == 1
    run_queue(app)
    assert len(mailbox.to("lost@example.org")) == 1
    assert resend_lost_erasure_links() == 0  # sent: nothing left to resend
