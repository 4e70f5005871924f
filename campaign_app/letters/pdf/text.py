"""Wrapping and fitting text into boxes: shrink step by step, then refuse; never truncate.

A box is filled top-down with paragraphs (the text's lines, each word-wrapped; a word wider than
the box is broken between characters) and an optional tail (a signature, right-aligned after
half a line of space). Fitting tries sizes from max_size down to min_size in steps; when even
min_size overflows it raises MessageTooLong with how many characters of the body to cut, found
by a binary search on the body's length at min_size.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.textobject import PDFTextObject  # type: ignore[import-untyped, unused-ignore]

from campaign_app.fonts import ascent, string_width
from campaign_app.letters.pdf.errors import MessageTooLong, check_glyphs

LEADING = 1.25  # line height as a multiple of the font size
TAIL_GAP = 0.5  # space before the tail, in lines
Align = Literal["left", "right", "centre"]


def clean_text(text: str) -> str:
    """NFC-normalised (a decomposed й becomes one character), tabs as spaces, \\n line ends."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()


@dataclass(frozen=True)
class Fitted:
    """Text laid out at one size: the lines to draw, top-down."""

    font: str
    size: float
    body: tuple[str, ...]
    tail: tuple[str, ...] = ()
    tail_font: str = ""

    @property
    def leading(self) -> float:
        return self.size * LEADING

    @property
    def height(self) -> float:
        return block_height(len(self.body), len(self.tail), self.size)


def block_height(body_lines: int, tail_lines: int, size: float) -> float:
    """Height in points of body_lines + tail_lines at size (nothing is 0)."""
    gap = TAIL_GAP if body_lines and tail_lines else 0.0
    return (body_lines + tail_lines + gap) * size * LEADING


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy word wrap of text's lines (blank lines kept) at width; measure gives a width."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        space = measure(" ")
        current: list[str] = []
        used = 0.0
        for word in words:
            word_width = measure(word)
            if current and used + space + word_width <= width:
                current.append(word)
                used += space + word_width
                continue
            if current:
                lines.append(" ".join(current))
            if word_width > width:
                *full, word = _break_word(word, width, measure)
                lines.extend(full)
                word_width = measure(word)
            current, used = [word], word_width
        lines.append(" ".join(current))
    return lines


def _break_word(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and measure(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    pieces.append(piece)
    return pieces


@functools.lru_cache(maxsize=65536)
def _unit_width(font: str, text: str) -> float:
    # Batches repeat the same words on every card: measure each once per process (bounded).
    return string_width(text, font, 1.0)


def _measure(font: str, size: float) -> Callable[[str], float]:
    def measure(text: str) -> float:
        return _unit_width(font, text) * size

    return measure


def _sizes(max_size: float, min_size: float, step: float) -> list[float]:
    sizes = []
    size = max_size
    while size > min_size + 1e-9:
        sizes.append(size)
        size = round(size - step, 3)
    sizes.append(min_size)
    return sizes


def fit(
    body: str,
    *,
    font: str,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    field: str,
    tail: str = "",
    tail_font: str = "",
    tail_field: str = "signature",
    step: float = 0.5,
    shrink_before_wrapping: bool = False,
) -> Fitted:
    """Lay body (and tail) out in a width x height box at the largest size that fits.

    Checks glyphs first (MissingGlyphs); raises MessageTooLong when min_size overflows. With
    shrink_before_wrapping (addresses), a size at which no line of body needs wrapping wins
    over a larger one that wraps; lines are wrapped only when min_size needs it.
    """
    body, tail = clean_text(body), clean_text(tail)
    tail_font = tail_font or font
    check_glyphs(body, font, field=field)
    check_glyphs(tail, tail_font, field=tail_field)

    def layout(text: str, size: float, unwrapped: bool = False) -> Fitted | None:
        lines = wrap(text, width, _measure(font, size)) if text else []
        if unwrapped and len(lines) > text.count("\n") + 1:
            return None
        tail_lines = wrap(tail, width, _measure(tail_font, size)) if tail else []
        if block_height(len(lines), len(tail_lines), size) > height + 1e-6:
            return None
        return Fitted(font, size, tuple(lines), tuple(tail_lines), tail_font)

    passes = (True, False) if shrink_before_wrapping else (False,)
    for unwrapped in passes:
        for size in _sizes(max_size, min_size, step):
            fitted = layout(body, size, unwrapped)
            if fitted is not None:
                return fitted
    if layout("", min_size) is None:
        # Not even the tail alone fits: that is the field to shorten.
        keep = _longest_prefix(
            tail, lambda n: _tail_fits(tail[:n], width, height, min_size, tail_font)
        )
        raise MessageTooLong(len(tail) - keep, field=tail_field, min_size=min_size)
    keep = _longest_prefix(body, lambda n: layout(body[:n], min_size) is not None)
    raise MessageTooLong(len(body) - keep, field=field, min_size=min_size)


def _tail_fits(text: str, width: float, height: float, size: float, font: str) -> bool:
    lines = wrap(text, width, _measure(font, size)) if text else []
    return block_height(0, len(lines), size) <= height + 1e-6


def _longest_prefix(text: str, fits: Callable[[int], bool]) -> int:
    """The largest n such that text[:n] fits (fitting is monotonic in n); 0 if none."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def draw_block(
    canvas: Canvas,
    fitted: Fitted,
    x: float,
    top: float,
    width: float,
    *,
    align: Align = "left",
) -> float:
    """Draw fitted text with its first line's ascent at top; return the y below the block.

    One text object for the whole block; its lines are glyph-checked again right here, so
    nothing reaches the page unchecked.
    """
    size, leading = fitted.size, fitted.leading
    check_glyphs("".join(fitted.body), fitted.font)
    check_glyphs("".join(fitted.tail), fitted.tail_font or fitted.font)
    text = canvas.beginText()
    y = top - ascent(fitted.font) * size
    text.setFont(fitted.font, size)
    for line in fitted.body:
        _line(text, line, x, y, width, fitted.font, size, align)
        y -= leading
    if fitted.tail:
        y -= leading * TAIL_GAP if fitted.body else 0.0
        text.setFont(fitted.tail_font, size)
        for line in fitted.tail:
            _line(text, line, x, y, width, fitted.tail_font, size, "right")
            y -= leading
    canvas.drawText(text)
    return top - fitted.height


def _line(
    text: PDFTextObject,
    line: str,
    x: float,
    y: float,
    width: float,
    font: str,
    size: float,
    align: Align,
) -> None:
    if not line:
        return
    if align != "left":
        spare = width - _unit_width(font, line) * size
        x += spare if align == "right" else spare / 2
    text.setTextOrigin(x, y)
    text.textOut(line)


def draw_line(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    font: str,
    size: float,
    align: Align,
) -> None:
    """Draw one line on its baseline y, in the box [x, x + width], glyph-checked."""
    if not text:
        return
    check_glyphs(text, font)
    canvas.setFont(font, size)
    if align == "right":
        canvas.drawRightString(x + width, y, text)
    elif align == "centre":
        canvas.drawCentredString(x + width / 2, y, text)
    else:
        canvas.drawString(x, y, text)
