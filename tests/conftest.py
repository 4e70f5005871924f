"""Fixtures: one app per database (SQLite, and PostgreSQL with TEST_DATABASE_URL) for the whole
run, a rolled-back transaction per test, and a real SMTP server.

A test marked ``commits`` gets an app of its own that writes to the database for real, and the
tables are emptied after it (see tests/support/database.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner

from campaign_app import create_app
from campaign_app.extensions import db, limiter
from tests.support.database import (
    allow_savepoints,
    create_postgres_database,
    drop_postgres_database,
    empty_tables,
    migrate,
    rolled_back,
)
from tests.support.mail import Mailbox, free_port
from tests.support.settings import TEST_DATABASE_URL, settings

DATABASES = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


# Databases ------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        migrate(url)
        yield url
        return
    url = create_postgres_database(TEST_DATABASE_URL)
    migrate(url)
    yield url
    drop_postgres_database(url)


# Mail -----------------------------------------------------------------------------------


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
    box.peers.clear()
    box.raw.clear()
    return box


# Apps -----------------------------------------------------------------------------------


def _forget_request_caches() -> None:
    for key in (
        "_login_user",
        "csrf_token",
        "csrf_valid",
        "_flask_babel",
        "_petition_shares",
        "registry_institutions_offered",
    ):
        g.pop(key, None)


def _build_app(url: str, smtp_port: int, **overrides: Any) -> Flask:
    defaults = {"MAIL_TRANSPORT": "smtp", "MAIL_SMTP_PORT": smtp_port}
    app = create_app(settings(url, **(defaults | overrides)))
    # Tests keep one app context open around many requests, so flask.g outlives a request
    # here, unlike in production. Drop what extensions cache per request in g (the signed-in
    # account, the CSRF token, the chosen language), so each request starts as a real one would.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_caches)
    return app


def _engine_of(app: Flask) -> sa.Engine:
    with app.app_context():
        return db.engine


def _commits(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("commits") is not None


@pytest.fixture(scope="session")
def shared_app(
    database_url: str, smtp_server: Controller, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app of this database for every test that rolls back; use ``app``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
        application = _build_app(database_url, smtp_server.port)
    engine = _engine_of(application)
    allow_savepoints(engine)
    yield application
    engine.dispose()


@pytest.fixture
def database(
    request: pytest.FixtureRequest, shared_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The test's database work: rolled back at its end; or, marked ``commits``, committed
    and deleted after it."""
    engine = _engine_of(shared_app)
    if _commits(request):
        yield
        empty_tables(engine)
        return
    with rolled_back(engine, monkeypatch):
        yield


@pytest.fixture
def make_app(
    database: None,
    database_url: str,
    smtp_server: Controller,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., Flask]]:
    """Build another app on this database; the keywords override the test settings.

    For settings read when the app is made (MICROCACHE_SECONDS, RATELIMIT_ENABLED,
    QUEUE_BACKEND...), or a route added for the test. Settings read at request time can be
    changed on ``app.config`` instead, which is cheaper. Its sessions join the test's
    transaction like those of ``app`` (so its own ``db.engine`` sees none of their SQL).
    """
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(tmp_path / "instance"))
    # Flask-Limiter keeps its state (enabled, storage, key prefix) on the one extension object,
    # so the last app built sets it for every app: give the other apps theirs back afterwards.
    limiter_state = dict(vars(limiter))
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        application = _build_app(database_url, smtp_server.port, **overrides)
        apps.append(application)
        return application

    yield factory
    for application in apps:
        _engine_of(application).dispose()
    vars(limiter).clear()
    vars(limiter).update(limiter_state)


@pytest.fixture
def app(
    request: pytest.FixtureRequest,
    database: None,
    shared_app: Flask,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Flask]:
    """The app, with an app context pushed for the whole test.

    The app is shared by the tests of one database: each test gets its own instance folder
    and an empty queue, and what it changes in ``app.config`` is undone after it. A test
    marked ``commits`` gets an app of its own.
    """
    if _commits(request):
        application: Flask = request.getfixturevalue("make_app")()
        with application.app_context():
            yield application
        return
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setattr(shared_app, "instance_path", str(instance))
    saved = dict(shared_app.config)
    huey = shared_app.extensions["campaign_queue"].huey
    huey.flush()
    try:
        with shared_app.app_context():
            yield shared_app
    finally:
        huey.flush()
        shared_app.config.clear()
        shared_app.config.update(saved)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
