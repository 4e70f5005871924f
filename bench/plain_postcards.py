"""The plain reportlab script the postcard benchmarks compare with: no app, no checks.

    python bench/plain_postcards.py CARDS.json OUT.pdf

CARDS.json holds the lines the app would draw (laid out by its fitting beforehand, see
bench/pdf_bench.py), the font files and the sheet geometry. This script imports only the
standard library and reportlab, registers the same two TrueType fonts and draws every card
4-up, duplex (fronts, then mirrored backs), on reportlab's canvas the obvious way: one
rectangle stands for each artwork, then the strings, rectangles and lines. As a whole process
(`python` starting included) it is the baseline of the whole `flask letters postcards` command;
draw() alone is the in-process baseline (b).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

MM = 72 / 25.4


def register(fonts: dict[str, str]) -> None:
    """The same TrueType fonts as the app's, by name and file."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, path in fonts.items():
        pdfmetrics.registerFont(TTFont(name, path))


def _text(canvas: Any, block: dict[str, Any], left: float, top: float) -> None:
    canvas.setFont(block["font"], block["size"])
    y = top
    for line in block["body"]:
        canvas.drawString(left, y, line)
        y -= block["leading"]
    for line in block["tail"]:
        canvas.drawRightString(left + 64 * MM, y, line)
        y -= block["leading"]


def draw(data: dict[str, Any], path: str) -> int:
    """Draw data's cards to path, 4 to an A4 sheet, duplex; returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    cards, boxes, back_boxes = data["cards"], data["boxes"], data["back_boxes"]
    card_w, card_h = data["card_w"], data["card_h"]
    divider_x, address_x = data["divider_x"], data["address_x"]
    canvas = Canvas(path, pagesize=A4, invariant=1, pageCompression=1)
    pages = 0
    for start in range(0, len(cards), 4):
        group = cards[start : start + 4]
        for card, (x, y) in zip(group, boxes, strict=False):
            canvas.rect(x + 6 * MM, y + 40 * MM, 93 * MM, 102 * MM)  # stands for the artwork
            title = card["title"]
            if title is not None:
                canvas.setFont(title["font"], title["size"])
                for i, line in enumerate(title["body"]):
                    canvas.drawCentredString(x + 52.5 * MM, y + 30 * MM - i * 20, line)
        for x, y in boxes[: len(group)]:
            canvas.rect(x, y, card_w, card_h)
        canvas.showPage()
        for card, (x, y) in zip(group, back_boxes, strict=False):
            canvas.saveState()
            canvas.translate(x + card_w, y)
            canvas.rotate(90)
            canvas.line(divider_x, 6 * MM, divider_x, 99 * MM)
            canvas.rect(117 * MM, 69 * MM, 25 * MM, 30 * MM)
            _text(canvas, card["message"], 6 * MM, 99 * MM)
            _text(canvas, card["address"], address_x, 55 * MM)
            if card["return_address"] is not None:
                _text(canvas, card["return_address"], 6 * MM, 16 * MM)
            canvas.restoreState()
        for x, y in back_boxes[: len(group)]:
            canvas.rect(x, y, card_w, card_h)
        canvas.showPage()
        pages += 2
    canvas.save()
    return pages


def main(argv: list[str]) -> int:
    data = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    register(data["fonts"])
    pages = draw(data, argv[1])
    print(f"{len(data['cards'])} cards on {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
