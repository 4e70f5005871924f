"""The live parts of a petition's page: the counts and the latest public signers, read on
every request (the rest of the page is kept per content version, see page.py)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Integer,
    LargeBinary,
    Select,
    String,
    Table,
    bindparam,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from campaign_app.crypto import raw_reader
from campaign_app.db import UTCDateTime
from campaign_app.petitions.counting import Counts, counts_from
from campaign_app.petitions.models import (
    SHOWN_PUBLICLY,
    Signature,
    SignatureCount,
)


@dataclass(frozen=True)
class PublicSigner:
    """A signer as shown in public lists: only what they agreed to show."""

    first_name: str
    country: str
    confirmed_at: datetime


@dataclass(frozen=True)
class Live:
    """What changes with every signature: the counts and the latest public signers, as the
    database returned them. Equal rows, equal parts: the rendered parts are kept by ``key``,
    so the counts are summed and the names decrypted only when they are rendered."""

    # (source, country, confirmed signatures)
    cells: tuple[tuple[str, str, int], ...]
    # (first name as stored, encrypted; country; confirmed at), newest first
    latest: tuple[tuple[bytes | None, str, datetime], ...]

    @classmethod
    def of(
        cls,
        cells: Iterable[tuple[str, str, int]],
        latest: Iterable[tuple[bytes | None, str, datetime]],
    ) -> Live:
        """Live parts from rows in any order: cells by source and country, signers newest
        first (the database's order among equal times), so equal rows make equal keys."""
        dated = (signer for signer in latest if signer[2] is not None)
        newest_first = sorted(dated, key=lambda signer: signer[2], reverse=True)
        return cls(tuple(sorted(cells)), tuple(newest_first))

    @property
    def key(self) -> Hashable:
        return (self.cells, self.latest)

    @cached_property
    def counts(self) -> Counts:
        return counts_from(self.cells)

    @cached_property
    def signers(self) -> list[PublicSigner]:
        read_name = raw_reader(_SIGNATURE.c.first_name)
        return [PublicSigner(read_name(name), country, at) for name, country, at in self.latest]


_SIGNATURE = cast(Table, Signature.__table__)
_COUNT = cast(Table, SignatureCount.__table__)


def latest_signers(petition_id: ColumnElement[int], limit: int) -> Select[Any]:
    """The ``limit`` latest public signers of ``petition_id``, newest first, the names as
    stored (they are decrypted only to be shown)."""
    signature = _SIGNATURE
    return (
        select(
            type_coerce(signature.c.first_name, LargeBinary).label("first_name"),
            signature.c.country.label("country"),
            signature.c.confirmed_at.label("at"),
        )
        # Confirmed, shown and not erased: the partial index's condition, word for word.
        .where(signature.c.petition_id == petition_id, text(SHOWN_PUBLICLY))
        .order_by(signature.c.confirmed_at.desc())
        # A number in the statement, not a parameter: PostgreSQL plans a prepared statement
        # once for all its executions only when a plan without the values costs about the
        # same; with LIMIT unknown it does not, and planning took longer than running.
        .limit(literal_column(str(int(limit)), Integer))
    )


def summed_cells(petition_id: ColumnElement[int]) -> Select[Any]:
    """The counter shards of ``petition_id`` summed per source and country."""
    count = _COUNT
    return (
        select(
            type_coerce(count.c.source, String).label("source"),
            count.c.country.label("country"),
            func.sum(count.c.count).label("n"),
        )
        .where(count.c.petition_id == petition_id)
        .group_by(count.c.source, count.c.country)
    )


_LIVE_STATEMENTS: dict[str, tuple[Any, Any]] = {}

# Where the latest signers are read from: the partial index of the rows a page may show
# (ix_signature_public_latest), so the database reads the newest of those rows only, not
# every anonymous row on the way. SQLite, which has no statistics to tell, is told.
_SIGNERS_FROM = {"sqlite": "signature INDEXED BY ix_signature_public_latest"}


def live_statements(dialect: str) -> tuple[Any, Any]:
    """SQLite: (counts only, counts and latest signers in one UNION ALL), built on first use."""
    built = _LIVE_STATEMENTS.get(dialect)
    if built is not None:
        return built
    signature = _SIGNATURE
    count = _COUNT

    def column(name: str) -> ColumnElement[Any]:
        return literal_column(f"signature.{name}", type_=signature.c[name].type)

    counts = summed_cells(bindparam("petition_id"))
    latest = (
        select(
            type_coerce(column("first_name"), LargeBinary).label("first_name"),
            column("country").label("country"),
            column("confirmed_at").label("at"),
        )
        .select_from(text(_SIGNERS_FROM.get(dialect, "signature")))
        # Confirmed, shown and not erased: the partial index's condition, word for word.
        .where(column("petition_id") == bindparam("petition_id"), text(SHOWN_PUBLICLY))
        .order_by(column("confirmed_at").desc())
        .limit(bindparam("limit"))
        .subquery()
    )
    # The signers first: a UNION takes its result types (the UTC times) from its first
    # SELECT.
    both = union_all(
        select(
            literal("s"),
            latest.c.first_name,
            latest.c.country,
            sql_cast(null(), String),
            sql_cast(null(), BigInteger),
            latest.c.at,
        ),
        select(
            literal("c"),
            null(),
            count.c.country,
            type_coerce(count.c.source, String),
            func.sum(count.c.count),
            sql_cast(null(), UTCDateTime),
        )
        .where(count.c.petition_id == bindparam("petition_id"))
        .group_by(count.c.source, count.c.country),
    )
    _LIVE_STATEMENTS[dialect] = (counts, both)
    return counts, both


def read_live(connection: Connection, petition_id: int, anonymised: bool, limit: int) -> Live:
    """SQLite: the counts (from the counter shards) and the ``limit`` most recent confirmed
    signers who chose to be shown (never erased), newest first, in one statement."""
    counts_only, both = live_statements(connection.dialect.name)
    if anonymised or limit <= 0:  # every row is erased: no scan
        rows = connection.execute(counts_only, {"petition_id": petition_id}).all()
        return Live.of(map(tuple, rows), ())
    rows = connection.execute(both, {"petition_id": petition_id, "limit": limit}).all()
    return Live.of(
        ((r[3], r[2], r[4]) for r in rows if r[0] == "c"),
        ((r[1], r[2], r[5]) for r in rows if r[0] == "s"),
    )
