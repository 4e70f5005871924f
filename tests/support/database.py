"""The test databases: made and migrated once per run, and one transaction per test.

Most tests run inside a transaction that is rolled back when they end. The services still call
``db.session.commit()``: every session of the test joins the test's connection with
``join_transaction_mode="create_savepoint"``, so a commit releases a SAVEPOINT and the outer
transaction stays open (SQLAlchemy's recipe "Joining a Session into an External Transaction").
Tests marked ``commits`` (threads, a live server, a second connection, or a chosen isolation
level) work on the database for real, and the tables are emptied after them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import close_all_sessions, scoped_session, sessionmaker

from campaign_app import create_app
from campaign_app.db import Base
from campaign_app.extensions import db
from tests.support.settings import settings

# Making and dropping the databases -------------------------------------------------------


def admin_engine(url: str) -> sa.Engine:
    admin_url = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
    return sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")


def create_postgres_database(url: str) -> str:
    """(Re)create the database of ``url``; the URL with the psycopg driver."""
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    engine = admin_engine(url)
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


def drop_postgres_database(url: str) -> None:
    engine = admin_engine(url)
    with engine.connect() as connection:
        connection.execute(
            sa.text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
        )
    engine.dispose()


def migrate(url: str) -> None:
    """Build the schema the way production does: with the Alembic migrations."""
    from flask_migrate import upgrade

    app = create_app(settings(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def empty_tables(engine: sa.Engine) -> None:
    """Delete every row, after a test that committed.

    DELETE, children first: on tables this small it takes milliseconds, where PostgreSQL's
    TRUNCATE of every table takes a fifth of a second. Sequences go on counting, as they do
    after a rolled-back test.
    """
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


# One transaction per test ----------------------------------------------------------------


def allow_savepoints(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 driver, begin SQLite transactions (SQLite only).

    In its legacy transaction mode (Python < 3.16) sqlite3 emits BEGIN only before DML, so a
    SAVEPOINT before any write starts a transaction of its own and releasing it commits: the
    test's rows would outlive the test. SQLAlchemy's documented fix: tell the driver to
    leave transactions alone and emit BEGIN on SQLAlchemy's "begin" event. This replaces
    the app's ``isolation_level="IMMEDIATE"`` connect argument on this engine only (a plain
    BEGIN: the tests that use it run on one connection, so nobody waits for the lock).
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _driver_leaves_transactions_alone(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


class JoinedSession(FlaskSession):
    """Flask-SQLAlchemy's session on the test's connection.

    Flask-SQLAlchemy 3 chooses the engine in ``get_bind`` and ignores a ``bind=`` given to
    the session (pallets-eco/flask-sqlalchemy#1167), so it is given back here.
    """

    def get_bind(
        self,
        mapper: Any | None = None,
        clause: Any | None = None,
        bind: sa.Engine | sa.Connection | None = None,
        **kwargs: Any,
    ) -> sa.Engine | sa.Connection:
        if bind is not None:
            return bind
        assert self.bind is not None
        return self.bind


_OUTER = "test_outer"


@contextmanager
def rolled_back(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Connection]:
    """Run the block in one transaction on ``engine`` and roll it back at the end.

    Every ``db.session`` in the block (the test's, each request's, each queued job's, also
    those of other apps on the same database) uses this connection; their commits release
    SAVEPOINTs inside the outer transaction.
    """
    connection = engine.connect()
    outer = connection.begin()
    # Our own SAVEPOINT, under those of the sessions: it lives exactly as long as the outer
    # transaction, so rolling back to it at the end proves that nothing ended the transaction.
    connection.exec_driver_sql(f"SAVEPOINT {_OUTER}")
    scoped = db.session
    factory = sessionmaker(
        class_=JoinedSession,
        **{**scoped.session_factory.kw, "bind": connection},
        join_transaction_mode="create_savepoint",
    )
    monkeypatch.setattr(db, "session", scoped_session(factory, _this_thread_only(scoped)))
    try:
        yield connection
    finally:
        monkeypatch.setattr(db, "session", scoped)
        # The app contexts closed their sessions; this closes any left open. Should their
        # SAVEPOINTs be gone, the check below tells why.
        with suppress(sa.exc.DBAPIError):
            close_all_sessions()
        still_open = _rolled_back_to_outer(connection)
        outer.rollback()
        connection.close()
        if not still_open:
            # What the test wrote was committed: delete it, and say so (also over an error
            # the test raised, which is likely a consequence).
            empty_tables(engine)
            pytest.fail(
                "The test's transaction ended before the test did (so what it wrote was "
                "committed, and is now deleted): mark the test `commits`, or find what ended it."
            )


def _this_thread_only(scoped: scoped_session[Any]) -> Callable[[], Any]:
    """Flask-SQLAlchemy's scope (the app context), refused in any other thread.

    Two threads on one connection would interleave their statements: a test with threads
    must commit for real (``@pytest.mark.commits``).
    """
    scopefunc = scoped.registry.scopefunc  # type: ignore[union-attr]
    owner = threading.get_ident()

    def scope() -> Any:
        if threading.get_ident() != owner:
            raise RuntimeError(
                "db.session used in another thread inside a rolled-back test: "
                "mark the test @pytest.mark.commits"
            )
        return scopefunc()

    return scope


def _rolled_back_to_outer(connection: sa.Connection) -> bool:
    """Whether the SAVEPOINT made when the test began is still there (works in a failed
    PostgreSQL transaction too, where no query would)."""
    try:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {_OUTER}")
    except sa.exc.SQLAlchemyError:
        return False
    return True
