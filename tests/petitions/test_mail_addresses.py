"""International addresses and permanent refusals on the mail path, with real SMTP servers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_petition
from tests.support.mail import Mailbox, free_port
from tests.support.petitions import sign
from tests.support.queue import run_queue
from tests.support.web import text_of

LATIN_ONLY = "Our mail server can only deliver to addresses with Latin letters before the @."


class Recipients(Mailbox):
    """A mailbox that also keeps the envelope recipients (what RCPT TO said)."""

    def __init__(self) -> None:
        super().__init__()
        self.envelope_to: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelope_to.extend(envelope.rcpt_tos)
        return await super().handle_DATA(server, session, envelope)


class Refusing(Mailbox):
    """An SMTP server that refuses every recipient for good."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return "550 5.1.1 No such user here"


@contextmanager
def running(handler: Mailbox, **options: Any) -> Iterator[Controller]:
    """A real SMTP server on loopback with ``handler``, for the block's duration."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.mark.parametrize("address", ["анна@пример.рф", "josé@example.org"])
def test_a_non_latin_local_part_is_refused_at_the_form(client, address):
    petition = make_petition()
    response = sign(client, petition.slug, email=address)
    assert response.status_code == 400
    assert LATIN_ONLY in text_of(response)
    assert db.session.scalar(select(Signature.id)) is None


def test_an_international_domain_is_sent_in_its_ascii_form(make_app):
    handler = Recipients()
    with running(handler) as server:
        app = make_app(MAIL_SMTP_PORT=server.port)
        with app.app_context():
            petition = make_petition()
            response = sign(app.test_client(), petition.slug, email="anna@пример.рф")
            assert response.status_code == 302
            run_queue(app)
    assert handler.envelope_to == ["anna@xn--e1afmkfd.xn--p1ai"]
    assert [m["To"] for m in handler.messages] == ["anna@xn--e1afmkfd.xn--p1ai"]


def test_with_smtputf8_a_non_latin_local_part_is_accepted_and_sent(make_app):
    handler = Recipients()
    with running(handler, enable_SMTPUTF8=True) as server:
        app = make_app(MAIL_SMTP_PORT=server.port, MAIL_SMTPUTF8=True)
        with app.app_context():
            petition = make_petition()
            response = sign(app.test_client(), petition.slug, email="анна@пример.рф")
            assert response.status_code == 302
            run_queue(app)
    assert handler.envelope_to == ["анна@xn--e1afmkfd.xn--p1ai"]


def test_a_permanent_refusal_is_recorded_and_not_retried(make_app):
    handler = Refusing()
    with running(handler) as server:
        app = make_app(MAIL_SMTP_PORT=server.port)
        with app.app_context():
            petition = make_petition()
            sign(app.test_client(), petition.slug, email="nobody@example.org")
            run_queue(app)
            queue = app.extensions["campaign_queue"].huey
            assert queue.pending_count() + queue.scheduled_count() == 0  # no retry planned
            state, refused_at = db.session.execute(
                select(Signature.state, Signature.mail_refused_at)
            ).one()
    assert state is SignatureState.PENDING
    assert refused_at is not None
    assert handler.messages == []
