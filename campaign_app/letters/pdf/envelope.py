"""Envelopes (DL, C6, C5: an A4 letter folded once) and sheets of address labels (A4, 3 x 7).

Envelope layout (landscape; mm): the return address (if any, 9 pt down to 7 pt) top left, 10
from the edges; a light dashed 25 x 30 stamp box 10 from the top right corner; the address
block (12 pt down to 8 pt) in the lower right: the right half of the envelope less 15 on the
right, 15 above the bottom edge, its last line (the country) lowest.

Labels: A4 portrait, 3 columns x 7 rows of 70 x 42.3 mm with no gaps between them (the common
"21 per sheet" label stock, e.g. Avery 3652): 3 x 70 = 210 mm fill the width, 7 x 42.3 =
296.1 mm leave 0.45 mm at the top and at the bottom. Each address (10 pt down to 7 pt) is
centred vertically in its label, 5 mm in from the left and right and 4 mm from top and bottom.
Labels fill rows left to right, top to bottom; nothing else is printed (label stock is cut).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable
from typing import BinaryIO

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]

from campaign_app.fonts import REGULAR
from campaign_app.letters.pdf.card import fit_address, new_canvas
from campaign_app.letters.pdf.model import ENVELOPE_SIZES, Address, EnvelopeSize, choose
from campaign_app.letters.pdf.text import draw_block, fit

ENVELOPES = {"DL": (220 * mm, 110 * mm), "C6": (162 * mm, 114 * mm), "C5": (229 * mm, 162 * mm)}
LABEL_W, LABEL_H = 70 * mm, 42.3 * mm
LABEL_COLUMNS, LABEL_ROWS = 3, 7
LABEL_PAD_X, LABEL_PAD_Y = 5 * mm, 4 * mm


def envelope_pdf(address: Address, size: EnvelopeSize, return_address: str = "") -> bytes:
    """One envelope-sized page (DL 220 x 110, C6 162 x 114 or C5 229 x 162 mm, landscape)."""
    choose(size, ENVELOPE_SIZES, "envelope size")
    page_w, page_h = ENVELOPES[size]
    block_x = page_w / 2
    block_w = page_w / 2 - 15 * mm
    block_bottom = 15 * mm
    fitted = fit_address(address, block_w, page_h - 45 * mm - block_bottom, (12.0, 8.0))
    sender = None
    if return_address.strip():
        sender = fit(
            return_address,
            font=REGULAR,
            width=page_w / 2 - 20 * mm,
            height=page_h - 60 * mm,
            max_size=9.0,
            min_size=7.0,
            field="return_address",
        )

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (page_w, page_h))
    if sender is not None:
        canvas.setFillGray(0.25)
        draw_block(canvas, sender, 10 * mm, page_h - 10 * mm, page_w / 2 - 20 * mm)
        canvas.setFillGray(0)
    canvas.saveState()
    canvas.setStrokeGray(0.7)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 2)
    canvas.rect(page_w - 35 * mm, page_h - 40 * mm, 25 * mm, 30 * mm, stroke=1, fill=0)
    canvas.restoreState()
    draw_block(canvas, fitted, block_x, block_bottom + fitted.height, block_w)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def label_boxes() -> tuple[tuple[float, float], ...]:
    """Bottom-left corners of the 21 labels on an A4 page, in filling order."""
    page_h = A4[1]
    top = page_h - (page_h - LABEL_ROWS * LABEL_H) / 2
    return tuple(
        (column * LABEL_W, top - (row + 1) * LABEL_H)
        for row in range(LABEL_ROWS)
        for column in range(LABEL_COLUMNS)
    )


def labels_pdf(addresses: Iterable[Address], out: BinaryIO) -> int:
    """Write A4 pages of 21 address labels to out; return the number of pages.

    Every address of a page is checked and fitted before the page is drawn; out gets the bytes
    only at the end, so a refused address leaves it untouched.
    """
    boxes = label_boxes()
    inner_w, inner_h = LABEL_W - 2 * LABEL_PAD_X, LABEL_H - 2 * LABEL_PAD_Y
    canvas = new_canvas(out, A4)
    pages = done = 0
    iterator = iter(addresses)
    while group := list(itertools.islice(iterator, len(boxes))):
        fitted = []
        for number, address in enumerate(group, start=done + 1):
            try:
                fitted.append(fit_address(address, inner_w, inner_h, (10.0, 7.0)))
            except ValueError as error:
                error.add_note(f"address {number}")
                raise
        for block, (x, y) in zip(fitted, boxes, strict=False):
            top = y + LABEL_H / 2 + block.height / 2
            draw_block(canvas, block, x + LABEL_PAD_X, top, inner_w)
        canvas.showPage()
        pages += 1
        done += len(group)
    if not done:
        raise ValueError("no addresses to print")
    canvas.save()
    return pages
