"""Signers' e-mail through the outbox: due in the signing transaction, sent by dispatchers
that claim it with a lease, over one reused SMTP connection, marked only once accepted."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from campaign_app.db import utcnow, without_waiting_for_disk
from campaign_app.extensions import db
from campaign_app.petitions.models import PetitionTranslation, Signature, SignatureState
from tests.factories import make_petition
from tests.support.dispatchers import drain_side_by_side
from tests.support.mail import Mailbox, SlowMailbox, free_port
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue


def _outbox(app):
    return app.extensions["campaign_outbox"]


def _mail_columns():
    return db.session.execute(
        select(
            Signature.mail_due_at,
            Signature.mail_lease_until,
            Signature.mail_attempts,
            Signature.mail_sent_at,
        )
    ).one()


def _make_due_now() -> None:
    """Time passes: every e-mail waiting for a retry is due again."""
    db.session.execute(
        update(Signature)
        .where(Signature.mail_due_at.is_not(None))
        .values(mail_due_at=utcnow() - timedelta(seconds=1))
    )


def test_signing_records_the_mail_as_due_and_touches_no_queue(app, client, mailbox):
    petition = make_petition()
    response = sign(client, petition.slug, email="due@example.org")
    assert response.status_code == 302

    assert app.extensions["campaign_queue"].huey.pending_count() == 0
    due_at, lease, attempts, sent_at = _mail_columns()
    assert due_at is not None and lease is None and attempts == 0 and sent_at is None

    result = _outbox(app).drain()
    assert (result.claimed, result.sent) == (1, 1)
    [message] = mailbox.to("due@example.org")
    due_at, lease, attempts, sent_at = _mail_columns()
    assert due_at is None and lease is None and sent_at is not None
    assert _outbox(app).drain().claimed == 0  # sent once
    assert client.get(confirmation_path(message)).status_code == 200


def test_smtp_outage_postpones_the_mail_and_loses_nothing(app, client):
    port = free_port()  # nothing listens here yet: the SMTP server is "down"
    app.config.update(MAIL_SMTP_PORT=port, MAIL_SMTP_TIMEOUT=2, QUEUE_RETRY_DELAY=30)
    petition = make_petition()
    assert sign(client, petition.slug, email="outage@example.org").status_code == 302

    result = _outbox(app).drain()
    assert result.transport_failed and result.postponed == 1 and result.sent == 0
    due_at, lease, attempts, _sent = _mail_columns()
    assert due_at > utcnow() and lease is None and attempts == 1  # back off, then retry
    assert _outbox(app).drain().claimed == 0  # not yet due again
    assert db.session.scalar(select(Signature.state)) is SignatureState.PENDING

    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        _make_due_now()
        assert _outbox(app).drain().sent == 1
    finally:
        server.stop()
    [message] = mailbox.to("outage@example.org")
    assert client.get(confirmation_path(message)).status_code == 200
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 1


def test_mail_that_keeps_failing_is_given_up_after_the_retries(app, client):
    app.config.update(MAIL_SMTP_PORT=free_port(), MAIL_SMTP_TIMEOUT=2, QUEUE_RETRIES=2)
    sign(client, make_petition().slug, email="never@example.org")
    for _ in range(3):
        _make_due_now()
        assert _outbox(app).drain().postponed == 1
    due_at, _lease, attempts, sent_at = _mail_columns()
    assert due_at is None and sent_at is None and attempts == 3  # given up, not marked sent


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


def test_queue_outage_changes_nothing_for_signing_or_its_mail(make_app, mailbox):
    """Redis down: signing never asks the queue, and the dispatcher needs only the database."""
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    broken = make_app(QUEUE_BACKEND="redis", REDIS_URL=dead_redis, RATELIMIT_ENABLED=False)
    with broken.app_context():
        slug = make_petition().slug
        db.session.commit()  # the requests below run in app contexts of their own
    response = sign(broken.test_client(), slug, email="sweep@example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/check-email")

    assert _outbox(broken).drain().sent == 1
    [message] = mailbox.to("sweep@example.org")
    assert broken.test_client().get(confirmation_path(message)).status_code == 200


def test_the_confirmation_mail_in_russian_is_rendered_once_and_filled_in(app, client, mailbox):
    app.config["MAIL_SENDER"] = "Кампанія Свабоду Алесю <campaign@example.org>"
    petition = make_petition(title="Free Ales Bialiatski")
    petition.translations.append(
        PetitionTranslation(locale="ru", title="Свободу Алесю Беляцкому", summary="", body="")
    )
    db.session.flush()
    client.get(f"/petitions/{petition.slug}?lang=ru")
    for first_name, email in (("Алесь О'Нил", "ales@example.org"), ("Зміцер", "zm@example.org")):
        response = sign(client, petition.slug, first_name=first_name, email=email)
        assert response.status_code == 302, response.get_data(as_text=True)
    assert _outbox(app).drain().sent == 2

    [message] = mailbox.to("ales@example.org")
    assert message["Subject"] == "Пожалуйста, подтвердите свою подпись: Свободу Алесю Беляцкому"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["From"].addresses[0].display_name == "Кампанія Свабоду Алесю"
    # On the wire the headers are ASCII (RFC 2047 words); the 8-bit parts carry the UTF-8.
    raw_headers = mailbox.raw[0].split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii() and b"=?utf-8?" in raw_headers
    assert message["Message-ID"] and message["Date"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.startswith("Здравствуйте, Алесь О'Нил!")
    assert "Алесь О&#39;Нил" in html  # escaped in HTML, as typed in the text part
    path = confirmation_path(message)
    assert f'href="http://campaign.test{path}"' in html
    [other] = mailbox.to("zm@example.org")
    assert (
        other.get_body(preferencelist=("plain",)).get_content().startswith("Здравствуйте, Зміцер!")
    )
    assert confirmation_path(other) != path  # each signer's own link
    assert client.get(path).status_code == 200


def test_one_smtp_connection_carries_a_whole_batch(app, client, mailbox):
    petition = make_petition()
    for number in range(12):
        sign(client, petition.slug, email=f"batch-{number}@example.org")
    assert _outbox(app).drain().sent == 12
    assert len(mailbox.messages) == 12
    assert mailbox.connections == 1


class _HangsUpAfterEachMessage(Mailbox):
    """Accepts a message, then closes the connection (an idle timeout, a per-connection limit)."""

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        asyncio.get_running_loop().call_soon(server.transport.close)
        return answer


def test_a_dropped_connection_is_opened_again_and_nothing_is_lost(app, client):
    port = free_port()
    mailbox = _HangsUpAfterEachMessage()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    app.config["MAIL_SMTP_PORT"] = port
    try:
        petition = make_petition()
        for number in range(4):
            sign(client, petition.slug, email=f"drop-{number}@example.org")
        assert _outbox(app).drain().sent == 4
    finally:
        server.stop()
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        f"drop-{n}@example.org" for n in range(4)
    ]
    assert mailbox.connections == 4


class _RefusesEveryone(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"


def test_a_refused_address_is_recorded_and_not_tried_again(app, client):
    port = free_port()
    server = Controller(_RefusesEveryone(), hostname="127.0.0.1", port=port)
    server.start()
    app.config["MAIL_SMTP_PORT"] = port
    try:
        sign(client, make_petition().slug, email="nobody@example.org")
        result = _outbox(app).drain()
    finally:
        server.stop()
    assert (result.refused, result.sent, result.transport_failed) == (1, 0, False)
    refused_at, due_at, state = db.session.execute(
        select(Signature.mail_refused_at, Signature.mail_due_at, Signature.state)
    ).one()
    assert refused_at is not None and due_at is None and state is SignatureState.PENDING


def test_a_dispatcher_that_dies_holds_its_mail_only_until_its_lease_ends(app, client, mailbox):
    sign(client, make_petition().slug, email="lease@example.org")
    source = _outbox(app).sources[0]
    now = utcnow()
    with app.app_context():
        # A dispatcher claims the e-mail and is killed before sending it.
        source.claim(now, now + timedelta(minutes=2), 10)
    assert _outbox(app).drain().claimed == 0  # held by the lease
    assert mailbox.messages == []

    db.session.execute(
        update(Signature).values(mail_lease_until=utcnow() - timedelta(seconds=1))
    )  # the lease runs out
    assert _outbox(app).drain().sent == 1
    assert len(mailbox.to("lease@example.org")) == 1


def test_signing_again_while_the_mail_is_being_sent_keeps_the_new_request(app, client):
    sign(client, make_petition().slug, email="twice@example.org")
    source = _outbox(app).sources[0]
    now = utcnow()
    with app.app_context():
        [item] = source.claim(now, now + timedelta(minutes=2), 10)
    later = utcnow() + timedelta(seconds=5)
    db.session.execute(update(Signature).values(mail_due_at=later))  # asked for it again
    with app.app_context():
        source.mark_sent(item, utcnow())
    due_at, _lease, _attempts, _sent = _mail_columns()
    assert due_at == later  # the second request is still to be sent


def test_a_withdrawn_signature_gets_no_mail(app, client, mailbox):
    sign(client, make_petition().slug, email="withdrawn@example.org")
    db.session.execute(update(Signature).values(state=SignatureState.INVALIDATED))
    result = _outbox(app).drain()
    assert (result.claimed, result.sent) == (1, 0)
    assert mailbox.messages == []
    due_at, _lease, _attempts, sent_at = _mail_columns()
    assert due_at is None and sent_at is None  # no longer due, and not counted as sent


@pytest.mark.commits
def test_a_slow_server_never_outlasts_the_lease(app, client):
    """Past half the lease a dispatcher gives the rest of its batch back, so a second
    dispatcher never takes an e-mail the first is still sending."""
    port = free_port()
    mailbox = SlowMailbox(0.2)  # 12 e-mails take 2.4 s: longer than the lease
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    app.config.update(MAIL_SMTP_PORT=port, MAIL_LEASE_SECONDS=2.0, MAIL_BATCH=20)
    petition = make_petition()
    db.session.commit()
    emails = [f"slow-{number}@example.org" for number in range(12)]
    for email in emails:
        sign(client, petition.slug, email=email)
    results = []

    def dispatcher(wait: float) -> None:
        time.sleep(wait)
        results.append(_outbox(app).drain())

    # The second starts once the first's lease has run out, while it would still be sending.
    threads = [threading.Thread(target=dispatcher, args=(wait,)) for wait in (0, 2.2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        server.stop()
    assert sum(result.sent for result in results) == 12
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted(emails)  # none twice


def test_a_mail_job_queued_before_the_outbox_hands_over_to_it(app, client, mailbox):
    from campaign_app.petitions.jobs import send_signature_mail

    sign(client, make_petition().slug, email="upgrade@example.org")
    _outbox(app).drain()
    mailbox.messages.clear()
    signature_id = db.session.scalar(select(Signature.id))
    with app.app_context():
        send_signature_mail(signature_id)  # the old job, still in the queue at the upgrade
    assert _outbox(app).drain().sent == 1
    assert len(mailbox.to("upgrade@example.org")) == 1


def test_queue_status_and_dispatch_once_show_the_backlog(app, client, runner, mailbox):
    petition = make_petition()
    for number in range(3):
        sign(client, petition.slug, email=f"status-{number}@example.org")
    status = runner.invoke(args=["queue", "status"])
    assert "Confirmation e-mails to signers: 3 waiting, 0 being sent" in status.output

    dispatched = runner.invoke(args=["queue", "dispatch", "--once"])
    assert dispatched.exit_code == 0, dispatched.output
    assert "Sent 3 e-mail(s)." in dispatched.output
    assert len(mailbox.messages) == 3
    status = runner.invoke(args=["queue", "status"])
    assert (
        "Confirmation e-mails to signers: 0 waiting, 0 being sent; 3 sent in the last hour"
        in status.output
    )


@pytest.mark.commits
def test_dispatchers_side_by_side_send_each_mail_exactly_once(app, client, mailbox):
    petition = make_petition()
    db.session.commit()
    emails = [f"side-{number}@example.org" for number in range(40)]
    for email in emails:
        sign(client, petition.slug, email=email)
    app.config["MAIL_BATCH"] = 5  # many small claims, so the dispatchers interleave
    results = drain_side_by_side(app)
    assert sum(result.sent for result in results) == 40
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted(emails)


@pytest.mark.commits
def test_on_postgresql_each_mark_commits_at_once_and_its_setting_ends_with_it(
    app, client, database_url
):
    """A batch's marks share one connection in autocommit: each is committed as soon as it
    is made (another connection sees it while the batch goes on), it does not wait for the
    disk, and that setting lasts for the mark alone, not the connection."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite marks commit in a transaction each, on the session's connection")
    petition = make_petition()
    db.session.commit()
    for email in ("first@example.org", "second@example.org"):
        sign(client, petition.slug, email=email)
    source = _outbox(app).sources[0]
    now = utcnow()
    first, second = source.claim(now, now + timedelta(minutes=2), 10)
    sent = select(func.count()).where(Signature.mail_sent_at.is_not(None))
    with source.marking():
        source.mark_sent(first, utcnow())
        with db.engine.connect() as other:
            assert other.scalar(sent) == 1  # committed, though the batch is not done
        held = db.session.connection()
        assert held.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
        setting = held.execute(
            without_waiting_for_disk(
                update(Signature)
                .where(Signature.id == second.key)
                .values(mail_attempts=Signature.mail_attempts)
                .returning(func.current_setting("synchronous_commit"))
            )
        ).scalar()
        assert setting == "off"  # made before the row was written
        assert held.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
        source.mark_sent(second, utcnow())
    assert db.session.scalar(sent) == 2
