"""Many postcards on A4 (2 x 2) or US Letter (2 side by side) sheets, at 100% size.

Layouts (each card box exactly 105 x 148 mm, drawn as a thin grey trim rectangle, which is the
cut line; card content stays 6 mm inside it):
- "a4-4up": 2 x 2 on A4 portrait. 2 x 105 mm fill the width exactly; 2 x 148 mm leave 1 mm of
  the 297 mm, split evenly, so the boxes sit at x = 0 | 105 | 210 mm and y = 0.5 | 148.5 |
  296.5 mm: cut on the centre lines x = 105 mm and y = 148.5 mm, then trim the outer edges
  (only the 0.5 mm strips at the top and bottom).
- "letter-2up": two cards side by side, centred on US Letter portrait (4 do not fit).
Modes:
- "duplex": per group of cards, a fronts sheet then a backs sheet whose positions are mirrored
  left-right, so that a long-edge flip puts each back behind its front;
- "message-only": only the backs (message + address), unmirrored, for printers that cannot
  duplex or drift (stick or draw the front, or use blank-backed cards);
- "fronts-only": only the fronts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, LETTER  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.letters.pdf.card import (
    CARD_H,
    CARD_W,
    PreparedCard,
    draw_back,
    draw_front,
    new_canvas,
    prepare_card,
)
from campaign_app.letters.pdf.model import (
    SHEET_LAYOUTS,
    SHEET_MODES,
    Card,
    SheetLayout,
    SheetMode,
    choose,
)
from campaign_app.letters.pdf.reuse import BlockForms

Box = tuple[float, float]  # a card box's bottom-left corner, in points
TRIM_GREY = 0.6
TRIM_WIDTH = 0.3


def sheet_geometry(layout: str) -> tuple[tuple[float, float], tuple[Box, ...]]:
    """(page size, card boxes in reading order: top row left to right, then the next row)."""
    choose(layout, SHEET_LAYOUTS, "layout")
    if layout == "a4-4up":
        page_w, page_h = A4
        margin_y = (page_h - 2 * CARD_H) / 2
        rows = (margin_y + CARD_H, margin_y)
        return (page_w, page_h), tuple((col * CARD_W, y) for y in rows for col in (0, 1))
    page_w, page_h = LETTER
    left = (page_w - 2 * CARD_W) / 2
    bottom = (page_h - CARD_H) / 2
    return (page_w, page_h), ((left, bottom), (left + CARD_W, bottom))


def mirrored(box: Box, page_w: float) -> Box:
    """Where a box's back goes on the next sheet for a long-edge flip: mirrored left-right."""
    x, y = box
    return (page_w - x - CARD_W, y)


def sheets_pdf(
    cards: Iterable[Card],
    out: BinaryIO,
    *,
    layout: SheetLayout,
    mode: SheetMode,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write the cards' sheets to out as one PDF; return the number of pages written.

    Each group of cards (4 or 2) is checked and fitted before any of it is drawn, and out gets
    the bytes only at the end, so a refused card (MissingGlyphs, MessageTooLong, with a note
    naming the card's number) leaves out untouched. on_progress gets the number of cards done
    after each group. Memory: reportlab keeps the pages until it writes them (about 10 kB a
    page, see bench/pdf_bench.py).
    """
    choose(mode, SHEET_MODES, "mode")
    page_size, boxes = sheet_geometry(layout)
    canvas = new_canvas(out, page_size)
    # A stack repeats its addresses, titles and phrase sets: each distinct text is fitted
    # once and drawn in full once (then placed by reference), per document.
    blocks = BlockForms(canvas)
    fitted: dict[tuple[object, ...], PreparedCard] = {}
    pages = done = 0
    iterator = iter(cards)
    while group := list(itertools.islice(iterator, len(boxes))):
        prepared = []
        for number, card in enumerate(group, start=done + 1):
            try:
                prepared.append(_prepare(card, fitted))
            except ValueError as error:
                error.add_note(f"card {number}")
                raise
        if mode != "message-only":
            _sheet(blocks, prepared, boxes, draw_front)
            pages += 1
        if mode != "fronts-only":
            backs = (
                boxes if mode == "message-only" else tuple(mirrored(b, page_size[0]) for b in boxes)
            )
            _sheet(blocks, prepared, backs, draw_back)
            pages += 1
        done += len(group)
        if on_progress is not None:
            on_progress(done)
    if not done:
        raise ValueError("no cards to print")
    canvas.save()
    return pages


def _prepare(card: Card, fitted: dict[tuple[object, ...], PreparedCard]) -> PreparedCard:
    """prepare_card(card), reusing the fitting of a card with the same texts."""
    texts = (card.front_title, card.message, card.signature, card.return_address, card.address)
    known = fitted.get(texts)
    if known is None:
        known = fitted[texts] = prepare_card(card)
    return known if known.artwork == card.artwork else replace(known, artwork=card.artwork)


def _sheet(
    blocks: BlockForms,
    cards: list[PreparedCard],
    boxes: tuple[Box, ...],
    draw: Callable[[Canvas, PreparedCard, float, float, BlockForms], None],
) -> None:
    canvas = blocks.canvas
    for card, (x, y) in zip(cards, boxes, strict=False):
        draw(canvas, card, x, y, blocks)
    canvas.saveState()
    canvas.setStrokeGray(TRIM_GREY)
    canvas.setLineWidth(TRIM_WIDTH)
    for x, y in boxes[: len(cards)]:
        canvas.rect(x, y, CARD_W, CARD_H, stroke=1, fill=0)
    canvas.restoreState()
    canvas.showPage()
