"""Updates' e-mail through the outbox: claimed with a lease, marked once accepted, each
recipient mailed once, also with dispatchers side by side, lapsed leases and a killed one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from campaign_app.accounts.models import Role
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.news import service
from campaign_app.news.models import NewsDelivery, NewsUpdate, UpdateState
from campaign_app.news.outbox import NewsMail
from tests.factories import make_petition, make_user
from tests.support.dispatchers import drain_side_by_side, drain_with_a_dispatcher_killed
from tests.support.mail import free_port
from tests.support.news import news_signer
from tests.support.organise import audit_events
from tests.support.web import log_in, text_of


def _outbox(app):
    return app.extensions["campaign_outbox"]


def _source(app) -> NewsMail:
    [source] = [s for s in _outbox(app).sources if isinstance(s, NewsMail)]
    return source


def _approved(petition, subject: str = "News of the week") -> NewsUpdate:
    """An update written, tested and approved through the service (the pages have their
    own tests)."""
    admin = make_user(role=Role.ADMIN)
    texts = {petition.language: service.TextInput(subject, "", "Text of the update.")}
    news = service.write_update(petition, service.UpdateInput(False, texts), admin)
    news.test_sent_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    service.approve(news, petition, admin)
    return news


def test_a_dispatcher_that_dies_holds_its_mail_only_until_its_lease_ends(app, mailbox):
    petition = make_petition()
    news_signer(petition, email="lease@example.org")
    _approved(petition)
    now = utcnow()
    # A dispatcher claims the e-mail and is killed before sending it.
    assert len(_source(app).claim(now, now + timedelta(minutes=2), 10)) == 1
    assert _outbox(app).drain().claimed == 0  # held by the lease
    assert mailbox.messages == []

    db.session.execute(update(NewsDelivery).values(lease_until=utcnow() - timedelta(seconds=1)))
    assert _outbox(app).drain().sent == 1
    assert _outbox(app).drain().claimed == 0
    assert len(mailbox.to("lease@example.org")) == 1


def test_an_smtp_outage_postpones_and_loses_nothing(app, mailbox):
    petition = make_petition()
    news_signer(petition, email="later@example.org")
    _approved(petition)
    port = app.config["MAIL_SMTP_PORT"]
    app.config.update(MAIL_SMTP_PORT=free_port(), MAIL_SMTP_TIMEOUT=2, QUEUE_RETRY_DELAY=30)
    result = _outbox(app).drain()
    assert result.transport_failed and result.sent == 0
    due_at, attempts = db.session.execute(select(NewsDelivery.due_at, NewsDelivery.attempts)).one()
    assert due_at > utcnow() and attempts == 1
    app.config["MAIL_SMTP_PORT"] = port
    db.session.execute(update(NewsDelivery).values(due_at=utcnow() - timedelta(seconds=1)))
    assert _outbox(app).drain().sent == 1
    assert len(mailbox.to("later@example.org")) == 1


def test_progress_and_the_queue_status_show_the_sending(app, client, runner, mailbox):
    petition = make_petition()
    for number in range(3):
        news_signer(petition, email=f"progress-{number}@example.org")
    news = _approved(petition)
    status = runner.invoke(args=["queue", "status"])
    assert "News updates to signers: 3 waiting, 0 being sent" in status.output

    log_in(client, make_user(campaigns=(petition.campaign,)))
    page = client.get(f"/organise/news/{news.id}")
    assert "E-mails sent: 0 of 3" in text_of(page)
    assert '<meta http-equiv="refresh" content="10">' in page.get_data(as_text=True)
    assert "0 of 3" in text_of(client.get(f"/organise/petitions/{petition.id}/news"))

    _outbox(app).drain(limit=2)
    assert "E-mails sent: 2 of 3" in text_of(client.get(f"/organise/news/{news.id}"))
    _outbox(app).drain()
    _outbox(app).drain()  # the round that finds nothing finishes the update
    db.session.expire_all()  # the test's session outlives requests; a real one would not
    page = client.get(f"/organise/news/{news.id}")
    assert "E-mails sent: 3 of 3" in text_of(page)
    assert "http-equiv" not in page.get_data(as_text=True)
    assert db.session.get(NewsUpdate, news.id).state is UpdateState.SENT
    assert "News updates to signers: 0 waiting" in runner.invoke(args=["queue", "status"]).output


def test_approving_twice_inserts_each_recipient_once(app):
    petition = make_petition()
    news_signer(petition)
    news = _approved(petition)
    with pytest.raises(service.UpdateNotDraft):
        service.approve(news, petition, make_user(role=Role.ADMIN))
    assert db.session.scalar(select(func.count()).select_from(NewsDelivery)) == 1


@pytest.mark.commits
def test_dispatchers_side_by_side_send_each_update_once_to_each_signer(app, mailbox):
    petition = make_petition()
    emails = [f"side-{number}@example.org" for number in range(30)]
    for email in emails:
        news_signer(petition, email=email)
    db.session.commit()
    _approved(petition)
    app.config["MAIL_BATCH"] = 4  # many small claims, so the dispatchers interleave
    results = drain_side_by_side(app)
    assert sum(result.sent for result in results) == 30
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted(emails)
    _outbox(app).drain()
    db.session.rollback()
    [finished] = audit_events("news.finished")  # finished once, by one dispatcher
    assert finished.details["sent"] == 30


@pytest.mark.commits
def test_a_dispatcher_killed_mid_send_mails_nobody_twice_but_the_one_in_flight(
    app, database_url, tmp_path
):
    petition = make_petition()
    emails = [f"killed-{number}@example.org" for number in range(50)]
    for email in emails:
        news_signer(petition, email=email)
    db.session.commit()
    _approved(petition)

    messages = drain_with_a_dispatcher_killed(app, database_url, tmp_path, len(emails))

    received = [str(message["To"]) for message in messages]
    assert set(received) == set(emails)  # everyone got the update
    # At most the one e-mail the server had accepted when the kill came before its mark.
    assert len(received) - len(set(received)) <= 1
    db.session.rollback()
    still_due = db.session.scalar(select(func.count()).where(NewsDelivery.due_at.is_not(None)))
    assert still_due == 0
