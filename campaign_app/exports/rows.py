"""The row query of a delivery export: which signatures (a Selection) and how each one reads.

What a row shows follows the signer's public-display choice, which governs the delivered list
too: signers who agreed to be shown appear with their full name and city; anonymous signers
appear as "Anonymous" with no city (their country and date still count). E-mail addresses are
never exported. Signatures collected on paper (source "paper" or "import") are listed by
name: the sheet they signed said their names are handed in (campaign_app.paper). Rows are
streamed in batches from one query, so memory stays flat on any size;
names and cities are stored encrypted and decrypted here row by row (anonymous rows never).
Every format is written from these rows in this order (exports.writers), so the PDF's
fingerprint of the CSV export identifies the list in any format.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from babel import Locale
from sqlalchemy import ColumnElement, LargeBinary, String, func, select, type_coerce

from campaign_app.crypto import raw_reader
from campaign_app.extensions import db
from campaign_app.petitions.models import (
    PublicDisplay,
    Signature,
    SignatureSource,
    SignatureState,
)

BATCH_SIZE = 2_000
ANONYMOUS = "Anonymous"
HEADER = ("number", "name", "city", "country", "country_name", "confirmed_on", "source")


@dataclass(frozen=True)
class Selection:
    """Which signatures an export holds (dates are inclusive UTC dates of confirmation)."""

    confirmed_only: bool = True
    since: date | None = None
    until: date | None = None
    countries: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        """Human text, e.g. "confirmed only; 2012-09-01 to 2012-09-30; BY, DE"."""
        states = "confirmed only" if self.confirmed_only else "all states"
        if self.since and self.until:
            dates = f"{self.since.isoformat()} to {self.until.isoformat()}"
        elif self.since:
            dates = f"from {self.since.isoformat()}"
        elif self.until:
            dates = f"until {self.until.isoformat()}"
        else:
            dates = "any date"
        countries = ", ".join(sorted(self.countries)) or "all countries"
        return f"{states}; {dates}; {countries}"

    def as_dict(self) -> dict[str, object]:
        """JSON-safe form, for the audit log and job rows."""
        return {
            "confirmed_only": self.confirmed_only,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "countries": sorted(self.countries),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Selection:
        """The selection that as_dict() described."""
        since, until, countries = data.get("since"), data.get("until"), data.get("countries")
        return cls(
            confirmed_only=bool(data.get("confirmed_only", True)),
            since=date.fromisoformat(since) if isinstance(since, str) else None,
            until=date.fromisoformat(until) if isinstance(until, str) else None,
            countries=frozenset(str(code) for code in countries)
            if isinstance(countries, list | tuple | set | frozenset)
            else frozenset(),
        )


class ExportRow(NamedTuple):
    """One numbered line of a delivery list; ``confirmed_on`` is a UTC ISO date or "";
    ``source`` is "online", "paper" or "import".

    A named tuple rather than a frozen dataclass: built a million times in an export, it
    costs a fifth as much.
    """

    number: int
    name: str
    city: str
    country: str
    country_name: str
    confirmed_on: str
    source: str


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


def selection_filters(petition_id: int, selection: Selection) -> list[ColumnElement[bool]]:
    """The WHERE conditions choosing a selection's signatures: one place for the rows and for
    counting them (see iter_rows for what the selection means)."""
    conditions: list[ColumnElement[bool]] = [
        Signature.petition_id == petition_id,
        Signature.erased_at.is_(None),  # erased and anonymised signers are never delivered
    ]
    if selection.confirmed_only:
        conditions.append(Signature.state == SignatureState.CONFIRMED)
    if selection.since is not None:
        conditions.append(Signature.confirmed_at >= _start_of(selection.since))
    if selection.until is not None:
        conditions.append(Signature.confirmed_at < _start_of(selection.until + timedelta(days=1)))
    if selection.countries:
        conditions.append(Signature.country.in_(sorted(selection.countries)))
    return conditions


def count_rows(petition_id: int, selection: Selection) -> int:
    """Exactly how many rows an export of the selection holds (one COUNT query)."""
    conditions = selection_filters(petition_id, selection)
    counted = db.session.scalar(select(func.count()).select_from(Signature).where(*conditions))
    return int(counted or 0)


def iter_rows(petition_id: int, selection: Selection) -> Iterator[ExportRow]:
    """Yield the petition's selected signatures as numbered rows, in signing order (by id).

    ``since`` and ``until`` are inclusive UTC dates of confirmation, so with a date filter
    unconfirmed signatures drop out even when ``confirmed_only`` is off. Invalidated
    signatures are included only when ``confirmed_only`` is off.
    """
    # One query, streamed in batches (a server-side cursor on PostgreSQL). Keyset pages
    # ("id > last ORDER BY id LIMIT n") made SQLite sort the whole selection for every page.
    query = (
        select(
            # The stored bytes: decrypted below, and only for the rows that show them.
            type_coerce(Signature.first_name, LargeBinary),
            type_coerce(Signature.last_name, LargeBinary),
            type_coerce(Signature.city, LargeBinary),
            Signature.country,
            type_coerce(Signature.display, String),  # plain text: no enum built per row
            # As the driver returns it: parsing a datetime per row (and UTCDateTime's
            # conversion) cost more than the rest of the row; _utc_day reads either form.
            type_coerce(Signature.confirmed_at, String),
            type_coerce(Signature.source, String),
        )
        .where(*selection_filters(petition_id, selection))
        .order_by(Signature.id)
    )
    anonymous = PublicDisplay.ANONYMOUS.value
    online = SignatureSource.ONLINE.value
    first_name = raw_reader(Signature.first_name)
    last_name = raw_reader(Signature.last_name)
    city_name = raw_reader(Signature.city)
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
            for (
                first_stored,
                last_stored,
                city_stored,
                country,
                display,
                confirmed_at,
                source,
            ) in batch:
                number += 1
                if display == anonymous and source == online:
                    name, city = ANONYMOUS, ""
                else:
                    first, last = first_name(first_stored), last_name(last_stored)
                    city = city_name(city_stored)
                    name = f"{first} {last}" if first and last else first or last
                yield ExportRow(
                    number,
                    name,
                    city,
                    country,
                    country_name(country),
                    _utc_day(confirmed_at) if confirmed_at else "",
                    source,
                )
    finally:
        result.close()
