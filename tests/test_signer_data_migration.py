"""Migration 0007 on an installation with signers: every row encrypted in batches, the address
replaced by its keyed hashes, nothing readable left in the database, and the app works on the
upgraded rows; the downgrade gives the plain columns back. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade
from sqlalchemy import func, select

from campaign_app.db import Base
from campaign_app.extensions import db
from campaign_app.petitions.blind_index import domain_hash, email_hash
from campaign_app.petitions.models import Signature, SignatureState
from campaign_app.privacy.erasure import find_signatures
from campaign_app.privacy.models import ErasureRequest
from tests.support.petitions import sign
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

SIGNERS = 2_501  # three batches of the migration's 1,000
AT = datetime(2012, 9, 25, 10, 0, tzinfo=UTC)


def old_rows(petition_id: int) -> list[dict[str, object]]:
    """Signatures as revision 0006 stored them: names and addresses in the clear."""
    rows: list[dict[str, object]] = []
    for n in range(SIGNERS):
        email = f"Migrant.{n}@Old-Install.example"
        rows.append(
            {
                "petition_id": petition_id,
                "first_name": "Мігрант" if n % 2 else "Migrant",
                "last_name": f"Surname{n:05d}",
                "email": email,
                "email_normalized": email.lower(),
                "country": "BY",
                "city": "Hrodna-Old-Town" if n % 3 == 0 else "",
                "display": "first_name_country",
                "state": "confirmed",
                "locale": "en",
                "created_at": AT,
                "confirmed_at": AT,
            }
        )
    # An erased signer: blank names, the "erased:<id>" marker.
    rows[-1] |= {"first_name": "", "last_name": "", "email": "", "city": ""}
    return rows


def install_0006(app: Flask) -> None:
    """A database at revision 0006 with a campaign, a petition, signers and an erasure request."""
    migrate(app, "0006")
    with app.app_context():
        connection = db.session.connection()
        connection.execute(
            sa.text(
                "INSERT INTO campaign (id, slug, name, organisation, description, is_example,"
                " created_at, state) VALUES (1, 'old', 'Old campaign', '', '', false, :at, 'open')"
            ),
            {"at": AT},
        )
        connection.execute(
            sa.text(
                "INSERT INTO petition (id, campaign_id, slug, title, summary, body, target, goal,"
                " state, opens_at, created_at, updated_at, language) VALUES (1, 1, 'old-petition',"
                " 'Old petition', '', '', 'Target', 100, 'open', :at, :at, :at, 'en')"
            ),
            {"at": AT},
        )
        columns = ", ".join(old_rows(1)[0])
        values = ", ".join(f":{name}" for name in old_rows(1)[0])
        connection.execute(
            sa.text(f"INSERT INTO signature ({columns}) VALUES ({values})"), old_rows(1)
        )
        last = connection.scalar(sa.text("SELECT max(id) FROM signature"))
        connection.execute(
            sa.text("UPDATE signature SET email_normalized = :marker WHERE id = :id"),
            {"marker": f"erased:{last}", "id": last},
        )
        connection.execute(
            sa.text(
                "INSERT INTO erasure_request (token_hash, email_normalized, created_at, expires_at)"
                " VALUES (:token, 'migrant.7@old-install.example', :at, :at)"
            ),
            {"token": "f" * 64, "at": AT},
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_upgrade_encrypts_the_signers_of_an_existing_installation(
    kind, tmp_path, monkeypatch, smtp_server
):
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))
    with scratch_database(kind, tmp_path) as url:
        app = scratch_app(url, MAIL_TRANSPORT="smtp", MAIL_SMTP_PORT=smtp_server.port)
        install_0006(app)
        before = dump(app).decode("utf-8", errors="replace")
        assert "Surname00042" in before and "old-install.example" in before  # the control

        migrate(app)

        after = dump(app).decode("utf-8", errors="replace")
        assert "Old petition" in after
        leaks = ["Migrant", "Мігрант", "Surname0", "old-install", "Hrodna-Old-Town"]
        assert [word for word in leaks if word.casefold() in after.casefold()] == []

        with app.app_context():
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "render_as_batch": True}
                )
                assert compare_metadata(context, Base.metadata) == []
            rows = db.session.scalars(select(Signature).order_by(Signature.id)).all()
            assert len(rows) == SIGNERS
            for n in (0, 1, 1_000, 2_499):
                row = rows[n]
                assert (row.first_name, row.last_name, row.email, row.city) == (
                    "Мігрант" if n % 2 else "Migrant",
                    f"Surname{n:05d}",
                    f"Migrant.{n}@Old-Install.example",
                    "Hrodna-Old-Town" if n % 3 == 0 else "",
                )
                normalized = f"migrant.{n}@old-install.example"
                assert row.email_hash == email_hash(normalized)
                assert row.email_domain_hash == domain_hash("old-install.example")
                assert row.state is SignatureState.CONFIRMED
            erased = rows[-1]
            assert (erased.first_name, erased.email) == ("", "")
            assert erased.email_hash == f"erased:{erased.id}"
            assert erased.email_domain_hash is None
            # The pending erasure request now holds the address's hash and still finds it.
            request = db.session.scalar(select(ErasureRequest))
            assert request.email_hash == email_hash("migrant.7@old-install.example")
            [match] = find_signatures(request.email_hash)
            assert match.signature_ids == (rows[7].id,)
            db.session.remove()

        # Signing again with an upgraded address is still a duplicate.
        client = app.test_client()
        assert sign(client, "old-petition", email="MIGRANT.5+x@old-install.example").status_code
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Signature)) == SIGNERS
            db.session.remove()

        # Down again: the plain columns come back with the same values.
        with app.app_context():
            downgrade(revision="0008")
            db.session.remove()
            db.engine.dispose()
        with app.app_context():
            restored = db.session.execute(
                sa.text(
                    "SELECT first_name, last_name, email, email_normalized, city FROM signature"
                    " ORDER BY id"
                )
            ).all()
            assert len(restored) == SIGNERS
            assert tuple(restored[1]) == (
                "Мігрант",
                "Surname00001",
                "Migrant.1@Old-Install.example",
                "migrant.1@old-install.example",
                "",
            )
            assert restored[-1].email_normalized.startswith("erased:")
            db.session.remove()
            db.engine.dispose()
        migrate(app)
        with app.app_context():
            assert db.session.get(Signature, rows[3].id).city == "Hrodna-Old-Town"
        dispose(app)
