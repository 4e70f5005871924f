"""Bench database: schema by the migrations, two petitions, a million signatures, fast.

Everything here runs in the runner process before gunicorn starts. The signature rows are
written with batched Core ``executemany`` and the sharded counter (``signature_count``) is
filled so that, per country, the shards add up to the confirmed rows, as confirmations
would have left it; the hourly counter (``signature_hourly``) gets one row (shard 0) per
UTC hour of ``confirmed_at``. The result is checked with the app's own counting functions.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.blind_index import domain_hash, email_hash
from campaign_app.petitions.models import (
    Petition,
    PetitionState,
    PublicDisplay,
    Signature,
    SignatureCount,
    SignatureHourly,
    SignatureState,
)

SMALL_SLUG = "bench-ten"
BIG_SLUG = "bench-million"
CONFIRM_SLUG = "bench-confirm"

# Where signers come from, as weights out of 100: a realistic spread over 30 countries.
COUNTRY_WEIGHTS = {
    "DE": 14, "FR": 9, "NL": 8, "BY": 7, "PL": 7, "GB": 6, "LT": 5, "SE": 4, "IT": 4, "ES": 4,
    "US": 4, "UA": 3, "CZ": 3, "AT": 2, "BE": 2, "DK": 2, "FI": 2, "NO": 2, "CH": 2, "IE": 1,
    "PT": 1, "LV": 1, "EE": 1, "CA": 1, "SK": 1, "HU": 1, "GE": 1, "IL": 1, "AU": 1, "JP": 1,
}  # fmt: skip
COUNTRY_CYCLE = [code for code, weight in COUNTRY_WEIGHTS.items() for _ in range(weight)]
# Walking the cycle with a stride prime to its length keeps the weights exactly and spreads
# even a handful of signers over several countries, as real ones are.
COUNTRY_STRIDE = 37
FIRST_NAMES = ["Anna", "Ales", "Marie", "Jan", "Olga", "Pieter", "Sofia", "Lukas", "Ewa", "Tom"]
BATCH_SIZE = 20_000


@dataclass(frozen=True)
class BenchPetitions:
    """The slugs and ids of the petitions the bench reads and signs."""

    small_slug: str
    small_id: int
    big_slug: str
    big_id: int


def _admin_execute(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database, outside a transaction."""
    parsed = make_url(url)
    admin = sa.create_engine(
        parsed.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        admin.dispose()


def create_postgres_database(url: str) -> None:
    """(Re)create the scratch database named in ``url`` (trust auth on the server)."""
    name = make_url(url).database
    _admin_execute(
        url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )


def drop_postgres_database(url: str) -> None:
    """Drop the scratch database named in ``url``."""
    _admin_execute(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def migrate_schema(app: Flask) -> None:
    """Build the schema the way production does (Alembic)."""
    import flask_migrate

    with app.app_context():
        flask_migrate.upgrade()


def _petition(campaign: Campaign, slug: str, title: str) -> Petition:
    return Petition(
        campaign=campaign,
        slug=slug,
        title=f"Bench petition: {title}",
        summary="Release the prisoner now.",
        body="First paragraph of the petition.\n\nSecond paragraph of the petition.",
        target="President of the Republic of Belarus",
        goal=1_000_000,
        state=PetitionState.OPEN,
        opens_at=utcnow() - timedelta(days=60),
    )


def create_petitions(app: Flask) -> BenchPetitions:
    """One campaign with two open petitions, empty for now."""
    with app.app_context():
        campaign = Campaign(slug="bench", name="Bench campaign", organisation="Bench")
        db.session.add(campaign)
        petitions = {}
        for slug, title in ((SMALL_SLUG, "Ten signatures"), (BIG_SLUG, "A million signatures")):
            petitions[slug] = _petition(campaign, slug, title)
            db.session.add(petitions[slug])
        db.session.commit()
        return BenchPetitions(
            small_slug=SMALL_SLUG,
            small_id=petitions[SMALL_SLUG].id,
            big_slug=BIG_SLUG,
            big_id=petitions[BIG_SLUG].id,
        )


def _signature_rows(
    petition_id: int, total: int, start: datetime, days: int = 30, *, pending: bool = False
) -> Iterator[dict[str, Any]]:
    """Confirmed (or pending: signed, mailed, not yet confirmed) signatures spread evenly
    over the ``days`` days after ``start``."""
    step = timedelta(days=days) / max(total, 1)
    example_org = domain_hash("example.org")
    who = "pending" if pending else "signer"
    for i in range(total):
        created_at = start + step * i
        yield {
            "petition_id": petition_id,
            "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
            "last_name": f"Signer{i}",
            # Encrypted by the column type as the rows are written, as signing does.
            "email": f"{who}{i}@example.org",
            "email_hash": email_hash(f"{who}{i}@example.org"),
            "email_domain_hash": example_org,
            "country": COUNTRY_CYCLE[(i * COUNTRY_STRIDE) % len(COUNTRY_CYCLE)],
            "city": "",
            # One in seven signs anonymously, so the "latest signers" query must skip some.
            "display": (
                PublicDisplay.ANONYMOUS if i % 7 == 3 else PublicDisplay.FIRST_NAME_AND_COUNTRY
            ),
            "state": SignatureState.PENDING if pending else SignatureState.CONFIRMED,
            "locale": "en",
            "ip_hash": None,
            "created_at": created_at,
            "confirmed_at": None if pending else created_at + timedelta(minutes=3),
            "confirmation_sent_at": created_at,
        }


def _shard_rows(petition_id: int, by_country: Counter[str], shards: int) -> list[dict[str, Any]]:
    """Split each country's total over the shards, as random confirmations would have."""
    rows = []
    for country, total in sorted(by_country.items()):
        for shard in range(min(shards, total)):
            share = total // shards + (1 if shard < total % shards else 0)
            rows.append(
                {"petition_id": petition_id, "country": country, "shard": shard, "count": share}
            )
    return rows


def insert_signatures(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Insert signature rows (dicts with the same keys) in one executemany of the driver
    (SQLite) or one COPY (PostgreSQL).

    Each value goes through its column type's own bind processing, as ``connection.execute``
    would do it (encrypted columns through the app's keyring, which the type calls), but once
    per column instead of per row and statement (60 % of the CPU time for a million rows).
    Needs an app context (the keyring).
    """
    from campaign_app.crypto import EncryptedText, keyring

    table: sa.Table = Signature.__table__  # type: ignore[assignment]
    dialect, ring = connection.dialect, keyring()
    names = list(rows[0])
    converters: list[Callable[[Any], Any] | None] = []
    for name in names:
        column_type = table.c[name].type
        if isinstance(column_type, EncryptedText):
            converters.append(_encrypter(ring, column_type.purpose.encode()))
        else:
            converters.append(column_type.bind_processor(dialect))
    values = [
        tuple(
            row[name] if f is None else f(row[name])
            for name, f in zip(names, converters, strict=True)
        )
        for row in rows
    ]
    columns = ", ".join(names)
    if dialect.name == "postgresql":
        # COPY: the same rows in one stream instead of one INSERT each.
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    # A big page cache for this loading connection only: the random-order indexes (the
    # e-mail's keyed hash) then stay in memory instead of being re-read from the file.
    connection.exec_driver_sql("PRAGMA cache_size=-262144")
    marks = ", ".join("?" * len(names))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", values)


def _encrypter(ring: Any, purpose: bytes) -> Callable[[Any], Any]:
    """What EncryptedText stores for a value ("" as NULL), with the keyring looked up once."""
    return lambda value: ring.encrypt(value, purpose) if value else None


def load_signatures(
    app: Flask,
    petition_id: int,
    total: int,
    progress: Callable[[int], None] | None = None,
    days: int = 30,
) -> None:
    """Insert ``total`` confirmed signatures over ``days`` days and the matching counters.

    One transaction per batch of BATCH_SIZE rows; ``progress`` is told how many rows each
    batch added.
    """
    by_country: Counter[str] = Counter()
    by_hour: Counter[datetime] = Counter()
    start = utcnow() - timedelta(days=days + 1)
    with app.app_context():
        shards = int(app.config["COUNTER_SHARDS"])
        rows = _signature_rows(petition_id, total, start, days)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            with db.engine.begin() as connection:
                insert_signatures(connection, batch)
            by_country.update(row["country"] for row in batch)
            by_hour.update(counting.hour_of(row["confirmed_at"]) for row in batch)
            if progress is not None:
                progress(len(batch))
        with db.engine.begin() as connection:
            counter_rows = _shard_rows(petition_id, by_country, shards)
            connection.execute(sa.insert(SignatureCount.__table__), counter_rows)  # type: ignore[arg-type]
            hourly_rows = [
                {"petition_id": petition_id, "hour": hour, "shard": 0, "count": n}
                for hour, n in sorted(by_hour.items())
            ]
            if hourly_rows:
                connection.execute(sa.insert(SignatureHourly.__table__), hourly_rows)  # type: ignore[arg-type]


def create_confirm_petition(app: Flask, confirmed: int, pending: int) -> tuple[int, list[int]]:
    """A third open petition in the bench campaign, with ``confirmed`` confirmed signatures
    and ``pending`` signatures waiting for their link; its id and the pending ids."""
    with app.app_context():
        campaign = db.session.scalars(sa.select(Campaign).where(Campaign.slug == "bench")).one()
        petition = _petition(campaign, CONFIRM_SLUG, "Confirmation links")
        db.session.add(petition)
        db.session.commit()
        petition_id = petition.id
    load_signatures(app, petition_id, confirmed)
    with app.app_context():
        rows = _signature_rows(petition_id, pending, utcnow() - timedelta(days=1), 1, pending=True)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            with db.engine.begin() as connection:
                insert_signatures(connection, batch)
        ids = db.session.scalars(
            sa.select(Signature.id)
            .where(Signature.petition_id == petition_id, Signature.state == SignatureState.PENDING)
            .order_by(Signature.id)
        ).all()
        db.session.remove()
    return petition_id, list(ids)


def confirmation_paths(app: Flask, slug: str, signature_ids: list[int]) -> list[str]:
    """The path of each signature's confirmation link, as the app's own token function and
    URL map make it: ``app`` must carry the SECRET_KEY the server runs with."""
    from flask import url_for

    from campaign_app.petitions.tokens import make_confirmation_token

    with app.test_request_context():
        return [
            url_for("petitions.confirm", slug=slug, token=make_confirmation_token(signature_id))
            for signature_id in signature_ids
        ]


def check_counts(app: Flask, expected: dict[int, int]) -> dict[int, tuple[int, int]]:
    """The counter must equal the confirmed rows (the app's own recount logic decides).

    Returns, per petition id, the number of countries and of counter rows.
    """
    shape = {}
    with app.app_context():
        for petition_id, total in expected.items():
            counted = counting.read_counts(db.session, petition_id)
            actual = counting.count_rows(db.session, petition_id)
            hourly = sum(counting.read_hourly(db.session, petition_id).values())
            if counting.drift(counted, actual) or counted.total != total or hourly != total:
                raise RuntimeError(
                    f"Bench data is inconsistent for petition {petition_id}: counter "
                    f"{counted.total}, hourly {hourly}, rows {actual.total}, expected {total}."
                )
            counter_rows = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(SignatureCount)
                .where(SignatureCount.petition_id == petition_id)
            )
            shape[petition_id] = (len(counted.by_country), int(counter_rows or 0))
        db.session.remove()
    return shape


def fold(app: Flask) -> int:
    """Fold the counters' shards as the worker does every minute; how many rows it folded."""
    from campaign_app.petitions.jobs import fold_counters

    with app.app_context():
        folded = fold_counters()
        db.session.remove()
    return folded


def settle(app: Flask) -> str:
    """Leave the database as a live one would be after a bulk load; the PostgreSQL version.

    SQLite: a WAL checkpoint (a long-running database is checkpointed). PostgreSQL: VACUUM
    ANALYZE (what autovacuum does soon after a bulk load); returns its server_version ("" for
    SQLite).
    """
    with app.app_context():
        autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with autocommit.connect() as connection:
            if db.engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                return ""
            connection.exec_driver_sql("VACUUM ANALYZE")
            return str(connection.exec_driver_sql("SHOW server_version").scalar())


def query_plans(app: Flask, petition_id: int) -> dict[str, str]:
    """The database's plan for the page's per-request statements, the app's own: on
    PostgreSQL its one statement (the petition, its content version and its live parts); on
    SQLite the petition with its content version, then the counts and latest signers in one
    UNION. EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL, the lines that name a table
    or an index."""
    from campaign_app.petitions import live, page

    with app.app_context():
        dialect = db.engine.dialect.name
        slug = db.session.scalar(sa.select(Petition.slug).where(Petition.id == petition_id))
        limit = app.config["LATEST_SIGNERS_SHOWN"]
        queries: dict[str, tuple[Any, dict[str, Any]]]
        if dialect == "postgresql":
            queries = {
                "petition, content version, counts and latest signers": (
                    page._whole_query(app, limit),
                    {"slug": slug},
                )
            }
        else:
            queries = {
                "petition and content version": (page._page_query(app), {"slug": slug}),
                "counts and latest signers": (
                    live.live_statements(dialect)[1],
                    {"petition_id": petition_id, "limit": limit},
                ),
            }
        plans = {}
        for name, (query, values) in queries.items():
            compiled = query.compile(db.engine)
            params = compiled.construct_params(values)
            # As the driver gets them: the enums and times through their column types.
            for key, process in compiled._bind_processors.items():
                params[key] = process(params[key])
            arguments: Any = params
            if compiled.positiontup is not None:  # SQLite's "?" placeholders
                arguments = tuple(params[key] for key in compiled.positiontup)
            explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
            rows = db.session.connection().exec_driver_sql(explain + str(compiled), arguments)
            lines = [str(row[-1]).strip().removeprefix("->").strip() for row in rows]
            plans[name] = "; ".join(line for line in lines if " on " in line or "INDEX" in line)
        db.session.remove()
        return plans
