"""Exact, contention-free signature counts: sharded counter rows, summed on read."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session, scoped_session

from campaign_app.db import as_utc
from campaign_app.petitions.models import (
    Signature,
    SignatureCount,
    SignatureHourly,
    SignatureState,
)

# Flask-SQLAlchemy's db.session is a scoped_session; plain sessions work as well.
AnySession = Session | scoped_session[Any]


@dataclass(frozen=True)
class Counts:
    """Confirmed signatures of one petition, in total and by ISO country code."""

    total: int
    by_country: dict[str, int]


def hour_of(moment: datetime) -> datetime:
    """The UTC hour a confirmation is counted in."""
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


def _upsert(session: AnySession) -> Any:
    # The dialects' INSERT .. ON CONFLICT: PostgreSQL's module loads only where it is used.
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def add_to_count(
    session: AnySession,
    petition_id: int,
    country: str,
    shards: int,
    n: int = 1,
    *,
    confirmed_at: datetime,
) -> None:
    """Add ``n`` to a random shard of (petition, country) and of (petition, hour).

    Flushes, never commits. One INSERT .. ON CONFLICT DO UPDATE statement per table on both
    SQLite and PostgreSQL, so two confirmations only wait for each other when they pick the
    same shard.
    """
    insert = _upsert(session)
    shard = random.randrange(shards)  # noqa: S311 - load spreading, not security
    statement = insert(SignatureCount).values(
        petition_id=petition_id, country=country, shard=shard, count=n
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["petition_id", "country", "shard"],
            set_={"count": SignatureCount.count + n},
        )
    )
    hourly = insert(SignatureHourly).values(
        petition_id=petition_id, hour=hour_of(confirmed_at), shard=shard, count=n
    )
    session.execute(
        hourly.on_conflict_do_update(
            index_elements=["petition_id", "hour", "shard"],
            set_={"count": SignatureHourly.count + n},
        )
    )


def add_many(
    session: AnySession,
    petition_id: int,
    by_country: Mapping[str, int],
    by_hour: Mapping[datetime, int],
) -> None:
    """Add whole groups back (restoring invalidated signatures); flushes only."""
    insert = _upsert(session)
    for country, n in by_country.items():
        session.execute(
            insert(SignatureCount)
            .values(petition_id=petition_id, country=country, shard=0, count=n)
            .on_conflict_do_update(
                index_elements=["petition_id", "country", "shard"],
                set_={"count": SignatureCount.count + n},
            )
        )
    for hour, n in by_hour.items():
        session.execute(
            insert(SignatureHourly)
            .values(petition_id=petition_id, hour=hour_of(hour), shard=0, count=n)
            .on_conflict_do_update(
                index_elements=["petition_id", "hour", "shard"],
                set_={"count": SignatureHourly.count + n},
            )
        )


def subtract_many(
    session: AnySession,
    petition_id: int,
    by_country: Mapping[str, int],
    by_hour: Mapping[datetime, int],
) -> None:
    """Take groups of confirmed signatures out of the counters (invalidation); flushes only.

    Shards are emptied largest first, so no shard goes below zero. The shards are locked
    first (FOR UPDATE on PostgreSQL; SQLite writers hold the database lock already), so a
    confirmation adding to a shard meanwhile waits instead of being overwritten.
    """
    for country, n in by_country.items():
        shards = session.scalars(
            select(SignatureCount)
            .where(SignatureCount.petition_id == petition_id, SignatureCount.country == country)
            .order_by(SignatureCount.count.desc())
            .with_for_update()
        ).all()
        _take(shards, n)
    for hour, n in by_hour.items():
        hour_shards = session.scalars(
            select(SignatureHourly)
            .where(
                SignatureHourly.petition_id == petition_id, SignatureHourly.hour == hour_of(hour)
            )
            .order_by(SignatureHourly.count.desc())
            .with_for_update()
        ).all()
        _take(hour_shards, n)
    session.flush()


def _take(shards: Any, n: int) -> None:
    for shard in shards:
        taken = min(shard.count, n)
        shard.count -= taken
        n -= taken
        if not n:
            return


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


def read_hourly(session: AnySession, petition_id: int) -> dict[datetime, int]:
    """Confirmed signatures per UTC hour, from the hourly shards (hours with none left out)."""
    rows = session.execute(
        select(SignatureHourly.hour, func.sum(SignatureHourly.count))
        .where(SignatureHourly.petition_id == petition_id)
        .group_by(SignatureHourly.hour)
        .order_by(SignatureHourly.hour)
    ).all()
    return {as_utc(hour): int(total) for hour, total in rows if total}


def hourly_from_rows(session: AnySession, petition_id: int) -> dict[datetime, int]:
    """Count confirmed signature rows per hour (streams every row: recount only)."""
    hours: Counter[datetime] = Counter()
    rows = session.execute(
        select(Signature.confirmed_at)
        .where(Signature.petition_id == petition_id, Signature.state == SignatureState.CONFIRMED)
        .execution_options(yield_per=5_000)
    )
    for (confirmed_at,) in rows:
        if confirmed_at is not None:
            hours[hour_of(confirmed_at)] += 1
    return dict(hours)


def reset_hourly(session: AnySession, petition_id: int, hours: Mapping[datetime, int]) -> None:
    """Replace a petition's hourly shards by one row per hour; flushes only."""
    session.execute(delete(SignatureHourly).where(SignatureHourly.petition_id == petition_id))
    session.add_all(
        SignatureHourly(petition_id=petition_id, hour=hour, shard=0, count=n)
        for hour, n in hours.items()
        if n
    )
    session.flush()
