"""The queue down (Redis unreachable): erasure requests and anonymising answer exactly as
with it running, and the periodic re-queue finds the committed request and does the work."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select, update

from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState
from campaign_app.privacy import jobs, retention
from campaign_app.privacy.models import ErasureRequest
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.mail import free_port
from tests.support.privacy import signature
from tests.support.queue import run_queue
from tests.support.web import csrf_token, log_in, post_form, text_of


def queue_down(make_app):
    """An app whose queue is a Redis nobody listens on: every enqueue fails."""
    return make_app(QUEUE_BACKEND="redis", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")


def ask(client, email):
    return client.post(
        "/privacy/erase", data={"email": email, "csrf_token": csrf_token(client, "/privacy/erase")}
    )


def test_erasure_request_answers_the_same_with_the_queue_down(make_app, mailbox):
    working, broken = make_app(), queue_down(make_app)
    with working.app_context():
        petition = make_petition()
        for email in ("held-up@example.org", "held-down@example.org"):
            make_signature(petition, email=email, email_normalized=email)
        db.session.commit()  # the requests run in app contexts of their own
    answers = [
        ask(working.test_client(), "held-up@example.org"),
        ask(working.test_client(), "nobody-up@example.org"),
        ask(broken.test_client(), "held-down@example.org"),
        ask(broken.test_client(), "nobody-down@example.org"),
    ]
    assert {(answer.status_code, text_of(answer)) for answer in answers} == {
        (200, text_of(answers[0]))
    }
    assert "we've sent a link to it" in text_of(answers[0])

    with working.app_context():
        run_queue(working)
        assert len(mailbox.to("held-up@example.org")) == 1
        assert mailbox.to("held-down@example.org") == []
        # The request the broken app recorded waits unsent; ten minutes on, it is mailed.
        assert jobs.resend_lost_erasure_links() == 0
        db.session.execute(
            update(ErasureRequest).values(created_at=utcnow() - timedelta(minutes=11))
        )
        db.session.commit()
        assert jobs.resend_lost_erasure_links() == 1
        run_queue(working)
        assert jobs.resend_lost_erasure_links() == 0
    assert len(mailbox.to("held-down@example.org")) == 1
    assert len(mailbox.to("held-up@example.org")) == 1
    assert mailbox.to("nobody-up@example.org") == mailbox.to("nobody-down@example.org") == []


def _closed_petition_and_organiser():
    campaign = make_campaign()
    petition = make_petition(campaign=campaign, state=PetitionState.CLOSED)
    signer = make_signature(petition, first_name="Marta")
    user = make_user(campaigns=(campaign,))
    # Plain values: the rows are used after this app context ends.
    return petition.id, signer.id, SimpleNamespace(id=user.id, email=user.email)


def _anonymise(app, petition_id, organiser):
    client = app.test_client()
    log_in(client, organiser)
    url = f"/organise/petitions/{petition_id}/anonymise"
    response = post_form(client, url, {})
    return response, text_of(client.get(response.headers["Location"]))


def test_anonymising_answers_the_same_with_the_queue_down_and_is_queued_again(make_app):
    working, broken = make_app(), queue_down(make_app)
    with working.app_context():
        up_id, up_signer, organiser = _closed_petition_and_organiser()
        down_id, down_signer, down_organiser = _closed_petition_and_organiser()
        db.session.commit()  # the requests run in app contexts of their own
    up, up_page = _anonymise(working, up_id, organiser)
    down, down_page = _anonymise(broken, down_id, down_organiser)
    assert (up.status_code, down.status_code) == (302, 302)
    assert up.headers["Location"].endswith(f"/organise/petitions/{up_id}")
    assert down.headers["Location"].endswith(f"/organise/petitions/{down_id}")
    for page in (up_page, down_page):
        assert "Anonymisation started." in page

    with working.app_context():
        # Who asked is in the audit log at once; the work waits for the queue.
        requests = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == retention.ANONYMISE_REQUESTED)
            .order_by(AuditEvent.id)
        ).all()
        assert [(r.petition_id, r.actor_id, r.details) for r in requests] == [
            (up_id, organiser.id, {"state": "queued"}),
            (down_id, down_organiser.id, {"state": "queued"}),
        ]
        assert signature(down_signer).erased_at is None
        assert jobs.requeue_lost_anonymising() == 0  # not late yet
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.petition_id == down_id)
            .values(at=utcnow() - timedelta(minutes=11))
        )
        db.session.commit()
        assert jobs.requeue_lost_anonymising() == 1
        run_queue(working)
        db.session.expire_all()
        for petition_id, signer_id in ((up_id, up_signer), (down_id, down_signer)):
            assert db.session.get(Petition, petition_id).anonymised_at is not None
            assert signature(signer_id).erased_at is not None
        done = db.session.scalars(
            select(AuditEvent.actor_id)
            .where(AuditEvent.action == "petition.anonymised")
            .order_by(AuditEvent.petition_id)
        ).all()
        assert done == [organiser.id, down_organiser.id]
        db.session.execute(update(AuditEvent).values(at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
        assert jobs.requeue_lost_anonymising() == 0  # done: nothing left to queue


def test_a_started_anonymising_is_not_queued_again(app, client):
    petition_id, signer_id, organiser = _closed_petition_and_organiser()
    log_in(client, organiser)
    post_form(client, f"/organise/petitions/{petition_id}/anonymise", {})
    request = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == retention.ANONYMISE_REQUESTED)
    ).one()
    app.extensions["campaign_queue"].huey.flush()  # the worker took it and is still at it
    request.details = {"state": "started"}
    request.at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    assert jobs.requeue_lost_anonymising() == 0
    jobs.anonymise_petition(request.id)  # a retry of the job goes on regardless
    assert signature(signer_id).erased_at is not None
    db.session.expire_all()
    assert request.details == {"state": "done"}
