"""Delivery exports of a petition's signatures: pure streamers (rows in, CSV or JSON text out).

What a row shows follows the signer's public-display choice, which governs the delivered list
too: signers who agreed to be shown appear with their full name and city; anonymous signers
appear as "Anonymous" with no city (their country and date still count). E-mail addresses are
never exported. Rows are read with keyset pagination, so memory stays flat on any size.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from babel import Locale
from sqlalchemy import ColumnElement, select

from campaign_app.extensions import db
from campaign_app.petitions.models import PublicDisplay, Signature, SignatureState

BATCH_SIZE = 2_000
ANONYMOUS = "Anonymous"
HEADER = ("number", "name", "city", "country", "country_name", "confirmed_on")
# A spreadsheet runs cells starting with these as formulas (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    """One numbered line of a delivery list; ``confirmed_on`` is a UTC ISO date or ""."""

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
    conditions: list[ColumnElement[bool]] = [Signature.petition_id == petition_id]
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
    query = select(
        Signature.id,
        Signature.first_name,
        Signature.last_name,
        Signature.city,
        Signature.country,
        Signature.display,
        Signature.confirmed_at,
    ).where(
        *selection_filters(
            petition_id,
            confirmed_only=confirmed_only,
            since=since,
            until=until,
            countries=countries,
        )
    )
    query = query.order_by(Signature.id).limit(BATCH_SIZE)

    number = 0
    last_id = 0
    while True:
        batch = db.session.execute(query.where(Signature.id > last_id)).all()
        for row in batch:
            number += 1
            is_anonymous = row.display is PublicDisplay.ANONYMOUS
            name = (
                ANONYMOUS
                if is_anonymous
                else " ".join(filter(None, (row.first_name, row.last_name)))
            )
            confirmed_at: datetime | None = row.confirmed_at
            yield ExportRow(
                number=number,
                name=name,
                city="" if is_anonymous else row.city,
                country=row.country,
                country_name=country_name(row.country),
                confirmed_on=confirmed_at.astimezone(UTC).date().isoformat()
                if confirmed_at
                else "",
            )
        if len(batch) < BATCH_SIZE:
            return
        last_id = batch[-1].id


def neutralise(cell: str) -> str:
    """Make a cell that a spreadsheet would run as a formula read as plain text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_csv(rows: Iterable[ExportRow], out: TextIO, *, bom: bool = False) -> int:
    """Write a header and the rows as CSV to ``out`` (opened with newline=""); return rows."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    written = 0
    for row in rows:
        writer.writerow(
            [
                row.number,
                neutralise(row.name),
                neutralise(row.city),
                row.country,
                neutralise(row.country_name),
                row.confirmed_on,
            ]
        )
        written += 1
    return written


def write_json(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Stream the rows to ``out`` as a JSON array of objects, one per line; return rows."""
    out.write("[")
    written = 0
    for row in rows:
        out.write(",\n" if written else "\n")
        out.write(json.dumps(asdict(row), ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written
