"""Delivery exports of a petition's signatures: pure streamers (rows in, CSV or JSON text out).

What a row shows follows the signer's public-display choice, which governs the delivered list
too: signers who agreed to be shown appear with their full name and city; anonymous signers
appear as "Anonymous" with no city (their country and date still count). E-mail addresses are
never exported. Rows are streamed in batches from one query, so memory stays flat on any size.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, TextIO

from babel import Locale
from sqlalchemy import ColumnElement, String, select, type_coerce

from campaign_app.extensions import db
from campaign_app.petitions.models import PublicDisplay, Signature, SignatureState

BATCH_SIZE = 2_000
ANONYMOUS = "Anonymous"
HEADER = ("number", "name", "city", "country", "country_name", "confirmed_on")
# A spreadsheet runs cells starting with these as formulas (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportRow(NamedTuple):
    """One numbered line of a delivery list; ``confirmed_on`` is a UTC ISO date or "".

    A named tuple rather than a frozen dataclass: built a million times in an export, it
    costs a fifth as much.
    """

    number: int
    name: str
    city: str
    country: str
    country_name: str
    confirmed_on: str


@functools.cache
def country_name(code: str) -> str:
    """The country's English name (delivery lists are in one language, not the reader's)."""
    name: str = Locale.parse("en").territories.get(code, code)
    return name


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _utc_day(moment: datetime | str) -> str:
    """The UTC date of a timestamp as the driver returns it, unconverted: SQLite gives the
    stored text, naive UTC ("2012-09-25 10:00:00"); PostgreSQL an aware datetime."""
    if isinstance(moment, str):
        return moment[:10]
    return (moment if moment.tzinfo is None else moment.astimezone(UTC)).date().isoformat()


def selection_filters(
    petition_id: int,
    *,
    confirmed_only: bool = True,
    since: date | None = None,
    until: date | None = None,
    countries: Collection[str] | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions choosing a selection's signatures: one place for the export and
    for counting it (see iter_export_rows for what the arguments mean)."""
    conditions: list[ColumnElement[bool]] = [
        Signature.petition_id == petition_id,
        Signature.erased_at.is_(None),  # erased and anonymised signers are never delivered
    ]
    if confirmed_only:
        conditions.append(Signature.state == SignatureState.CONFIRMED)
    if since is not None:
        conditions.append(Signature.confirmed_at >= _start_of(since))
    if until is not None:
        conditions.append(Signature.confirmed_at < _start_of(until + timedelta(days=1)))
    if countries:
        conditions.append(Signature.country.in_(sorted(countries)))
    return conditions


def iter_export_rows(
    petition_id: int,
    *,
    confirmed_only: bool = True,
    since: date | None = None,
    until: date | None = None,
    countries: Collection[str] | None = None,
) -> Iterator[ExportRow]:
    """Yield the petition's signatures as numbered rows, in signing order (by id).

    ``since`` and ``until`` are inclusive UTC dates of confirmation, so with a date filter
    unconfirmed signatures drop out even when ``confirmed_only`` is off. Invalidated
    signatures are included only when ``confirmed_only`` is off.
    """
    # One query, streamed in batches (a server-side cursor on PostgreSQL). Keyset pages
    # ("id > last ORDER BY id LIMIT n") made SQLite sort the whole selection for every page.
    query = (
        select(
            Signature.first_name,
            Signature.last_name,
            Signature.city,
            Signature.country,
            type_coerce(Signature.display, String),  # plain text: no enum built per row
            # As the driver returns it: parsing a datetime per row (and UTCDateTime's
            # conversion) cost more than the rest of the row; _utc_day reads either form.
            type_coerce(Signature.confirmed_at, String),
        )
        .where(
            *selection_filters(
                petition_id,
                confirmed_only=confirmed_only,
                since=since,
                until=until,
                countries=countries,
            )
        )
        .order_by(Signature.id)
    )
    anonymous = PublicDisplay.ANONYMOUS.value
    # Core, not the ORM: plain rows, no ORM loading step per batch.
    connection = db.session.connection()
    batches: Iterator[Sequence[Any]]
    if connection.dialect.name == "sqlite":
        # pysqlite streams by itself; reading its cursor skips building a SQLAlchemy Row for
        # every row, a third of a million-row export (no conversions are left to skip).
        result = connection.execute(query)
        batches = iter(functools.partial(result.cursor.fetchmany, BATCH_SIZE), [])
    else:
        result = connection.execute(query.execution_options(yield_per=BATCH_SIZE))
        batches = result.partitions()
    number = 0
    try:
        for batch in batches:
            for first, last, city, country, display, confirmed_at in batch:
                number += 1
                if display == anonymous:
                    name, city = ANONYMOUS, ""
                else:
                    name = f"{first} {last}" if first and last else first or last
                yield ExportRow(
                    number,
                    name,
                    city,
                    country,
                    country_name(country),
                    _utc_day(confirmed_at) if confirmed_at else "",
                )
    finally:
        result.close()


def neutralise(cell: str) -> str:
    """Make a cell that a spreadsheet would run as a formula read as plain text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_csv(rows: Iterable[ExportRow], out: TextIO, *, bom: bool = False) -> int:
    """Write a header and the rows as CSV to ``out`` (opened with newline=""); return rows."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writerow = writer.writerow
    starts = _FORMULA_STARTS
    written = 0
    # neutralise() inlined: a function call per cell was a tenth of a million-row export.
    for number, name, city, country, country_name, confirmed_on in rows:
        writerow(
            (
                number,
                "'" + name if name.startswith(starts) else name,
                "'" + city if city.startswith(starts) else city,
                country,
                "'" + country_name if country_name.startswith(starts) else country_name,
                confirmed_on,
            )
        )
        written += 1
    return written


def write_json(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Stream the rows to ``out`` as a JSON array of objects, one per line; return rows."""
    out.write("[")
    written = 0
    for row in rows:
        out.write(",\n" if written else "\n")
        out.write(json.dumps(row._asdict(), ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written
