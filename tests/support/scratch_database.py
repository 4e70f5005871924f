"""A database of a test's own (SQLite file, or a new PostgreSQL database), for tests that must
commit for real and look at the database from outside: a dump, the file's bytes, a migration
from an older revision."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from campaign_app import create_app
from campaign_app.extensions import db
from tests.support.database import admin_engine
from tests.support.settings import TEST_DATABASE_URL, settings

KINDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database, dropped afterwards (PostgreSQL: beside TEST_DATABASE_URL's,
    named after it)."""
    if kind == "sqlite":
        yield "sqlite:///" + str(folder / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3")
        return
    base = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
    url = base.set(database=f"{base.database}_scratch_{uuid.uuid4().hex[:8]}")
    engine = admin_engine(TEST_DATABASE_URL)
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        engine.dispose()


def scratch_app(url: str, **overrides: Any) -> Flask:
    """An app on ``url`` with the suite's usual test settings; ``overrides`` win. Set
    CAMPAIGN_INSTANCE_PATH first."""
    return create_app(settings(url, **overrides))


def migrate(app: Flask, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision``, as ``flask db upgrade`` does."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision=revision)
        db.engine.dispose()


def dispose(app: Flask) -> None:
    """Close the app's connections (before a database is dropped or its file is read)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def dump(app: Flask) -> bytes:
    """Everything a thief of the database would have: pg_dump's output, or the SQLite file
    (and its write-ahead log) after a checkpoint."""
    with app.app_context():
        db.session.remove()
        url = db.engine.url
        if url.get_backend_name() == "sqlite":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()
            path = Path(str(url.database))
            files = [path, path.with_name(path.name + "-wal")]
            return b"".join(file.read_bytes() for file in files if file.exists())
        db.engine.dispose()
    plain = make_url(str(url)).set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run(
        ["pg_dump", "--no-owner", plain], capture_output=True, check=True, timeout=120
    ).stdout
