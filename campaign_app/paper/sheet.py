"""The signature sheet to print and take to an event (A4): a pure renderer, texts in, bytes out.

Every page is a sheet of its own, so a sheet that goes astray still says what was signed:
the petition's title, whom it addresses, its text (cut with "…" and the web address when it
is too long for the top of a page), numbered rows to sign in (name, city, country,
signature), the privacy notice, and the sheet's serial number (e.g. "free-ales-0007") at the
top and the bottom. Text is drawn in the shipped DejaVu fonts (Latin and Cyrillic);
reportlab loads only when a sheet is drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from campaign_app.fonts import BOLD, REGULAR, missing_glyphs, register_fonts

ROW_HEIGHT_MM = 9.0  # room to write a name by hand
MARGIN_MM = 14.0
BODY_LINES = 12  # at most this many lines of the petition's text on a sheet


@dataclass(frozen=True)
class SheetTexts:
    """Every word of a sheet, in one language."""

    title: str
    target: str  # "Addressed to: …"
    summary: str
    body: tuple[str, ...]  # the petition's text, one string per paragraph
    more: str  # "Full text: https://…", after a text cut short
    columns: tuple[str, str, str, str, str]  # No., name, city, country, signature
    privacy_heading: str
    privacy: str
    serial_label: str  # "Sheet"
    serial_prefix: str  # "free-ales-"


def serial(prefix: str, number: int) -> str:
    """A sheet's serial number: the petition's address and the number, e.g. free-ales-0007."""
    return f"{prefix}{number:04d}"


def _drawable(text: str, font: str) -> str:
    for char in missing_glyphs(text, font):
        text = text.replace(char, "?")
    return text


def sheet_pdf(texts: SheetTexts, first: int, sheets: int) -> bytes:
    """``sheets`` pages, numbered from ``first``."""
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
    from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
    from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped, unused-ignore]
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

    register_fonts()
    page_w, page_h = A4
    margin = MARGIN_MM * mm
    width = page_w - 2 * margin
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(texts.title)

    def lines(text: str, font: str, size: float) -> list[str]:
        return list(simpleSplit(_drawable(text, font), font, size, width)) or [""]

    body: list[str] = []
    for paragraph in ((texts.summary,) if texts.summary else ()) + texts.body:
        body.extend(lines(paragraph, REGULAR, 8.5))
    if len(body) > BODY_LINES:
        body = [*body[: BODY_LINES - 1], body[BODY_LINES - 1].rstrip() + " …"]
        body += lines(texts.more, REGULAR, 8.5)
    privacy = lines(texts.privacy, REGULAR, 7.5)
    row_h = ROW_HEIGHT_MM * mm
    # Columns: number, name, city, country, signature (left edge, width).
    columns = (
        (margin, 10 * mm),
        (margin + 10 * mm, 62 * mm),
        (margin + 72 * mm, 38 * mm),
        (margin + 110 * mm, 28 * mm),
        (margin + 138 * mm, width - 138 * mm),
    )
    for number in range(first, first + sheets):
        code = serial(texts.serial_prefix, number)
        label = _drawable(f"{texts.serial_label} {code}", BOLD)
        y = page_h - margin
        canvas.setFont(BOLD, 9)
        canvas.drawRightString(page_w - margin, y, label)
        y -= 16
        for line in lines(texts.title, BOLD, 14):
            canvas.setFont(BOLD, 14)
            canvas.drawString(margin, y, line)
            y -= 17
        for line in lines(texts.target, BOLD, 10):
            canvas.setFont(BOLD, 10)
            canvas.drawString(margin, y, line)
            y -= 13
        y -= 3
        canvas.setFont(REGULAR, 8.5)
        for line in body:
            canvas.drawString(margin, y, line)
            y -= 10.5
        y -= 6
        # The rows: as many as fit above the privacy notice.
        bottom = margin + 14 + len(privacy) * 9.5 + 14
        canvas.setFont(BOLD, 8.5)
        for heading, (left, _width) in zip(texts.columns, columns, strict=True):
            canvas.drawString(left + 2, y - 10, _drawable(heading, BOLD)[:40])
        y -= 14
        canvas.setLineWidth(0.6)
        canvas.line(margin, y, page_w - margin, y)
        rows = int((y - bottom) // row_h)
        canvas.setFont(REGULAR, 8.5)
        canvas.setLineWidth(0.3)
        for row in range(1, rows + 1):
            top = y - (row - 1) * row_h
            base = top - row_h
            canvas.drawRightString(columns[0][0] + columns[0][1] - 3, base + 3, str(row))
            canvas.line(margin, base, page_w - margin, base)
            for left, _col_w in columns[1:]:
                canvas.line(left, top, left, base)
        y = bottom - 8
        canvas.setFont(BOLD, 7.5)
        canvas.drawString(margin, y, _drawable(texts.privacy_heading, BOLD))
        y -= 9.5
        canvas.setFont(REGULAR, 7.5)
        for line in privacy:
            canvas.drawString(margin, y, line)
            y -= 9.5
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(page_w - margin, margin - 14, label)
        canvas.drawString(margin, margin - 14, _drawable(texts.title, REGULAR)[:90])
        canvas.showPage()
    canvas.save()
    return out.getvalue()
