"""`flask privacy rotate-key`: every value re-encrypted under the new first key, in batches,
resumable; afterwards the old key can go and everything still reads.

Each test has a database of its own (the apps with different keys share it, and the command
commits per batch), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import select

from campaign_app.crypto import UndecryptableValue, key_id
from campaign_app.extensions import db
from campaign_app.petitions.models import PublicDisplay, Signature
from campaign_app.privacy.service import erasing, rotating
from tests.factories import make_petition, make_signature
from tests.support.scratch_database import KINDS, dispose, migrate, scratch_app, scratch_database

OLD, NEW = os.urandom(32), os.urandom(32)
INDEX = base64.urlsafe_b64encode(os.urandom(32)).decode()


def keys(*raw: bytes) -> str:
    return ",".join(base64.urlsafe_b64encode(key).decode() for key in raw)


@pytest.fixture(params=KINDS)
def database(request, tmp_path, monkeypatch) -> Iterator[str]:
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))
    with scratch_database(request.param, tmp_path) as url:
        yield url


def app_with(url: str, *data_keys: bytes) -> Flask:
    return scratch_app(url, SIGNER_DATA_KEYS=keys(*data_keys), SIGNER_INDEX_KEY=INDEX)


def stored_key_ids(app: Flask) -> set[bytes]:
    """The key ids of every stored encrypted value."""
    with app.app_context():
        rows = db.session.execute(
            sa.text("SELECT first_name, last_name, email, city FROM signature")
        ).all()
        db.session.remove()
    return {bytes(value)[1:5] for row in rows for value in row if value is not None}


def signers(url: str, count: int) -> list[int]:
    """``count`` signatures under the OLD key (one with a city, one erased); their ids."""
    app = app_with(url, OLD)
    migrate(app)
    with app.app_context():
        petition = make_petition(slug="rotating")
        ids = [
            make_signature(
                petition,
                first_name=f"Signer{n}",
                last_name="Шарко",
                email=f"signer{n}@example.org",
                city="Vilnius" if n == 0 else "",
                display=PublicDisplay.FIRST_NAME_AND_COUNTRY,
            ).id
            for n in range(count)
        ]
        erasing.erase_signer(f"signer{count - 1}@example.org", via="cli")
    dispose(app)
    return ids


def test_rotation_re_encrypts_every_row_and_the_old_key_can_go(database, tmp_path):
    ids = signers(database, 5)
    rotating_app = app_with(database, NEW, OLD)
    runner = rotating_app.test_cli_runner()

    checked = runner.invoke(args=["privacy", "rotate-key", "--check"])
    assert checked.exit_code == 0, checked.output
    assert "4 row(s) hold data encrypted under an older key" in checked.output  # not the erased

    result = runner.invoke(args=["privacy", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "4 row(s) re-encrypted under the current key" in result.output
    assert "the older keys can be removed" in result.output
    assert stored_key_ids(rotating_app) == {key_id(NEW)}

    again = runner.invoke(args=["privacy", "rotate-key", "--json"])
    assert again.exit_code == 0, again.output
    assert '"rows_reencrypted": 0' in again.output and '"rows_left": 0' in again.output
    with rotating_app.app_context():
        events = db.session.execute(
            sa.text("SELECT rows FROM audit_event WHERE action = 'privacy.key_rotated'")
        ).all()
        assert sorted(row.rows for row in events) == [0, 4]
    dispose(rotating_app)

    # The new key alone reads everything; the index key did not change, so lookups still work.
    new_only = app_with(database, NEW)
    with new_only.app_context():
        first = db.session.get(Signature, ids[0])
        assert (first.first_name, first.last_name, first.email, first.city) == (
            "Signer0",
            "Шарко",
            "signer0@example.org",
            "Vilnius",
        )
        [match] = erasing.find_signer("Signer3@Example.org")
        assert match.signature_ids == (ids[3],)
    output = tmp_path / "list.csv"
    exported = new_only.test_cli_runner().invoke(
        args=["petitions", "export", "rotating", "--output", str(output)]
    )
    assert exported.exit_code == 0, exported.output
    text = output.read_text(encoding="utf-8")
    assert "Signer0 Шарко,Vilnius" in text and "Signer3 Шарко" in text
    dispose(new_only)

    # The old key alone reads nothing any more: the values really were written again.
    old_only = app_with(database, OLD)
    with old_only.app_context(), pytest.raises(UndecryptableValue, match="not in"):
        db.session.scalar(select(Signature.first_name).where(Signature.id == ids[0]))
    dispose(old_only)


def test_a_stopped_rotation_goes_on_where_it_stopped(database):
    signers(database, 4)
    app = app_with(database, NEW, OLD)

    class Stop(Exception):
        pass

    def stop_after_the_first_batch(done: int, total: int) -> None:
        if done == 2:
            raise Stop

    with app.app_context():
        assert rotating.count_stale() == 3
        with pytest.raises(Stop):
            rotating.rotate_key(progress=stop_after_the_first_batch, batch_size=2)
        db.session.rollback()
        assert rotating.count_stale() == 1  # the first batch was committed
        report = rotating.rotate_key(batch_size=2)
        assert (report.rows, report.to_do) == (1, 1)
        assert rotating.count_stale() == 0
        names = db.session.scalars(select(Signature.first_name).order_by(Signature.id)).all()
        assert names == ["Signer0", "Signer1", "Signer2", ""]
    assert stored_key_ids(app) == {key_id(NEW)}
    dispose(app)
