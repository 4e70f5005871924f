"""The printed appeal: an A4 letter to an official (pure renderer: data in, bytes out).

Layout (A4 portrait, 20 mm margins): the sender (name, city; 10 pt) top left and the
official's address block (11 pt down to 8 pt) top right, side by side; below them the date,
right-aligned; the subject in bold; the text (11 pt down to 9 pt) across the full width; then,
right-aligned, a signature line and the sender's name under it. One page: a longer text is
refused (MessageTooLong) with how much to cut. Drawn with the shipped DejaVu Sans through the
letters' renderers (campaign_app.letters.pdf: the A4 letter's page and header), so Cyrillic
prints and a character the font lacks is refused (MissingGlyphs), never drawn as a box.
Imported on first use only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]

from campaign_app.fonts import BOLD, REGULAR
from campaign_app.letters.pdf.card import new_canvas
from campaign_app.letters.pdf.letter import (
    HALF_W,
    MARGIN,
    PAGE_H,
    PAGE_W,
    TEXT_W,
    TOP,
    Header,
    fit_addressee,
)
from campaign_app.letters.pdf.model import Address
from campaign_app.letters.pdf.text import draw_block, fit

GAP = 8 * mm
SIGNATURE_LINE = "_" * 24


@dataclass(frozen=True)
class AppealLetter:
    """One appeal as printed: who writes, to whom, when, about what, and the text."""

    sender_name: str
    sender_city: str
    address: Address
    date_line: str
    subject: str
    body: str


def appeal_pdf(letter: AppealLetter) -> bytes:
    """One A4 page: sender, address, date, subject, text, signature line and name."""
    sender_text = "\n".join(part for part in (letter.sender_name, letter.sender_city) if part)
    sender = fit(
        sender_text,
        font=REGULAR,
        width=HALF_W,
        height=40 * mm,
        max_size=10.0,
        min_size=8.0,
        field="sender",
    )
    header = Header(sender, fit_addressee(letter.address, 60 * mm))
    date = fit(
        letter.date_line,
        font=REGULAR,
        width=TEXT_W,
        height=10 * mm,
        max_size=10.0,
        min_size=10.0,
        field="date",
    )
    subject = fit(
        letter.subject,
        font=BOLD,
        width=TEXT_W,
        height=30 * mm,
        max_size=12.0,
        min_size=10.0,
        field="subject",
    )
    date_top = TOP - header.height - GAP
    subject_top = date_top - date.height - GAP
    body_top = subject_top - subject.height - GAP / 2
    body = fit(
        letter.body,
        font=REGULAR,
        width=TEXT_W,
        height=body_top - MARGIN,
        max_size=11.0,
        min_size=9.0,
        field="body",
        tail=f"{SIGNATURE_LINE}\n{letter.sender_name}",
        tail_field="sender",
    )

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (PAGE_W, PAGE_H))
    canvas.setTitle(letter.subject)
    header.draw(canvas)
    draw_block(canvas, date, MARGIN, date_top, TEXT_W, align="right")
    draw_block(canvas, subject, MARGIN, subject_top, TEXT_W)
    draw_block(canvas, body, MARGIN, body_top, TEXT_W)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
