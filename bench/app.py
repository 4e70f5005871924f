"""The benchmarked app: campaign_app plus two ceiling routes that exist only here.

``GET /_bench/hello`` returns a few bytes of text and ``POST /_bench/insert`` inserts one row
into the bench-only ``bench_row`` table. Both run through the same app, middleware and
database engine as the real endpoints, so they are the ceilings the real endpoints are
compared with. gunicorn loads it with ``bench.app:create_bench_app()``.
"""

from __future__ import annotations

import secrets

from flask import Flask
from flask.typing import ResponseReturnValue
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from campaign_app import create_app
from campaign_app.db import UTCDateTime, utcnow

# Its own MetaData: the table is created by the bench runner, never by the migrations.
bench_metadata = MetaData()
bench_row = Table(
    "bench_row",
    bench_metadata,
    Column("id", Integer, primary_key=True),
    Column("value", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


def create_bench_app() -> Flask:
    """campaign_app's factory, then the two ceiling routes."""
    app = create_app()
    from campaign_app.extensions import db

    @app.get("/_bench/hello")
    def bench_hello() -> ResponseReturnValue:
        return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.post("/_bench/insert")
    def bench_insert() -> ResponseReturnValue:
        db.session.execute(
            insert(bench_row).values(value=secrets.token_hex(8), created_at=utcnow())
        )
        db.session.commit()
        return "inserted", 201, {"Content-Type": "text/plain; charset=utf-8"}

    # A ceiling, not a form: exempt from the app-wide CSRF check on POSTs (security.py), as it
    # was before that check existed; without this every request was a 400.
    bench_insert.checks_own_csrf = True  # type: ignore[attr-defined]
    return app
