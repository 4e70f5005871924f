"""Fixtures: the app on SQLite and (with TEST_DATABASE_URL) PostgreSQL, a real SMTP server."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.engine import make_url

from campaign_app import create_app
from campaign_app.db import Base
from campaign_app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DATABASES = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
SECRET = "test-secret-key-that-is-long-enough-0123456789"


# Databases ------------------------------------------------------------------------------


def _postgres_admin_engine(url: str) -> sa.Engine:
    admin_url = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
    return sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")


def _create_postgres_database(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    engine = _postgres_admin_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
            connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    except sa.exc.OperationalError as error:
        raise pytest.UsageError(
            f"PostgreSQL at {parsed.host}:{parsed.port} is not reachable ({error.orig}). "
            "Start it, or run with TEST_DATABASE_URL= (empty) to test on SQLite only."
        ) from None
    finally:
        engine.dispose()
    return parsed.render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    engine = _postgres_admin_engine(url)
    with engine.connect() as connection:
        connection.execute(
            sa.text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
        )
    engine.dispose()


def _migrate(url: str, instance: str) -> None:
    """Build the schema the way production does: with the Alembic migrations."""
    from flask_migrate import upgrade

    app = create_app(_settings(url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    instance = str(tmp_path_factory.mktemp("migrate-instance"))
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        _migrate(url, instance)
        yield url
        return
    url = _create_postgres_database(TEST_DATABASE_URL)
    _migrate(url, instance)
    yield url
    _drop_postgres_database(url)


def _settings(url: str, instance: str, **overrides: Any) -> dict[str, Any]:
    settings = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "QUEUE_BACKEND": "memory",
        "QUEUE_RETRY_DELAY": 0,
        "QUEUE_RETRY_BACKOFF": 1.0,
        "RATELIMIT_ENABLED": False,
        "MICROCACHE_SECONDS": 0,  # tests/petitions/test_microcache.py turns it on
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; scrypt by default
        "MAIL_TRANSPORT": "outbox",
        "BASE_URL": "http://campaign.test",
        "SERVER_NAME": None,
    }
    settings.update(overrides)
    return settings


def _forget_request_caches() -> None:
    for key in ("_login_user", "csrf_token", "csrf_valid", "_flask_babel"):
        g.pop(key, None)


def _empty_tables() -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


# Mail -----------------------------------------------------------------------------------


class Mailbox:
    """Collects what the real SMTP server on loopback received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Controller]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Controller) -> Mailbox:
    box: Mailbox = smtp_server.handler
    box.messages.clear()
    return box


# App ------------------------------------------------------------------------------------


@pytest.fixture
def make_app(
    database_url: str, tmp_path: Any, smtp_server: Controller, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Build an app on the current database; extra settings override the test defaults."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        defaults = {"MAIL_TRANSPORT": "smtp", "MAIL_SMTP_PORT": smtp_server.port}
        app = create_app(
            _settings(database_url, str(tmp_path / "instance"), **(defaults | overrides))
        )
        # Tests keep one app context open around many requests, so flask.g outlives a request
        # here, unlike in production. Drop what extensions cache per request in g (the signed-in
        # account, the CSRF token, the chosen language), so each request starts as a real one would.
        app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_caches)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
    if apps:
        with apps[0].app_context():
            _empty_tables()
            db.session.remove()
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app: Any) -> Iterator[Flask]:
    application: Flask = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def run_queue(app: Flask) -> int:
    """Run the jobs waiting in the app's queue, as the worker would."""
    queue = app.extensions["campaign_queue"]
    with app.app_context():
        done: int = queue.run_pending()
    return done


def unique_email(domain: str = "example.org") -> str:
    return f"signer-{uuid.uuid4().hex[:10]}@{domain}"
