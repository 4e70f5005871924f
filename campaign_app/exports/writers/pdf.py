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
exactly the bytes the CSV export (writers.text's write_csv) writes with the same filters, so
the file an organiser keeps identifies the printed list. It is computed by streaming the rows
through write_csv into a hash, never by building the CSV in memory. The cover explains it in
words, for its reader (an embassy's staff), without naming commands.

Every word is in one language (the petition's, or one chosen for the export): the labels,
the petition's text, the country names, the dates and the numbers come in a PackageTexts
(exports.package_texts builds it); this module only lays them out. The cover holds the
petition's title, target, summary and text, the totals and the countries, over as many pages
as they need.

Text is drawn in the shipped DejaVu fonts (Latin and Cyrillic); a character they lack is
drawn as "?" (a delivery list must not fail because of one signer's name), and a cell too
long for its column is cut with "…".
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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
# The list's columns: (left edge, width), in the order number, name, city, country, date,
# source; the number is right-aligned in its column.
COLUMNS = (
    (MARGIN, 40.0),
    (MARGIN + 46, 150.0),
    (MARGIN + 202, 82.0),
    (MARGIN + 290, 88.0),
    (MARGIN + 384, 66.0),  # a date in words: "30 сент. 2012"
    (MARGIN + 452, PAGE_W - 2 * MARGIN - 452),  # "online", "paper"
)
LIST_TOP = TOP - 38  # baseline of the first row
COVER_LINE = 14.0
COVER_BOTTOM = MARGIN + 20  # the lowest baseline on a cover page, above the footer


@dataclass(frozen=True)
class PackageTexts:
    """Every word of a delivery package, in one language, ready to lay out.

    The callables format what only the data knows: counts, dates (ISO in, local out),
    country names (ISO code in) and the page numbers.
    """

    title: str
    target: str  # "Addressed to: the President of the Republic of Belarus"
    summary: str
    body: tuple[str, ...]  # the petition's text, one string per paragraph
    organisation: str  # "Handed in by: …", or ""
    count: Callable[[int], str]  # "Signatures in this list: 1 000"
    dates: Callable[[str, str], str]  # "Confirmed between … and … (UTC)"
    selection: str  # "Selection: confirmed signatures; any date; all countries"
    generated: str  # "Made on 25 September 2012 at 10:00 (UTC)"
    fingerprint_heading: str
    fingerprint_note: str
    countries_heading: str
    columns: tuple[str, str, str, str, str, str]  # number, name, city, country, date, source
    anonymous: str
    country_name: Callable[[str], str]
    day: Callable[[str], str]
    number: Callable[[int], str]
    page: Callable[[int, int], str]  # "Page 1 of 4"
    subject: Callable[[int, str], str]  # the PDF's subject: count and fingerprint
    anonymous_marker: str = "Anonymous"  # what the rows carry for anonymous signers
    sources_heading: str = "Signatures by source"
    source_name: Callable[[str], str] = str  # "online" -> "online", "paper" -> "on paper"


@dataclass
class Summary:
    """What the first pass learns about the selection."""

    total: int = 0
    by_country: Counter[str] = field(default_factory=Counter)
    by_source: Counter[str] = field(default_factory=Counter)
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
    """Count and tally the rows (by country code) and fingerprint their CSV export, streaming."""
    summary = Summary()

    def tally() -> Iterator[ExportRow]:
        for row in rows:
            summary.by_country[row.country] += 1
            summary.by_source[row.source] += 1
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


# One line of the cover: (font, size, text, count drawn right-aligned or "").
_Line = tuple[str, float, str, str]


@dataclass(frozen=True)
class _Cover:
    """The cover's lines laid out into pages (each a list of lines, top to bottom)."""

    pages: list[list[_Line]]


def _cover(texts: PackageTexts, summary: Summary) -> _Cover:
    width = PAGE_W - 2 * MARGIN
    lines: list[_Line] = []

    def add(text: str, font: str = REGULAR, size: float = 10.0) -> None:
        for line in simpleSplit(drawable(text, font), font, size, width) or [""]:
            lines.append((font, size, line, ""))

    add(texts.title, BOLD, 16)
    add("")
    add(texts.target, BOLD, 11)
    if texts.organisation:
        add(texts.organisation, REGULAR, 10)
    if texts.summary:
        add("")
        add(texts.summary, BOLD, 10)
    for paragraph in texts.body:
        add("")
        add(paragraph, REGULAR, 10)
    add("")
    add(texts.count(summary.total), BOLD, 13)
    if summary.total:
        add(texts.dates(summary.first_day, summary.last_day))
    add(texts.selection)
    add(texts.generated)
    add("")
    add(texts.fingerprint_heading, BOLD)
    add(summary.fingerprint, REGULAR, 9)
    add(texts.fingerprint_note, REGULAR, 8.5)
    if summary.by_source:
        add("")
        add(texts.sources_heading, BOLD, 11)
    for source in ("online", "paper", "import"):
        if summary.by_source.get(source):
            name = clip(drawable(texts.source_name(source)), 300, size=10)
            lines.append((REGULAR, 10.0, name, texts.number(summary.by_source[source])))
    countries = sorted(
        ((texts.country_name(code), count) for code, count in summary.by_country.items()),
        key=lambda item: (-item[1], item[0]),
    )
    if countries:
        add("")
        add(texts.countries_heading, BOLD, 11)
    for name, count in countries:
        lines.append((REGULAR, 10.0, clip(drawable(name), 300, size=10), texts.number(count)))
    pages: list[list[_Line]] = [[]]
    y = TOP
    for line in lines:
        step = COVER_LINE * line[1] / 10
        if y - step < COVER_BOTTOM and pages[-1]:
            pages.append([])
            y = TOP
            if not line[2]:
                continue  # no blank line at the top of a page
        pages[-1].append(line)
        y -= step
    return _Cover(pages)


def _footer(canvas: Canvas, page: int, pages: int, title: str, texts: PackageTexts) -> None:
    canvas.setFont(REGULAR, 8)
    canvas.drawString(MARGIN, FOOTER_Y, title)
    canvas.drawRightString(PAGE_W - MARGIN, FOOTER_Y, drawable(texts.page(page, pages)))


def _draw_cover(canvas: Canvas, cover: _Cover, pages: int, title: str, texts: PackageTexts) -> int:
    for page, lines in enumerate(cover.pages, start=1):
        y = TOP
        for font, size, text, count in lines:
            y -= COVER_LINE * size / 10
            canvas.setFont(font, size)
            canvas.drawString(MARGIN, y, text)
            if count:
                canvas.drawRightString(MARGIN + 400, y, count)
        _footer(canvas, page, pages, title, texts)
        canvas.showPage()
    return len(cover.pages)


def _list_header(canvas: Canvas, title: str, texts: PackageTexts) -> None:
    canvas.setFont(BOLD, 10)
    canvas.drawString(MARGIN, TOP - 10, title)
    canvas.setFont(BOLD, TEXT_SIZE)
    y = TOP - 26
    for index, (heading, (left, width)) in enumerate(zip(texts.columns, COLUMNS, strict=True)):
        heading = clip(drawable(heading, BOLD), width, BOLD)
        if index == 0:
            canvas.drawRightString(left + width, y, heading)
        else:
            canvas.drawString(left, y, heading)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 4, PAGE_W - MARGIN, y - 4)
    canvas.setFont(REGULAR, TEXT_SIZE)


def _draw_row(canvas: Canvas, row: ExportRow, y: float, texts: _RowTexts) -> None:
    number, name, city, country, day, source = COLUMNS
    canvas.drawRightString(number[0] + number[1], y, texts.number(row.number))
    is_anonymous = row.name == texts.anonymous_marker and not row.city
    for (left, width), text in (
        (name, texts.anonymous if is_anonymous else row.name),
        (city, row.city),
        (country, texts.country(row.country)),
        (day, texts.day(row.confirmed_on) if row.confirmed_on else ""),
        (source, texts.source(row.source)),
    ):
        if text:
            canvas.drawString(left, y, clip(drawable(text), width))


class _RowTexts:
    """The row formatters of PackageTexts, each remembering what it formatted (a list of a
    million rows has a few hundred countries, days and no more numbers than rows)."""

    def __init__(self, texts: PackageTexts) -> None:
        self.anonymous = texts.anonymous
        self.anonymous_marker = texts.anonymous_marker
        self.country = functools.lru_cache(maxsize=512)(texts.country_name)
        self.day = functools.lru_cache(maxsize=4096)(texts.day)
        self.number = texts.number
        self.source = functools.lru_cache(maxsize=8)(texts.source_name)


def write_pdf(
    petition: Petition,
    selection: Selection,
    first_pass: Iterable[ExportRow],
    rows: Iterable[ExportRow],
    out: BinaryIO,
    texts: PackageTexts,
) -> int:
    """Write the delivery package to ``out``; return the rows listed.

    ``first_pass`` and ``rows`` are two reads of one selection; the list stops at the rows
    the first pass counted, so signatures added in between cannot break "Page N of M".
    ``texts`` gives every word, in one language (exports.package_texts).
    """
    register_fonts()
    summary = summarise(first_pass)
    cover = _cover(texts, summary)
    pages = len(cover.pages) + math.ceil(summary.total / ROWS_PER_PAGE)
    title = clip(drawable(texts.title, BOLD), PAGE_W - 2 * MARGIN - 80, BOLD, 10)
    row_texts = _RowTexts(texts)
    canvas = _StreamingCanvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(texts.title)
    canvas.setSubject(texts.subject(summary.total, summary.fingerprint))
    page = _draw_cover(canvas, cover, pages, title, texts)
    written = 0
    for row in itertools.islice(rows, summary.total):
        line = written % ROWS_PER_PAGE
        if line == 0:
            if written:
                _footer(canvas, page, pages, title, texts)
                canvas.showPage()
            page += 1
            _list_header(canvas, title, texts)
        _draw_row(canvas, row, LIST_TOP - line * ROW_HEIGHT, row_texts)
        written += 1
    if written:
        _footer(canvas, page, pages, title, texts)
        canvas.showPage()
    canvas.save()
    return written
