"""Exact, contention-free signature counts: sharded counter rows, summed on read."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session

from campaign_app.petitions.models import Signature, SignatureCount, SignatureState

# Flask-SQLAlchemy's db.session is a scoped_session; plain sessions work as well.
AnySession = Session | scoped_session[Any]


@dataclass(frozen=True)
class Counts:
    """Confirmed signatures of one petition, in total and by ISO country code."""

    total: int
    by_country: dict[str, int]


def add_to_count(
    session: AnySession, petition_id: int, country: str, shards: int, n: int = 1
) -> None:
    """Add ``n`` to a random shard of (petition, country); flushes, never commits.

    One INSERT .. ON CONFLICT DO UPDATE statement on both SQLite and PostgreSQL, so two
    confirmations only wait for each other when they pick the same shard.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(SignatureCount).values(
        petition_id=petition_id,
        country=country,
        shard=random.randrange(shards),  # noqa: S311 - load spreading, not security
        count=n,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["petition_id", "country", "shard"],
        set_={"count": SignatureCount.count + n},
    )
    session.execute(statement)


def begin_consistent_snapshot(session: AnySession) -> None:
    """Start a transaction in which the counters and the rows are read at one moment.

    PostgreSQL: REPEATABLE READ (a concurrent confirmation makes the fix fail and retry).
    SQLite: take the write lock up front, since the driver runs plain SELECTs outside any
    transaction and a confirmation could slip in between the two reads.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        session.execute(text("BEGIN IMMEDIATE"))


def read_counts(session: AnySession, petition_id: int) -> Counts:
    """Sum the shards: reads at most countries x shards rows, never the signatures."""
    rows = session.execute(
        select(SignatureCount.country, func.sum(SignatureCount.count))
        .where(SignatureCount.petition_id == petition_id)
        .group_by(SignatureCount.country)
    ).all()
    by_country = {country: int(total) for country, total in rows if total}
    return Counts(total=sum(by_country.values()), by_country=by_country)


def count_rows(session: AnySession, petition_id: int) -> Counts:
    """Count confirmed signature rows by country (slow on big petitions: recount only)."""
    rows = session.execute(
        select(Signature.country, func.count())
        .where(Signature.petition_id == petition_id, Signature.state == SignatureState.CONFIRMED)
        .group_by(Signature.country)
    ).all()
    by_country = {country: int(n) for country, n in rows}
    return Counts(total=sum(by_country.values()), by_country=by_country)


def drift(counted: Counts, actual: Counts) -> dict[str, int]:
    """Per country, how far the counter is from the rows (actual minus counted)."""
    countries = set(counted.by_country) | set(actual.by_country)
    differences = {c: actual.by_country.get(c, 0) - counted.by_country.get(c, 0) for c in countries}
    return {c: d for c, d in sorted(differences.items()) if d}


def reset_country(session: AnySession, petition_id: int, country: str, value: int) -> None:
    """Replace all shards of (petition, country) by one row holding ``value``; flushes only."""
    session.execute(
        delete(SignatureCount).where(
            SignatureCount.petition_id == petition_id, SignatureCount.country == country
        )
    )
    if value:
        session.add(SignatureCount(petition_id=petition_id, country=country, shard=0, count=value))
    session.flush()
