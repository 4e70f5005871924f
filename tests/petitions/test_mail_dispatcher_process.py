"""A real `flask queue dispatch` process killed with SIGKILL mid-drain loses no e-mail."""

from __future__ import annotations

import subprocess
import time

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from campaign_app.extensions import db
from campaign_app.petitions.models import Signature
from tests.factories import make_petition
from tests.support.dispatchers import (
    dispatcher_env,
    drain_with_a_dispatcher_killed,
    start_dispatcher,
)
from tests.support.mail import SlowMailbox, free_port
from tests.support.petitions import sign


@pytest.mark.commits
def test_a_dispatcher_killed_mid_drain_loses_no_mail(app, client, database_url, tmp_path):
    petition = make_petition()
    db.session.commit()
    emails = [f"killed-{number}@example.org" for number in range(60)]
    for email in emails:
        assert sign(client, petition.slug, email=email).status_code == 302

    messages = drain_with_a_dispatcher_killed(app, database_url, tmp_path, len(emails))

    received = [str(message["To"]) for message in messages]
    assert set(received) == set(emails)  # every signer got their e-mail
    assert len(received) - len(set(received)) <= 1  # at most the one in flight at the kill
    db.session.rollback()
    still_due = db.session.scalar(select(func.count()).where(Signature.mail_due_at.is_not(None)))
    assert still_due == 0


@pytest.mark.commits
def test_dispatcher_processes_side_by_side_send_each_mail_exactly_once(
    app, client, database_url, tmp_path
):
    """Three `flask queue dispatch` processes (one per core, as the README's deployment
    runs them) draining one outbox: every e-mail once, and more than one process sent."""
    petition = make_petition()
    db.session.commit()
    mailbox = SlowMailbox(0.005)
    server = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    server.start()
    env = dispatcher_env(
        database_url,
        tmp_path,
        server.port,
        CAMPAIGN_MAIL_BATCH="3",  # many small claims, so the processes interleave
        CAMPAIGN_MAIL_IDLE_SECONDS="0.05",
        CAMPAIGN_LOG_LEVEL="INFO",  # each process logs the signatures it had accepted
    )
    dispatchers = [
        start_dispatcher(env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    emails = [f"process-{number}@example.org" for number in range(90)]
    try:
        for dispatcher in dispatchers:  # all three ready before there is anything to send
            assert dispatcher.stdout is not None
            assert "Mail dispatcher on smtp" in dispatcher.stdout.readline()
        for email in emails:
            assert sign(client, petition.slug, email=email).status_code == 302
        deadline = time.monotonic() + 90
        while len(mailbox.messages) < len(emails) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # a duplicate, if any, would arrive now
    finally:
        for dispatcher in dispatchers:
            dispatcher.terminate()
        logs = [dispatcher.communicate(timeout=30)[1] for dispatcher in dispatchers]
        server.stop()

    received = sorted(str(message["To"]) for message in mailbox.messages)
    assert received == sorted(emails)  # each e-mail exactly once
    accepted = [log.count("accepted by the server") for log in logs]
    assert sum(accepted) == len(emails), logs
    assert sum(1 for count in accepted if count) >= 2, accepted  # they really shared the work
    db.session.rollback()
    still_due = db.session.scalar(select(func.count()).where(Signature.mail_due_at.is_not(None)))
    assert still_due == 0
