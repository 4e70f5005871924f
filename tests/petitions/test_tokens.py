"""Confirmation links: tampered, expired, withdrawn, and the "send me a new link" path."""

from __future__ import annotations

import time

from sqlalchemy import select, update

from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_petition
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.web import CSRF, text_of


def _signed_link(app, client, mailbox, petition, email="link@example.org") -> str:
    sign(client, petition.slug, email=email)
    run_queue(app)
    return confirmation_path(mailbox.to(email)[-1])


def test_tampered_link_says_so_and_offers_a_way_back(app, client, mailbox):
    petition = make_petition()
    link = _signed_link(app, client, mailbox, petition)
    response = client.get(link[:-3] + "abc")
    assert response.status_code == 404
    page = text_of(response)
    assert "This confirmation link does not work" in page
    assert "sign again with the same e-mail address" in page
    assert db.session.scalar(select(Signature.state)) is SignatureState.PENDING


def test_link_of_another_petition_is_refused(app, client, mailbox):
    first, second = make_petition(), make_petition()
    link = _signed_link(app, client, mailbox, first)
    response = client.get(link.replace(first.slug, second.slug))
    assert response.status_code == 404
    assert "does not work" in text_of(response)


def test_expired_link_offers_a_new_one(app, client, mailbox):
    petition = make_petition()
    link = _signed_link(app, client, mailbox, petition, email="late@example.org")

    normal = {key: app.config[key] for key in ("CONFIRM_TOKEN_MAX_AGE", "CONFIRM_RESEND_INTERVAL")}
    app.config.update(CONFIRM_TOKEN_MAX_AGE=0, CONFIRM_RESEND_INTERVAL=0)
    late_client = app.test_client()
    time.sleep(1.1)
    response = late_client.get(link)
    assert response.status_code == 410
    assert "This confirmation link has expired" in text_of(response)
    assert db.session.scalar(select(Signature.state)) is SignatureState.PENDING

    token = CSRF.search(response.get_data(as_text=True)).group(1)
    resend = late_client.post(
        f"/petitions/{petition.slug}/resend",
        data={"csrf_token": token, "token": link.rsplit("/", 1)[1]},
    )
    assert resend.status_code == 302
    assert resend.headers["Location"].endswith(f"/petitions/{petition.slug}/check-email")
    run_queue(app)
    assert len(mailbox.to("late@example.org")) == 2

    # The new link works (with the normal settings, where links live for days).
    app.config.update(normal)
    assert client.get(confirmation_path(mailbox.to("late@example.org")[-1])).status_code == 200
    assert db.session.scalar(select(Signature.state)) is SignatureState.CONFIRMED


def test_withdrawn_signature_cannot_be_confirmed(app, client, mailbox):
    petition = make_petition()
    link = _signed_link(app, client, mailbox, petition)
    db.session.execute(update(Signature).values(state=SignatureState.INVALIDATED))
    db.session.commit()
    assert client.get(link).status_code == 404
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 0


def test_confirming_after_the_petition_closed_is_explained(app, client, mailbox):
    from campaign_app.petitions.models import PetitionState

    petition = make_petition()
    link = _signed_link(app, client, mailbox, petition)
    petition.state = PetitionState.CLOSED
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 409
    assert "closed before you confirmed" in text_of(response)
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 0
