"""Sample cards and reading the letters' PDFs back: page sizes, text, where words are drawn."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from reportlab.lib.units import mm

from campaign_app.letters.pdf import Address, Card

ADDRESS_LINES = (
    "Беляцкому Алесю Викторовичу",
    "ИК-2, отряд 14",
    "ул. Сикорского, 1",
    "213807, г. Бобруйск",
    "Могилёвская обл.",
    "REPUBLIC OF BELARUS",
)
ADDRESS = Address(ADDRESS_LINES[0], ADDRESS_LINES[1:5], "Republic of Belarus")
PHRASES = (
    "Дорогой Алесь!",
    "Поздравляю Вас с днём рождения!",
    "Желаю Вам здоровья и сил.",
    "Мы помним о Вас.",
)
MESSAGE = " ".join(PHRASES)
A6 = (297.64, 419.53)
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
SAFE = 6 * mm


def make_card(**overrides: Any) -> Card:
    fields: dict[str, Any] = {
        "occasion": "birthday",
        "front_title": "С днём рождения!",
        "message": MESSAGE,
        "signature": "Анна",
        "address": ADDRESS,
    }
    fields.update(overrides)
    return Card(**fields)


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def page_text(data: bytes, index: int) -> str:
    return PdfReader(io.BytesIO(data)).pages[index].extract_text()


def text_lines(data: bytes, index: int) -> list[str]:
    return [line.strip() for line in page_text(data, index).splitlines() if line.strip()]


def flat(text: str) -> str:
    """Whitespace (line breaks of wrapped text included) as single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def word_boxes(page: Any, word: str) -> list[dict[str, Any]]:
    """The chars of the first occurrence of word, in drawing order (works for turned text)."""
    chars = [char for char in page.chars if char["text"].strip()]
    drawn = "".join(char["text"] for char in chars)
    start = drawn.index(word.replace(" ", ""))
    return chars[start : start + len(word.replace(" ", ""))]


def font_size(char: dict[str, Any]) -> float:
    """A char's font size, also for text turned a quarter (pdfplumber's "size" is the box's
    height, and a turned char's box is one em wide)."""
    return round(char["size"] if char["upright"] else char["width"], 2)


def outside(obj: dict[str, Any], x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether a pdfplumber object pokes out of a box (pdfplumber's top-down coordinates)."""
    tolerance = 0.01
    return (
        obj["x0"] < x0 - tolerance
        or obj["x1"] > x1 + tolerance
        or obj["top"] < top - tolerance
        or obj["bottom"] > bottom + tolerance
    )


def drawn_objects(page: Any) -> list[dict[str, Any]]:
    return [*page.chars, *page.lines, *page.rects, *page.curves]
