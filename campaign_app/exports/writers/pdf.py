"""The printable delivery package: a cover page with the totals, then the numbered list (A4).

Two passes over the selection, so memory stays flat and "Page N of M" is known up front:
the first pass counts the rows, tallies them by country, finds the first and last date of
confirmation and computes the fingerprint; the second draws the pages, a fixed number of
fixed-height rows each.

reportlab's canvas keeps every finished page (its uncompressed drawing operators, about 30 KB
for 50 rows) in its document until ``save()``, and then builds the whole file in memory: about
0.6 MB per 1,000 rows. ``_StreamingCanvas`` writes each page and its compressed content stream
to ``out`` as soon as the page is finished and keeps only the objects' numbers and offsets
(under 1 KB a page: about 15 MB for the 20,000 pages of a million rows); the fonts, the page
tree, the catalogue, the cross-reference table and the trailer follow at ``save()``, as
reportlab writes them (bench/RESULTS.md: 137 MB peak for a million rows).

The fingerprint is the SHA-256 of the CSV export of the same selection, UTF-8 without a BOM:
exactly the bytes ``flask petitions export SLUG --format csv`` writes (writers.text's
write_csv) with the same filters. Anyone can check a printed list with ``sha256sum`` on that
CSV file. It is computed by streaming the rows through write_csv into a hash, never by
building the CSV in memory.

Text is drawn in the shipped DejaVu fonts (Latin and Cyrillic); a character they lack is
drawn as "?" (a delivery list must not fail because of one signer's name), and a cell too
long for its column is cut with "…".
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.exports.rows import ExportRow, Selection
from campaign_app.exports.writers.text import write_csv
from campaign_app.fonts import BOLD, REGULAR, missing_glyphs, register_fonts
from campaign_app.petitions.models import Petition

PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
TOP = PAGE_H - MARGIN
FOOTER_Y = MARGIN - 4
ROW_HEIGHT = 13.5
ROWS_PER_PAGE = 50
TEXT_SIZE = 8.5
# The list's columns: (heading, left edge, width); the number is right-aligned in its column.
COLUMNS = (
    ("No.", MARGIN, 40.0),
    ("Name", MARGIN + 46, 180.0),
    ("City", MARGIN + 232, 95.0),
    ("Country", MARGIN + 333, 115.0),
    ("Confirmed", MARGIN + 454, PAGE_W - 2 * MARGIN - 454),
)
LIST_TOP = TOP - 38  # baseline of the first row
COVER_LINE = 14.0
FINGERPRINT_NOTE = (
    "SHA-256 of the CSV export of this same selection (UTF-8, no BOM), as written by "
    "`flask petitions export SLUG --format csv` with the same filters: check it with "
    "`sha256sum` on that file."
)


@dataclass
class Summary:
    """What the first pass learns about the selection."""

    total: int = 0
    by_country: Counter[str] = field(default_factory=Counter)
    first_day: str = ""
    last_day: str = ""
    fingerprint: str = ""


class _HashSink(io.RawIOBase):
    """A binary stream that only hashes what is written to it."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return len(data)


class _StreamingDocument(pdfdoc.PDFDocument):  # type: ignore[misc]
    """reportlab's PDFDocument writing each page to ``out`` when the canvas adds it.

    Object numbers and references stay reportlab's; only where the formatted objects go
    changes: a finished page and its content stream are formatted at once and written, and
    only their offsets are kept; ``format()`` (called by ``save()``) writes the objects not
    written yet in number order, then the cross-reference table and the trailer. Built by
    _StreamingCanvas, which switches its document to this class; no encryption.
    """

    _out: BinaryIO
    _offset: int

    def _stream_to(self, out: BinaryIO) -> None:
        self._out = out
        self._offset = 0

    def _write(self, data: bytes) -> int:
        """Write data after the header (written first); return the offset it starts at."""
        if not self._offset:
            header = pdfdoc.PDFFile(self._pdfVersion).format(self)
            self._out.write(header)
            self._offset = len(header)
        start = self._offset
        self._out.write(data)
        self._offset += len(data)
        return start

    def _write_object(self, name: str) -> None:
        data = pdfdoc.PDFIndirectObject(name, self.idToObject[name]).format(self)
        self.idToOffset[name] = self._write(data)

    def addPage(self, page: pdfdoc.PDFPage) -> None:
        name = self.thisPageName()
        super().addPage(page)
        self._write_object(name)  # formatting the page registers its content stream
        contents = page.Contents.__InternalName__
        self._write_object(contents)
        del self.idToObject[name], self.idToObject[contents]
        self.Pages.pages[-1] = pdfdoc.PDFObjectReference(name)

    def format(self) -> bytes:
        if self.encrypt.info():
            raise ValueError("no encryption in a streamed document")
        catalog = self.Reference(self.Catalog)
        info = self.Reference(self.info)
        number = 1
        while number in self.numberToId:  # new objects may appear while formatting
            name = self.numberToId[number]
            if name not in self.idToOffset:
                self._write_object(name)
            number += 1
        count = number - 1
        entries = [f"xref\n0 {count + 1}\n0000000000 65535 f \n"]
        for number in range(1, count + 1):
            name = self.numberToId[number]
            version = self.idToObjectNumberAndVersion[name][1]
            entries.append(f"{self.idToOffset[name]:010d} {version:05d} n \n")
        start = self._write("".join(entries).encode("ascii"))
        trailer = pdfdoc.PDFTrailer(
            startxref=start, Size=count + 1, Root=catalog, Info=info, ID=self.ID()
        )
        self._write(trailer.format(self))
        return b""  # all written

    def SaveToFile(self, filename: object, canvas: Canvas) -> None:
        self.GetPDFData(canvas)  # formats, and so writes, the rest


class _StreamingCanvas(Canvas):  # type: ignore[misc]
    """A reportlab canvas writing each finished page to ``out`` (see _StreamingDocument)."""

    def __init__(self, out: BinaryIO, **options: Any) -> None:
        super().__init__(out, **options)
        self._doc.__class__ = _StreamingDocument
        self._doc._stream_to(out)


def summarise(rows: Iterable[ExportRow]) -> Summary:
    """Count and tally the rows and fingerprint their CSV export, streaming."""
    summary = Summary()

    def tally() -> Iterator[ExportRow]:
        for row in rows:
            summary.by_country[row.country_name] += 1
            day = row.confirmed_on
            if day:
                if not summary.first_day or day < summary.first_day:
                    summary.first_day = day
                if day > summary.last_day:
                    summary.last_day = day
            yield row

    sink = _HashSink()
    text = io.TextIOWrapper(io.BufferedWriter(sink), encoding="utf-8", newline="")
    summary.total = write_csv(tally(), text)
    text.flush()
    summary.fingerprint = sink.digest.hexdigest()
    return summary


def drawable(text: str, font: str = REGULAR) -> str:
    """text with every character the font cannot draw replaced by "?"."""
    for char in missing_glyphs(text, font):
        text = text.replace(char, "?")
    return text


def clip(text: str, width: float, font: str = REGULAR, size: float = TEXT_SIZE) -> str:
    """text cut with "…" so that it fits in width points."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


@dataclass(frozen=True)
class _Cover:
    """The cover's text laid out into lines, and how many pages the cover takes."""

    lines: list[tuple[str, float, str]]  # (font, size, text) from the top
    countries: list[tuple[str, int]]
    first_page_rows: int
    pages: int


def _cover(petition: Petition, selection: Selection, summary: Summary) -> _Cover:
    width = PAGE_W - 2 * MARGIN
    lines: list[tuple[str, float, str]] = []

    def add(text: str, font: str = REGULAR, size: float = 10.0) -> None:
        for line in simpleSplit(drawable(text, font), font, size, width) or [""]:
            lines.append((font, size, line))

    add(petition.title, BOLD, 16)
    add("")
    add(f"To: {petition.target}", BOLD, 11)
    if petition.summary:
        add(petition.summary)
    add("")
    add(f"Signatures in this list: {summary.total:,}", BOLD, 13)
    if summary.total:
        add(f"Confirmed between {summary.first_day or '-'} and {summary.last_day or '-'} (UTC)")
    add(f"Selection: {selection.describe()}")
    add(f"Generated: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    add("")
    add("Fingerprint of the list:", BOLD)
    add(summary.fingerprint, REGULAR, 9)
    add(FINGERPRINT_NOTE, REGULAR, 8)
    add("")
    countries = sorted(summary.by_country.items(), key=lambda item: (-item[1], item[0]))
    if countries:
        add("Signatures by country", BOLD, 11)
    used = sum(COVER_LINE * size / 10 for _, size, _ in lines)
    first_page_rows = max(0, int((TOP - MARGIN - 20 - used) // COVER_LINE))
    per_page = int((TOP - MARGIN - 20) // COVER_LINE)
    overflow = max(0, len(countries) - first_page_rows)
    return _Cover(lines, countries, first_page_rows, 1 + math.ceil(overflow / per_page))


def _footer(canvas: Canvas, page: int, pages: int, title: str) -> None:
    canvas.setFont(REGULAR, 8)
    canvas.drawString(MARGIN, FOOTER_Y, title)
    canvas.drawRightString(PAGE_W - MARGIN, FOOTER_Y, f"Page {page} of {pages}")


def _draw_cover(canvas: Canvas, cover: _Cover, pages: int, title: str) -> int:
    y = TOP
    for font, size, text in cover.lines:
        y -= COVER_LINE * size / 10
        canvas.setFont(font, size)
        canvas.drawString(MARGIN, y, text)
    page = 1
    rows_left = cover.first_page_rows
    canvas.setFont(REGULAR, 10)
    for name, count in cover.countries:
        if rows_left == 0:
            _footer(canvas, page, pages, title)
            canvas.showPage()
            page += 1
            y = TOP
            rows_left = int((TOP - MARGIN - 20) // COVER_LINE)
            canvas.setFont(REGULAR, 10)
        y -= COVER_LINE
        canvas.drawString(MARGIN, y, clip(drawable(name), 300, size=10))
        canvas.drawRightString(MARGIN + 400, y, f"{count:,}")
        rows_left -= 1
    _footer(canvas, page, pages, title)
    canvas.showPage()
    return page


def _list_header(canvas: Canvas, title: str) -> None:
    canvas.setFont(BOLD, 10)
    canvas.drawString(MARGIN, TOP - 10, title)
    canvas.setFont(BOLD, TEXT_SIZE)
    y = TOP - 26
    for heading, left, width in COLUMNS:
        if heading == "No.":
            canvas.drawRightString(left + width, y, heading)
        else:
            canvas.drawString(left, y, heading)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 4, PAGE_W - MARGIN, y - 4)
    canvas.setFont(REGULAR, TEXT_SIZE)


def _draw_row(canvas: Canvas, row: ExportRow, y: float) -> None:
    number, name, city, country, day = COLUMNS
    canvas.drawRightString(number[1] + number[2], y, str(row.number))
    for (_, left, width), text in (
        (name, row.name),
        (city, row.city),
        (country, row.country_name),
        (day, row.confirmed_on),
    ):
        if text:
            canvas.drawString(left, y, clip(drawable(text), width))


def write_pdf(
    petition: Petition,
    selection: Selection,
    first_pass: Iterable[ExportRow],
    rows: Iterable[ExportRow],
    out: BinaryIO,
) -> int:
    """Write the delivery package to ``out``; return the rows listed.

    ``first_pass`` and ``rows`` are two reads of one selection; the list stops at the rows
    the first pass counted, so signatures added in between cannot break "Page N of M".
    """
    register_fonts()
    summary = summarise(first_pass)
    cover = _cover(petition, selection, summary)
    pages = cover.pages + math.ceil(summary.total / ROWS_PER_PAGE)
    title = clip(drawable(petition.title, BOLD), PAGE_W - 2 * MARGIN - 80, BOLD, 10)
    canvas = _StreamingCanvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(petition.title)
    canvas.setSubject(f"Signatures: {summary.total}; SHA-256 of the CSV {summary.fingerprint}")
    page = _draw_cover(canvas, cover, pages, title)
    written = 0
    for row in itertools.islice(rows, summary.total):
        line = written % ROWS_PER_PAGE
        if line == 0:
            if written:
                _footer(canvas, page, pages, title)
                canvas.showPage()
            page += 1
            _list_header(canvas, title)
        _draw_row(canvas, row, LIST_TOP - line * ROW_HEIGHT)
        written += 1
    if written:
        _footer(canvas, page, pages, title)
        canvas.showPage()
    canvas.save()
    return written
