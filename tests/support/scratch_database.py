"""A database of a test's own (SQLite file, or a new PostgreSQL database), for tests that must
commit for real and look at the database from outside: a dump, the file's bytes, a migration
from an older revision."""

from __future__ import annotations

import os
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

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
KINDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


def _admin(url: str) -> sa.Engine:
    admin_url = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
    return sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")


@contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database, dropped afterwards (PostgreSQL: beside TEST_DATABASE_URL's,
    named after it)."""
    if kind == "sqlite":
        yield "sqlite:///" + str(folder / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3")
        return
    base = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
    url = base.set(database=f"{base.database}_scratch_{uuid.uuid4().hex[:8]}")
    engine = _admin(TEST_DATABASE_URL)
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        engine.dispose()


def scratch_app(url: str, **overrides: Any) -> Flask:
    """An app on ``url`` with the suite's usual test settings (queue in memory, mail to the
    outbox, no rate limits); ``overrides`` win. Set CAMPAIGN_INSTANCE_PATH first."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "scratch-test-secret-key-0123456789abcdef",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "QUEUE_BACKEND": "memory",
        "RATELIMIT_ENABLED": False,
        "MICROCACHE_SECONDS": 0,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_TRANSPORT": "outbox",
        "BASE_URL": "http://campaign.test",
        "SERVER_NAME": None,
    }
    return create_app(settings | overrides)


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
