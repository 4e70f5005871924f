"""Exact, contention-free signature counts: sharded counter rows, summed on read.

Counters are kept per source (online, paper, import) and country; the totals are the sum over
every source. The hourly counters hold online signatures only (see SignatureHourly).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import String, Table, bindparam, delete, func, literal, select, text, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, scoped_session

from campaign_app.db import as_utc
from campaign_app.petitions.models import (
    Signature,
    SignatureCount,
    SignatureHourly,
    SignatureSource,
    SignatureState,
)

# Flask-SQLAlchemy's db.session is a scoped_session; plain sessions work as well.
AnySession = Session | scoped_session[Any]


ONLINE = SignatureSource.ONLINE


@dataclass(frozen=True)
class Counts:
    """Confirmed signatures of one petition, in total, by ISO country code and by source."""

    total: int
    by_country: dict[str, int]
    by_source: dict[str, int] = field(default_factory=dict)
    # (source, country) -> count: what the recount compares.
    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def online(self) -> int:
        """Signed online (through the form, confirmed by e-mail)."""
        return self.by_source.get(ONLINE.value, 0)

    @property
    def on_paper(self) -> int:
        """Signed on paper: entered by hand or imported from a file."""
        return self.total - self.online


def counts_from(rows: Any) -> Counts:
    """Counts from (source, country, n) rows."""
    # Plain dicts and one pass: the page and the API sum a row per country on every read.
    cells: dict[tuple[str, str], int] = {}
    by_country: dict[str, int] = {}
    by_source: dict[str, int] = {}
    total = 0
    for source, country, n in rows:
        if not n:
            continue
        n = int(n)
        key = str(source)  # "online", also when given as the enum member
        cells[key, country] = cells.get((key, country), 0) + n
        by_country[country] = by_country.get(country, 0) + n
        by_source[key] = by_source.get(key, 0) + n
        total += n
    return Counts(total=total, by_country=by_country, by_source=by_source, cells=cells)


def hour_of(moment: datetime) -> datetime:
    """The UTC hour a confirmation is counted in."""
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


def _insert_for(dialect: str) -> Any:
    """The dialect's INSERT with ON CONFLICT, imported when first needed (the PostgreSQL
    dialect is a tenth of the start-up of a command that never counts, or runs on SQLite)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def _upsert(session: AnySession) -> Any:
    return _insert_for(session.get_bind().dialect.name)


@cache
def _add_statements(dialect: str) -> tuple[Any, Any]:
    """The two upserts of a confirmation, built once per dialect with bound parameters
    (building them per call cost more than running them)."""
    insert = _insert_for(dialect)
    by_country = insert(SignatureCount).values(
        petition_id=bindparam("petition_id"),
        source=bindparam("source"),
        country=bindparam("country"),
        shard=bindparam("shard"),
        count=bindparam("n"),
    )
    by_country = by_country.on_conflict_do_update(
        index_elements=["petition_id", "source", "country", "shard"],
        set_={"count": SignatureCount.count + by_country.excluded.count},
    )
    by_hour = insert(SignatureHourly).values(
        petition_id=bindparam("petition_id"),
        hour=bindparam("hour"),
        shard=bindparam("shard"),
        count=bindparam("n"),
    )
    by_hour = by_hour.on_conflict_do_update(
        index_elements=["petition_id", "hour", "shard"],
        set_={"count": SignatureHourly.count + by_hour.excluded.count},
    )
    return by_country, by_hour


def add_to_count(
    session: AnySession | Connection,
    petition_id: int,
    country: str,
    shards: int,
    n: int = 1,
    *,
    confirmed_at: datetime,
) -> None:
    """Add ``n`` online signatures to a random shard of (petition, online, country) and of
    (petition, hour).

    Flushes, never commits. One INSERT .. ON CONFLICT DO UPDATE statement per table on both
    SQLite and PostgreSQL, so two confirmations only wait for each other when they pick the
    same shard.
    """
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    by_country, by_hour = _add_statements(dialect.name)
    shard = random.randrange(shards)  # noqa: S311 - load spreading, not security
    params = {"petition_id": petition_id, "shard": shard, "n": n}
    session.execute(by_country, params | {"country": country, "source": ONLINE})
    session.execute(by_hour, params | {"hour": hour_of(confirmed_at)})


def add_many(
    session: AnySession,
    petition_id: int,
    by_country: Mapping[str, int],
    by_hour: Mapping[datetime, int],
    source: SignatureSource = ONLINE,
) -> None:
    """Add whole groups (restoring invalidated signatures, entering a paper batch) to shard
    0 of ``source``; ``by_hour`` must be empty for any source but online. Flushes only."""
    if by_hour and source is not ONLINE:
        raise ValueError("the hourly counters hold online signatures only")
    insert = _upsert(session)
    for country, n in by_country.items():
        session.execute(
            insert(SignatureCount)
            .values(petition_id=petition_id, source=source, country=country, shard=0, count=n)
            .on_conflict_do_update(
                index_elements=["petition_id", "source", "country", "shard"],
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
    source: SignatureSource = ONLINE,
) -> None:
    """Take groups of confirmed signatures of ``source`` out of the counters (invalidation);
    ``by_hour`` must be empty for any source but online. Flushes only.

    Shards are emptied largest first, so no shard goes below zero. The shards are locked
    first (FOR UPDATE on PostgreSQL; SQLite writers hold the database lock already), so a
    confirmation adding to a shard meanwhile waits instead of being overwritten.
    """
    if by_hour and source is not ONLINE:
        raise ValueError("the hourly counters hold online signatures only")
    for country, n in by_country.items():
        shards = (
            select(SignatureCount)
            .where(
                SignatureCount.petition_id == petition_id,
                SignatureCount.source == source,
                SignatureCount.country == country,
            )
            .order_by(SignatureCount.count.desc())
            .with_for_update()
        )
        _take(session, shards, n)
    for hour, n in by_hour.items():
        hour_shards = (
            select(SignatureHourly)
            .where(
                SignatureHourly.petition_id == petition_id, SignatureHourly.hour == hour_of(hour)
            )
            .order_by(SignatureHourly.count.desc())
            .with_for_update()
        )
        _take(session, hour_shards, n)
    session.flush()


def _take(session: AnySession, shards: Any, n: int) -> None:
    """Take ``n`` from the shards ``shards`` selects, largest first. Read a second time when
    they held too little: on PostgreSQL a fold that committed while the first read waited for
    its locks can have moved the count to a shard 0 that read could not see yet."""
    for _ in range(2):
        for shard in session.scalars(shards).all():
            taken = min(shard.count, n)
            shard.count -= taken
            n -= taken
            if not n:
                return
        session.flush()


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


# Plain text for the source: no enum conversion per row on the hot read. Built on first use.
@cache
def _counts() -> Any:
    return (
        select(
            type_coerce(SignatureCount.source, String),
            SignatureCount.country,
            func.sum(SignatureCount.count),
        )
        .where(SignatureCount.petition_id == bindparam("petition_id"))
        .group_by(SignatureCount.source, SignatureCount.country)
    )


def read_counts(session: AnySession, petition_id: int) -> Counts:
    """Sum the shards: reads at most sources x countries x shards rows, never the signatures;
    totals by country and by source come from the same one query."""
    return counts_from(session.execute(_counts(), {"petition_id": petition_id}).all())


@cache
def _total() -> Any:
    return select(func.coalesce(func.sum(SignatureCount.count), 0)).where(
        SignatureCount.petition_id == bindparam("petition_id")
    )


def read_total(session: AnySession | Connection, petition_id: int) -> int:
    """Confirmed signatures of one petition in all: one prebuilt sum over its shards."""
    return int(session.execute(_total(), {"petition_id": petition_id}).scalar_one())


def count_rows(session: AnySession, petition_id: int) -> Counts:
    """Count confirmed signature rows by source and country (slow on big petitions: recount
    only)."""
    rows = session.execute(
        select(type_coerce(Signature.source, String), Signature.country, func.count())
        .where(Signature.petition_id == petition_id, Signature.state == SignatureState.CONFIRMED)
        .group_by(Signature.source, Signature.country)
    ).all()
    return counts_from(rows)


def cell_drift(counted: Counts, actual: Counts) -> dict[tuple[str, str], int]:
    """Per (source, country), how far the counter is from the rows (actual minus counted)."""
    cells = set(counted.cells) | set(actual.cells)
    differences = {c: actual.cells.get(c, 0) - counted.cells.get(c, 0) for c in cells}
    return {c: d for c, d in sorted(differences.items()) if d}


def drift_label(source: str, country: str) -> str:
    """How a recount names a counter: the country for online ones, "paper:NL" for others."""
    return country if source == ONLINE.value else f"{source}:{country}"


def drift(counted: Counts, actual: Counts) -> dict[str, int]:
    """Per counter (see ``drift_label``), how far it is from the rows (actual minus counted)."""
    return {drift_label(*cell): d for cell, d in cell_drift(counted, actual).items()}


def reset_country(
    session: AnySession,
    petition_id: int,
    country: str,
    value: int,
    source: SignatureSource = ONLINE,
) -> None:
    """Replace all shards of (petition, source, country) by one row holding ``value``;
    flushes only."""
    session.execute(
        delete(SignatureCount).where(
            SignatureCount.petition_id == petition_id,
            SignatureCount.source == source,
            SignatureCount.country == country,
        )
    )
    if value:
        session.add(
            SignatureCount(
                petition_id=petition_id, source=source, country=country, shard=0, count=value
            )
        )
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
    """Count confirmed online signature rows per hour (streams every row: recount only)."""
    hours: Counter[datetime] = Counter()
    rows = session.execute(
        select(Signature.confirmed_at)
        .where(
            Signature.petition_id == petition_id,
            Signature.state == SignatureState.CONFIRMED,
            Signature.source == ONLINE,
        )
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


# Folding ------------------------------------------------------------------------------
# A surge spreads a counter over COUNTER_SHARDS rows per country, and every read sums them
# all for as long as they stay: a million signatures from 30 countries leave 480 rows where
# 30 would do. The worker folds them back into shard 0 every minute, so only the shards
# written since the last fold are summed on top.

_FOLDED_KEYS = {
    "signature_count": ("petition_id", "source", "country"),
    "signature_hourly": ("petition_id", "hour"),
}


def _fold_statements(dialect: str, table: Table, before_hour: bool) -> list[Any]:
    """What moves ``table``'s shards other than 0 into shard 0, one counter at a time.

    PostgreSQL: one statement (DELETE .. RETURNING feeding INSERT .. ON CONFLICT), so a
    confirmation adding to a shard meanwhile either lands before the delete (and is moved
    with it: the delete waits for it and takes the new value) or after it (on a new row).
    SQLite: the sum, then the delete, in one transaction; the first statement takes the
    write lock, so no confirmation slips in between.
    """
    keys = [table.c[name] for name in _FOLDED_KEYS[table.name]]
    names = [column.name for column in keys]
    moved = table.c.shard != 0
    if before_hour:
        moved = moved & (table.c.hour < bindparam("hour", type_=table.c.hour.type))
    insert = _insert_for(dialect)
    if dialect == "postgresql":
        gone = delete(table).where(moved).returning(*keys, table.c.count).cte("moved")
        source: Any = select(*(gone.c[n] for n in names), literal(0), func.sum(gone.c.count))
        source = source.group_by(*(gone.c[n] for n in names))
    else:
        source = select(*keys, literal(0), func.sum(table.c.count)).where(moved).group_by(*keys)
    statement = insert(table).from_select([*names, "shard", "count"], source)
    statement = statement.on_conflict_do_update(
        index_elements=[*names, "shard"],
        set_={"count": table.c.count + statement.excluded.count},
    )
    if dialect == "postgresql":
        return [statement.add_cte(gone)]
    return [statement, delete(table).where(moved)]


def fold_shards(session: AnySession, now: datetime) -> int:
    """Fold every counter's shards into shard 0 (the hourly ones of hours before ``now``'s,
    which no confirmation adds to any more); totals stay exact. Flushes only; returns how
    many shard rows were folded away."""
    dialect = session.get_bind().dialect.name
    folded = 0
    for table, params in (
        (cast(Table, SignatureCount.__table__), {}),
        (cast(Table, SignatureHourly.__table__), {"hour": hour_of(now)}),
    ):
        count = select(func.count()).select_from(table).where(table.c.shard != 0)
        folded += int(session.execute(count).scalar_one())
        for statement in _fold_statements(dialect, table, before_hour=bool(params)):
            session.execute(statement, params)
    return folded
