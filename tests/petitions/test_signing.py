"""Signing, confirming by e-mail, and counting: the supporter's journey."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.blind_index import email_hash
from campaign_app.petitions.models import Signature, SignatureState
from tests.factories import make_petition
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.web import text_of


def signature_rows(petition_id: int) -> list[tuple[str, str, SignatureState]]:
    """(first name, blind index of the normalised address, state) of each row."""
    rows = db.session.execute(
        select(Signature.first_name, Signature.email_hash, Signature.state).where(
            Signature.petition_id == petition_id
        )
    )
    return [(first, address, state) for first, address, state in rows]


def last_mail_sent_minutes_ago(minutes: int) -> None:
    """Pretend the last confirmation e-mails went out ``minutes`` ago."""
    db.session.execute(
        update(Signature).values(confirmation_sent_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


def test_sign_confirm_and_count(app, client, mailbox):
    petition = make_petition(title="Free Ales Bialiatski")

    response = sign(client, petition.slug, first_name="Алесь", email="ales.friend@example.org")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Check your e-mail" in text_of(page)
    assert "spam" in text_of(page)

    # Nothing counts and nothing is sent inside the request: the mail waits in the queue.
    assert signature_rows(petition.id) == [
        ("Алесь", email_hash("ales.friend@example.org"), SignatureState.PENDING)
    ]
    assert mailbox.messages == []
    assert "0 confirmed signatures" in text_of(client.get(f"/petitions/{petition.slug}"))

    assert run_queue(app) == 1
    [message] = mailbox.to("ales.friend@example.org")
    assert message["Subject"] == "Please confirm your signature: Free Ales Bialiatski"
    assert "Здравствуйте" not in message.get_body(("plain",)).get_content()
    assert "Hello Алесь," in message.get_body(("plain",)).get_content()

    confirmed = client.get(confirmation_path(message))
    assert confirmed.status_code == 200
    assert "your signature is confirmed" in text_of(confirmed)
    assert signature_rows(petition.id)[0][2] is SignatureState.CONFIRMED

    page = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "1 confirmed signature" in page
    assert "Алесь, Netherlands" in page  # first name + country, as chosen
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 1


def test_confirming_twice_counts_once(app, client, mailbox):
    """Mail scanners open links before people do: the second click changes nothing."""
    petition = make_petition()
    sign(client, petition.slug, email="twice@example.org")
    run_queue(app)
    link = confirmation_path(mailbox.to("twice@example.org")[0])

    assert client.get(link).status_code == 200
    again = client.get(link)
    assert again.status_code == 200
    assert "already confirmed" in text_of(again)
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 1


def test_same_mailbox_signs_once_and_page_reveals_nothing(app, client, mailbox):
    petition = make_petition()
    first = sign(client, petition.slug, email="name.surname@gmail.com")
    run_queue(app)
    client.get(confirmation_path(mailbox.messages[0]))

    again = sign(client, petition.slug, email="  Name.Surname+x@GMAIL.com ", first_name="Other")
    fresh = sign(client, petition.slug, email="someone.new@example.org")

    # Same redirect, same page, whether or not the address had signed.
    assert again.status_code == fresh.status_code == first.status_code == 302
    assert again.headers["Location"] == fresh.headers["Location"]
    assert text_of(client.get(again.headers["Location"])) == text_of(
        client.get(fresh.headers["Location"])
    )
    rows = signature_rows(petition.id)
    assert sorted(address for _, address, _ in rows) == sorted(
        email_hash(normalized)
        for normalized in ("namesurname@gmail.com", "someone.new@example.org")
    )
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 1

    # The mailbox owner (only) learns that they had already signed, once the resend
    # interval has passed (inside it, nothing at all is sent).
    run_queue(app)
    assert len(mailbox.to("name.surname@gmail.com")) == 1
    last_mail_sent_minutes_ago(11)
    sign(client, petition.slug, email="NAME.SURNAME@gmail.com")
    run_queue(app)
    [notice] = mailbox.to("name.surname@gmail.com")[1:]
    assert notice["Subject"].startswith("You have already signed")


def test_resend_at_most_once_per_ten_minutes(app, client, mailbox):
    petition = make_petition()
    for _ in range(3):
        sign(client, petition.slug, email="patient@example.org")
    run_queue(app)
    assert len(mailbox.to("patient@example.org")) == 1

    # Eleven minutes later, signing again re-sends the link once.
    last_mail_sent_minutes_ago(11)
    sign(client, petition.slug, email="Patient@Example.org")
    sign(client, petition.slug, email="patient@example.org")
    run_queue(app)
    messages = mailbox.to("patient@example.org")
    assert len(messages) == 2
    assert confirmation_path(messages[1]).startswith(f"/petitions/{petition.slug}/confirm/")
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1


def test_unconfirmed_signatures_do_not_count(app, client, mailbox):
    petition = make_petition()
    for n in range(3):
        sign(client, petition.slug, email=f"pending{n}@example.org")
    run_queue(app)
    assert len(mailbox.messages) == 3
    assert client.get(f"/api/v1/petitions/{petition.slug}").json["signature_count"] == 0


def test_anonymous_signer_is_counted_but_not_listed(app, client, mailbox):
    petition = make_petition()
    sign(
        client, petition.slug, first_name="Hidden", email="hidden@example.org", display="anonymous"
    )
    run_queue(app)
    client.get(confirmation_path(mailbox.messages[0]))
    page = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "1 confirmed signature" in page
    assert "Hidden" not in page
