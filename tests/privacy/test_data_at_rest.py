"""Signers' names, e-mails and cities are encrypted at rest: a dump of the database (pg_dump, or
the SQLite file's bytes) holds none of them, while signing, duplicates, mails, moderation,
exports and erasure go on working from the keyed hashes and the decrypted values.

These tests commit for real and read the database from outside, so each one has a database of
its own (tests/support/scratch_database.py), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select

from campaign_app.accounts.models import Role, User
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.moderation.criteria import Criteria
from campaign_app.moderation.service import invalidating, searching
from campaign_app.moderation.service.reporting import busiest
from campaign_app.petitions.models import Petition, Signature, SignatureState
from campaign_app.privacy.models import ErasureRequest
from campaign_app.privacy.service import erasing, self_service
from tests.factories import make_petition, make_user
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.scratch_database import (
    KINDS,
    dispose,
    dump,
    migrate,
    scratch_app,
    scratch_database,
)

# Each test migrates and writes a database of its own, for real (commits).
pytestmark = pytest.mark.commits

# What the signers typed: none of it may appear in a dump.
ZINAIDA = {
    "first_name": "Zinaida",
    "last_name": "Kavalenkova",
    "email": "Zinaida.Kavalenkova+petition@Zinaida-Home.example",
    "city": "Babruisk-Riverside",
    "country": "BY",
}
ALENA = {
    "first_name": "Алена",
    "last_name": "Пятроўская",
    "email": "alena.piatrouskaja@gmail.com",
    "city": "Магілёў",
    "country": "BY",
}
# The normalised forms, the domain and the local parts must not appear either.
SECRETS = [
    "Zinaida",
    "Kavalenkova",
    "zinaida.kavalenkova",
    "zinaida-home.example",
    "Babruisk-Riverside",
    "Алена",
    "Пятроўская",
    "alena.piatrouskaja",
    "alenapiatrouskaja",
    "Магілёў",
]
TITLE = "Free the defenders of Babruisk colony"


@pytest.fixture(params=KINDS)
def own_app(request, tmp_path, monkeypatch, smtp_server) -> Iterator[Flask]:
    """An app on a new, migrated database of this test's own; mail to the test SMTP server."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))
    with scratch_database(request.param, tmp_path) as url:
        app = scratch_app(url, MAIL_TRANSPORT="smtp", MAIL_SMTP_PORT=smtp_server.port)
        migrate(app)
        try:
            yield app
        finally:
            dispose(app)


def assert_no_secrets(dump: bytes) -> None:
    folded = dump.decode("utf-8", errors="replace").casefold()
    assert [secret for secret in SECRETS if secret.casefold() in folded] == []


def plain_text(message) -> str:
    return message.get_body(("plain",)).get_content()


def sign_and_confirm(app: Flask, mailbox, slug: str, person: dict[str, str]) -> None:
    client = app.test_client()
    assert sign(client, slug, **person).status_code == 302
    run_queue(app)
    [message] = [m for m in mailbox.messages if person["first_name"] in plain_text(m)]
    mailbox.messages.remove(message)
    assert client.get(confirmation_path(message)).status_code == 200


def test_a_dump_of_a_petition_with_signers_holds_no_name_or_address(own_app, mailbox, tmp_path):
    app = own_app
    with app.app_context():
        make_petition(title=TITLE, slug="babruisk")
        organiser_id = make_user(Role.ADMIN).id
        db.session.commit()  # factories only flush
    sign_and_confirm(app, mailbox, "babruisk", ZINAIDA)
    sign_and_confirm(app, mailbox, "babruisk", ALENA)
    # A moderation batch by name (queued, not run) and a signer's erasure request are kept too.
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        criteria = Criteria(name="kavalenk", country="BY")
        assert invalidating.preview(petition, criteria) == 1
        batch = invalidating.start_invalidation(
            petition, criteria, "test", 1, db.session.get(User, organiser_id)
        )
        assert "kavalenk" not in str(batch.criteria).casefold()
        self_service.request_erasure("Alena.Piatrouskaja@googlemail.com")
        assert db.session.scalar(select(func.count()).select_from(ErasureRequest)) == 1

    stolen = dump(app)
    assert TITLE.encode() in stolen  # the dump is real and holds the petition's rows
    assert_no_secrets(stolen)


def test_the_app_reads_what_it_encrypted(own_app, mailbox, tmp_path):
    """Mails, duplicates, moderation by address, domain and name, reports, exports and
    erasure, all on rows stored encrypted."""
    app = own_app
    with app.app_context():
        make_petition(title=TITLE, slug="babruisk")
        db.session.commit()  # factories only flush
    sign_and_confirm(app, mailbox, "babruisk", ZINAIDA)
    sign_and_confirm(app, mailbox, "babruisk", ALENA)

    # The same mailbox spelt differently is a duplicate: no new row, an "already signed" mail.
    client = app.test_client()
    again = dict(ZINAIDA, email=" zinaida.kavalenkova@ZINAIDA-HOME.example", first_name="Z")
    assert sign(client, "babruisk", **again).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 2
        db.session.execute(sa.update(Signature).values(confirmation_sent_at=None))
        db.session.commit()
    assert sign(client, "babruisk", **again).status_code == 302
    run_queue(app)
    [already] = mailbox.messages
    assert already["To"] == "Zinaida.Kavalenkova+petition@zinaida-home.example"
    assert "Hello Zinaida," in plain_text(already)

    with app.app_context():
        petition = db.session.scalar(select(Petition))

        def names(**conditions: str) -> set[str]:
            page = searching.search(petition, Criteria(**conditions))
            return {row.name for row in page.rows}

        both = {"Zinaida Kavalenkova", "Алена Пятроўская"}
        assert names(email="zinaidakavalenkova@zinaida-home.example") == set()  # not normalised
        assert names(email="zinaida.kavalenkova@zinaida-home.example") == {"Zinaida Kavalenkova"}
        assert names(email="alenapiatrouskaja@gmail.com") == {"Алена Пятроўская"}
        assert names(domain="gmail.com") == {"Алена Пятроўская"}
        assert names(domain="zinaida-home.example") == {"Zinaida Kavalenkova"}
        assert names(name="ПЯТРОЎ") == {"Алена Пятроўская"}
        assert names(name="NKOVA") == {"Zinaida Kavalenkova"}
        assert names(country="BY") == both
        [row] = searching.search(petition, Criteria(domain="gmail.com")).rows
        assert row.email == "alena.piatrouskaja@gmail.com"
        report = busiest(petition, hours=1)
        assert sorted((b.value, b.count) for b in report.domains) == [
            ("gmail.com", 1),
            ("zinaida-home.example", 1),
        ]

    runner = app.test_cli_runner()
    output = tmp_path / "list.csv"
    result = runner.invoke(args=["petitions", "export", "babruisk", "--output", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [row[1:4] for row in rows[1:]] == [
        ["Zinaida Kavalenkova", "Babruisk-Riverside", "BY"],
        ["Алена Пятроўская", "Магілёў", "BY"],
    ]

    with app.app_context():
        # Erasure by address, through the keyed hash, spelt as the signer likes.
        [match] = erasing.find_signer("alena.piatrouskaja+x@googlemail.com")
        result = erasing.erase_signer("Alena.Piatrouskaja@gmail.com", via="cli")
        assert (result.petitions, result.signatures) == (1, 1)
        erased = db.session.get(Signature, match.signature_ids[0])
        assert (erased.first_name, erased.last_name, erased.email, erased.city) == ("", "", "", "")
        assert erased.email_hash == f"erased:{erased.id}"
        assert erased.state is SignatureState.CONFIRMED  # still counted
        stored = db.session.execute(
            sa.text(
                "SELECT first_name, last_name, email, city, email_domain_hash"
                " FROM signature WHERE id = :id"
            ),
            {"id": erased.id},
        ).one()
        assert tuple(stored) == (None, None, None, None, None)  # blanked, not re-encrypted
        assert erasing.find_signer("alena.piatrouskaja@gmail.com") == []


def test_stored_values_are_ciphertext_bound_to_their_column(own_app):
    with own_app.app_context():
        petition = make_petition()
        signature = Signature(
            petition_id=petition.id,
            first_name="Olga",
            last_name="Sharko",
            email="olga@example.org",
            email_hash="h",
            country="LT",
            city="",
            created_at=utcnow(),
        )
        db.session.add(signature)
        db.session.commit()
        raw = db.session.execute(
            sa.text("SELECT first_name, last_name, email, city FROM signature")
        ).one()
        first, last, email, city = (bytes(value) if value else value for value in raw)
        assert b"Olga" not in first and b"Sharko" not in last and b"olga" not in email
        assert city is None  # no city: nothing stored
        # Padded to 16 bytes: "Olga" and "Sharko" are stored at the same length.
        assert len(first) == len(last)
        # A value copied into another column does not decrypt there.
        db.session.execute(
            sa.text("UPDATE signature SET last_name = first_name"),
        )
        db.session.commit()
        db.session.expire_all()
        with pytest.raises(RuntimeError, match="altered or is damaged"):
            db.session.get(Signature, signature.id).last_name  # noqa: B018
