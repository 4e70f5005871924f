"""The baseline: a bare Flask app in its own gunicorn, beside the real one.

``GET /hello`` answers "hello"; ``POST /insert`` inserts one row into its one table through
Flask-SQLAlchemy (``db.session.add``, ``commit``) and answers 201. Nothing of campaign_app is
imported: no middleware, no sessions, no CSRF, no translations. bench/run.py serves it with
the same gunicorn command as the app (``bench.bare_app:create_app()``, 2 sync workers), on
its own port, against its own database on the same database server: a SQLite file in the
same instance folder (with the pragmas campaign_app sets, WAL and synchronous=NORMAL, so both
write to disk the same way), or a database of its own on the same PostgreSQL server
(Flask-SQLAlchemy's default pool, no pre-ping). The database comes from ``BARE_DATABASE_URL``;
the runner creates the table (``create_table``) before gunicorn starts.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.typing import ResponseReturnValue
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TEXT = {"Content-Type": "text/plain; charset=utf-8"}


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Row(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "bare_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


def database_uri(url: str) -> str:
    """SQLAlchemy's name for psycopg 3 (the driver the project installs)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_table(url: str) -> None:
    """Create the one table (run once, before the workers start)."""
    engine = sa.create_engine(database_uri(url))
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    try:
        Base.metadata.create_all(engine)
    finally:
        engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    uri = database_uri(os.environ["BARE_DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    db.init_app(app)
    if uri.startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)

    @app.get("/hello")
    def hello() -> ResponseReturnValue:
        return "hello", 200, TEXT

    @app.post("/insert")
    def insert() -> ResponseReturnValue:
        db.session.add(Row(value=secrets.token_hex(8), created_at=datetime.now(UTC)))
        db.session.commit()
        return "inserted", 201, TEXT

    return app
