"""The A4 letter: page 1 goes to the prisoner, page 2 is the sender's translation.

Layout (A4 portrait, 20 mm margins): the return address (if any, 9 pt) top left and the
prisoner's address block (11 pt down to 8 pt) top right, side by side; the message (12 pt down
to 9 pt) below them across the full width, the signature right-aligned after it. Page 2 is
headed "For you, the sender — do not post this page" and carries the translation, both in the
sender's language (11 pt down to 8 pt); with no translation (the sender reads the letter's
language) there is no page 2. A letter is one page: longer text is refused with how much to
cut (prisons prefer short letters anyway).

The page's geometry and its header (a block top left, the addressee's block top right) serve
the other A4 letters too (the appeals' letter to an official).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.fonts import BOLD, REGULAR
from campaign_app.letters.pdf.card import fit_address, new_canvas
from campaign_app.letters.pdf.model import Address, Card
from campaign_app.letters.pdf.text import Fitted, draw_block, draw_line, fit

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
TOP = PAGE_H - MARGIN
TEXT_W = PAGE_W - 2 * MARGIN
HALF_W = TEXT_W / 2 - 5 * mm
ADDRESS_X = PAGE_W - MARGIN - HALF_W
BODY_GAP = 15 * mm
SENDER_HEADING = "For you, the sender — do not post this page"
POST_NOTE = "Page 1 is the letter: post only page 1."


def fit_addressee(address: Address, height: float) -> Fitted:
    """The addressee's block (11 pt down to 8 pt), top right in ``height``."""
    return fit_address(address, HALF_W, height, (11.0, 8.0))


@dataclass(frozen=True)
class Header:
    """The top of an A4 letter, side by side: a block on the left (the sender's; None:
    nothing there), printed in ``left_gray``, and the addressee's block on the right."""

    left: Fitted | None
    address: Fitted
    left_gray: float = 0.0

    @property
    def height(self) -> float:
        return max(self.address.height, 0.0 if self.left is None else self.left.height)

    def draw(self, canvas: Canvas) -> None:
        if self.left is not None:
            if self.left_gray:
                canvas.setFillGray(self.left_gray)
            draw_block(canvas, self.left, MARGIN, TOP, HALF_W)
            if self.left_gray:
                canvas.setFillGray(0)
        draw_block(canvas, self.address, ADDRESS_X, TOP, HALF_W)


def letter_pdf(
    card: Card,
    translation: str | None,
    sender_language_label: str,
    *,
    sender_heading: str = SENDER_HEADING,
    translation_label: str | None = None,
    post_note: str = POST_NOTE,
) -> bytes:
    """A4 letter to card.address with card.message and card.signature, + the sender's page
    when there is a translation (None: the letter alone, one page).

    ``sender_heading``, ``translation_label`` and ``post_note`` are the sender page's texts in
    the sender's interface language (English when not given).
    """
    address = fit_addressee(card.address, 50 * mm)
    return_address = None
    if card.return_address.strip():
        return_address = fit(
            card.return_address,
            font=REGULAR,
            width=HALF_W,
            height=50 * mm,
            max_size=9.0,
            min_size=7.0,
            field="return_address",
        )
    header = Header(return_address, address, left_gray=0.3)
    body_top = TOP - header.height - BODY_GAP
    body = fit(
        card.message,
        font=REGULAR,
        width=TEXT_W,
        height=body_top - MARGIN,
        max_size=12.0,
        min_size=9.0,
        field="message",
        tail=card.signature,
    )
    if translation_label is None:
        translation_label = (
            f"Translation ({sender_language_label})"
            if sender_language_label.strip()
            else "Translation"
        )
    sender_page = None
    if translation is not None:
        sender_page = _fit_sender_page(translation, sender_heading, translation_label)

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (PAGE_W, PAGE_H))
    header.draw(canvas)
    draw_block(canvas, body, MARGIN, body_top, TEXT_W)
    canvas.showPage()

    if sender_page is not None:
        _draw_sender_page(canvas, *sender_page, post_note)
    canvas.save()
    return buffer.getvalue()


def _fit_sender_page(
    translation: str, sender_heading: str, translation_label: str
) -> tuple[Fitted, Fitted, Fitted]:
    """The sender's page's heading, label and translation, fitted (or refused) before drawing."""
    label = fit(
        translation_label,
        font=BOLD,
        width=TEXT_W,
        height=20 * mm,
        max_size=11.0,
        min_size=9.0,
        field="sender_language_label",
    )
    heading = fit(
        sender_heading,
        font=BOLD,
        width=TEXT_W,
        height=20 * mm,
        max_size=16.0,
        min_size=16.0,
        field="heading",
    )
    translation_top = TOP - 12 * mm - heading.height - label.height - 6 * mm
    translated = fit(
        translation,
        font=REGULAR,
        width=TEXT_W,
        height=translation_top - MARGIN - 10 * mm,
        max_size=11.0,
        min_size=8.0,
        field="translation",
    )
    return heading, label, translated


def _draw_sender_page(
    canvas: Canvas, heading: Fitted, label: Fitted, translated: Fitted, post_note: str
) -> None:
    """The sender's page: a grey band across the top so it is not posted by mistake."""
    band_h = heading.height + 8 * mm
    canvas.setFillGray(0.88)
    canvas.rect(MARGIN, TOP - band_h, TEXT_W, band_h, stroke=0, fill=1)
    canvas.setFillGray(0)
    draw_block(canvas, heading, MARGIN + 4 * mm, TOP - 4 * mm, TEXT_W - 8 * mm)
    y = draw_block(canvas, label, MARGIN, TOP - band_h - 6 * mm, TEXT_W)
    draw_block(canvas, translated, MARGIN, y - 2 * mm, TEXT_W)
    canvas.setFillGray(0.4)
    draw_line(
        canvas,
        post_note,
        MARGIN,
        MARGIN,
        TEXT_W,
        REGULAR,
        8.0,
        "left",
    )
    canvas.showPage()
