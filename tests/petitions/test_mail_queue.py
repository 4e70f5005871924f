"""The mail path: queued, delivered over real SMTP, retried when the server is down."""

from __future__ import annotations

import os

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_petition
from tests.support.mail import Mailbox, free_port
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.settings import TEST_REDIS_URL


def test_smtp_outage_loses_no_signature_and_no_mail(app, client):
    port = free_port()  # nothing listens here yet: the SMTP server is "down"
    app.config.update(MAIL_SMTP_PORT=port, MAIL_SMTP_TIMEOUT=2)
    petition = make_petition()
    response = sign(client, petition.slug, email="outage@example.org")
    assert response.status_code == 302  # the supporter sees no error

    queue = app.extensions["campaign_queue"]
    run_queue(app)  # delivery fails, the job goes back in the queue
    assert queue.huey.pending_count() + queue.huey.scheduled_count() == 1
    assert db.session.scalar(select(Signature.state)) is SignatureState.PENDING

    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        run_queue(app)
    finally:
        server.stop()
    [message] = mailbox.to("outage@example.org")
    assert client.get(confirmation_path(message)).status_code == 200
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 1


def test_outbox_transport_writes_eml_and_logs_the_link(app, client, caplog):
    app.config["MAIL_TRANSPORT"] = "outbox"
    petition = make_petition()
    sign(client, petition.slug, email="offline@example.org")
    with caplog.at_level("INFO", logger="campaign_app"):
        run_queue(app)
    outbox = os.path.join(app.instance_path, "outbox")
    [name] = os.listdir(outbox)
    with open(os.path.join(outbox, name), encoding="utf-8") as handle:
        eml = handle.read()
    assert "To: offline@example.org" in eml
    link_lines = [r.getMessage() for r in caplog.records if "Confirmation link" in r.getMessage()]
    assert len(link_lines) == 1
    path = link_lines[0].split("http://campaign.test", 1)[1]
    assert path.startswith(f"/petitions/{petition.slug}/confirm/")
    # The log names the signature by id, never by address or name.
    assert all("offline@example.org" not in r.getMessage() for r in caplog.records)
    assert client.get(path).status_code == 200


@pytest.mark.redis
def test_redis_queue_delivers_through_real_redis(make_app, mailbox):
    import redis

    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    app = make_app(QUEUE_BACKEND="redis", REDIS_URL=TEST_REDIS_URL)
    client = app.test_client()
    with app.app_context():
        petition = make_petition()
        sign(client, petition.slug, email="redis@example.org")
        assert app.extensions["campaign_queue"].huey.pending_count() == 1
        assert any(b"campaign" in key for key in connection.scan_iter())
        run_queue(app)
    assert len(mailbox.to("redis@example.org")) == 1
    connection.flushdb()


def test_queue_outage_keeps_the_signature_and_the_sweep_sends_the_mail(make_app, mailbox):
    """Redis down while signing: the signer sees no error; the worker's sweep mails later."""
    from campaign_app.petitions.jobs import send_unsent_signature_mail

    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    broken = make_app(QUEUE_BACKEND="redis", REDIS_URL=dead_redis)
    with broken.app_context():
        slug = make_petition().slug
        db.session.commit()  # the requests below run in app contexts of their own
    response = sign(broken.test_client(), slug, email="sweep@example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/check-email")

    working = make_app()
    with working.app_context():
        state, sent_at = db.session.execute(
            select(Signature.state, Signature.confirmation_sent_at)
        ).one()
        assert (state, sent_at) == (SignatureState.PENDING, None)
        assert send_unsent_signature_mail() == 1
        assert send_unsent_signature_mail() == 0  # claimed once, sent once
    [message] = mailbox.to("sweep@example.org")
    assert working.test_client().get(confirmation_path(message)).status_code == 200


def test_the_worker_runs_the_mail_sweep_every_minute(app):
    from datetime import datetime

    huey = app.extensions["campaign_queue"].huey
    for minute in (0, 17, 59):  # due at any minute of the hour
        due = [task.name for task in huey.read_periodic(datetime(2026, 1, 1, 12, minute))]
        assert any("send_unsent_signature_mail" in name for name in due), due
