"""Connections the database server closed are replaced before a request uses them, with no
"SELECT 1" before every request (no pool pre-ping)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from campaign_app.extensions import db
from campaign_app.petitions.models import Signature
from tests.factories import make_petition
from tests.support.database import admin_engine
from tests.support.petitions import sign


def _end_every_session(database_url: str) -> int:
    """What a server restart or an administrator does: end the app's sessions (waiting until
    they are gone), from another connection."""
    name = make_url(database_url).database
    engine = admin_engine(database_url)
    try:
        with engine.connect() as connection:
            ended = connection.execute(
                sa.text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
                    " FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)


@pytest.mark.commits
def test_requests_after_the_server_ended_the_sessions_still_work(app, client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server ends sessions; SQLite has none to end")
    make_petition(slug="free-them")
    db.session.commit()
    assert client.get("/petitions/free-them").status_code == 200
    # The test keeps one app context around its requests: end the request's session as the
    # end of a real request would, so that the connection goes back to the pool.
    db.session.remove()

    assert _end_every_session(database_url) >= 1

    assert client.get("/petitions/free-them").status_code == 200
    db.session.remove()
    assert sign(client, "free-them", email="after.restart@example.org").status_code == 302
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 1


def test_no_ping_before_each_request(app, client):
    make_petition(slug="free-them")
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement.strip().upper())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/petitions/free-them").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements, "the page ran no query"
    assert "SELECT 1" not in statements
