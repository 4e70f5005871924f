"""The "Happy Birthday, <name>!" poster for photo actions: Belarusian, English, Russian.

Layout (portrait A4 or A3; A3 is A4 scaled by sqrt(2)): a coloured frame 10 mm inside the
edges; inside it three equal bands, one per language (Belarusian, English, Russian), split by
thin rules. Each band: the greeting ("З днём нараджэння," / "Happy Birthday," / "С днём
рождения,") in bold, up to 48 pt on A4, and under it the name with "!" in bold, up to 96 pt,
each line as large as its width allows. A name that would fall below 28 pt (A4) is refused with
MessageTooLong (field "name_be" / "name_en" / "name_ru") and how many characters to cut.
"""

from __future__ import annotations

import io
import math

from reportlab.lib.pagesizes import A3, A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]

from campaign_app.fonts import BOLD, ascent, string_width
from campaign_app.letters.pdf.card import new_canvas
from campaign_app.letters.pdf.errors import MessageTooLong, check_glyphs
from campaign_app.letters.pdf.model import POSTER_SIZES, PosterSize, choose
from campaign_app.letters.pdf.text import LEADING, clean_text, draw_line

GREETINGS = (
    ("be", "З днём нараджэння,", (0.72, 0.16, 0.20)),
    ("en", "Happy Birthday,", (0.12, 0.30, 0.55)),
    ("ru", "С днём рождения,", (0.16, 0.45, 0.25)),
)
GREETING_MAX, NAME_MAX, NAME_MIN = 48.0, 96.0, 28.0  # points on A4


def _size_for(text: str, width: float, largest: float) -> float:
    return min(largest, width / string_width(text, BOLD, 1.0))


def poster_pdf(name_be: str, name_en: str, name_ru: str, size: PosterSize) -> bytes:
    """One poster page, A4 or A3 portrait, greeting the named person in three languages."""
    choose(size, POSTER_SIZES, "poster size")
    page_w, page_h = A4 if size == "A4" else A3
    scale = 1.0 if size == "A4" else math.sqrt(2)
    frame = 10 * mm * scale
    pad = 8 * mm * scale
    width = page_w - 2 * (frame + pad)
    band_h = (page_h - 2 * (frame + pad)) / 3
    names = {"be": name_be, "en": name_en, "ru": name_ru}

    lines = []
    for language, greeting, colour in GREETINGS:
        name = clean_text(names[language]).replace("\n", " ")
        field = f"name_{language}"
        if not name:
            raise ValueError(f"{field} is empty")
        check_glyphs(name, BOLD, field=field)
        shout = f"{name}!"
        greeting_size = _size_for(greeting, width, GREETING_MAX * scale)
        name_size = _size_for(shout, width, NAME_MAX * scale)
        name_size = min(name_size, band_h / LEADING - greeting_size)
        minimum = NAME_MIN * scale
        if name_size < minimum:
            keep = len(name)
            while keep and string_width(f"{name[:keep]}!", BOLD, minimum) > width:
                keep -= 1
            raise MessageTooLong(len(name) - keep, field=field, min_size=minimum)
        lines.append((greeting, greeting_size, shout, name_size, colour))

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (page_w, page_h))
    canvas.setLineWidth(3 * scale)
    canvas.setStrokeColorRGB(0.85, 0.55, 0.2)
    canvas.rect(frame, frame, page_w - 2 * frame, page_h - 2 * frame, stroke=1, fill=0)
    x = frame + pad
    top = page_h - frame - pad
    for index, (greeting, greeting_size, shout, name_size, colour) in enumerate(lines):
        band_top = top - index * band_h
        block_h = (greeting_size + name_size) * LEADING
        y = band_top - (band_h - block_h) / 2 - ascent(BOLD) * greeting_size
        canvas.setFillColorRGB(*colour)
        draw_line(canvas, greeting, x, y, width, BOLD, greeting_size, "centre")
        y -= greeting_size * (LEADING - ascent(BOLD)) + ascent(BOLD) * name_size
        draw_line(canvas, shout, x, y, width, BOLD, name_size, "centre")
        if index:
            canvas.setStrokeGray(0.8)
            canvas.setLineWidth(0.8 * scale)
            canvas.line(x + width * 0.2, band_top, x + width * 0.8, band_top)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
