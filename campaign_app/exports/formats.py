"""The one entry point for delivery exports: a selection of signatures, a format, a stream.

Used by ``flask petitions export`` and by the organisers' export jobs. Every format holds the
same rows in the same order (petitions.export.iter_export_rows), so the PDF's fingerprint of
the CSV export identifies the list in any format.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from sqlalchemy import func, select

from campaign_app.exports import EXTENSIONS, FORMATS, MEDIA_TYPES
from campaign_app.extensions import db
from campaign_app.petitions import export
from campaign_app.petitions.models import Petition, Signature

__all__ = ["EXTENSIONS", "FORMATS", "MEDIA_TYPES", "Selection", "count_rows", "write_export"]

PROGRESS_EVERY = 1_000


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


def iter_rows(petition_id: int, selection: Selection) -> Iterator[export.ExportRow]:
    """The selection's rows, numbered, in signing order."""
    return export.iter_export_rows(
        petition_id,
        confirmed_only=selection.confirmed_only,
        since=selection.since,
        until=selection.until,
        countries=selection.countries or None,
    )


def count_rows(petition_id: int, selection: Selection) -> int:
    """Exactly how many rows an export of the selection holds (one COUNT query)."""
    conditions = export.selection_filters(
        petition_id,
        confirmed_only=selection.confirmed_only,
        since=selection.since,
        until=selection.until,
        countries=selection.countries or None,
    )
    counted = db.session.scalar(select(func.count()).select_from(Signature).where(*conditions))
    return int(counted or 0)


class _Progress:
    """Tells ``report`` how many rows are done: every PROGRESS_EVERY rows, then at the end."""

    def __init__(self, report: Callable[[int], None]) -> None:
        self.report = report
        self.told = -1

    def count(self, rows: Iterable[export.ExportRow]) -> Iterator[export.ExportRow]:
        for done, row in enumerate(rows, start=1):
            yield row
            if done % PROGRESS_EVERY == 0:
                self.report(done)
                self.told = done

    def finish(self, done: int) -> None:
        if done != self.told:
            self.report(done)


def write_export(
    petition: Petition,
    selection: Selection,
    fmt: str,
    out: BinaryIO,
    *,
    bom: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the whole export file to the binary stream ``out``; return the rows written.

    ``progress`` hears how many rows are done, at most every 1,000 rows and at the end.
    ``bom`` starts a CSV with a UTF-8 byte-order mark (for Excel); other formats ignore it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    rows = iter_rows(petition.id, selection)
    tracker = _Progress(progress) if progress is not None else None
    if tracker is not None:
        rows = tracker.count(rows)
    written = _write(petition, selection, fmt, rows, out, bom=bom)
    if tracker is not None:
        tracker.finish(written)
    return written


def _write(
    petition: Petition,
    selection: Selection,
    fmt: str,
    rows: Iterable[export.ExportRow],
    out: BinaryIO,
    *,
    bom: bool,
) -> int:
    if fmt == "xlsx":
        from campaign_app.exports.xlsx import write_xlsx

        return write_xlsx(rows, out)
    if fmt == "pdf":
        from campaign_app.exports.pdf import write_pdf

        # The PDF reads the selection twice: totals and fingerprint first, then the pages.
        return write_pdf(petition, selection, iter_rows(petition.id, selection), rows, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if fmt == "csv":
            written = export.write_csv(rows, text, bom=bom)
        else:
            written = export.write_json(rows, text)
        text.flush()
    finally:
        text.detach()  # leave ``out`` open: the caller owns it
    return written
