"""The share image (1200 x 630 PNG) drawn with Pillow: pure, data in, bytes out."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
PAPER = (255, 255, 255)
INK = (29, 29, 31)
MUTED = (85, 87, 92)
ACCENT = (155, 28, 28)
TRACK = (228, 229, 233)
TITLE_TOP = 116
TITLE_SIZES = (68, 60, 54, 48, 42, 38)
COUNT_TOP = HEIGHT - 200
TITLE_HEIGHT = COUNT_TOP - 24 - TITLE_TOP


@dataclass(frozen=True)
class ShareCard:
    """What the image shows; every text already translated and formatted."""

    title: str
    count_line: str  # "12,345 signatures"
    campaign: str
    site: str  # "petitions.example.org"
    progress: float | None  # share of the goal reached, 0..1; None: no goal bar


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path


@functools.cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut where it must be."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while font.getlength(line) > width:
            cut = len(line) - 1
            while cut > 1 and font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * 1.18)


def _fit_title(title: str, bold: Path, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the whole title fits its box; else the smallest, cut with "…"."""
    for size in TITLE_SIZES:
        font = _font(bold, size)
        lines = _wrap(title, font, width)
        if len(lines) * _line_height(font) <= TITLE_HEIGHT:
            return font, lines
    lines = lines[: TITLE_HEIGHT // _line_height(font)]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def _fit_line(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_share_image(card: ShareCard, fonts: Fonts) -> bytes:
    """The PNG bytes of the share image for ``card``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    campaign_font = _font(fonts.bold, 30)
    draw.text(
        (MARGIN, 58),
        _fit_line(card.campaign.upper(), campaign_font, text_width),
        font=campaign_font,
        fill=ACCENT,
    )

    title_font, lines = _fit_title(card.title, fonts.bold, text_width)
    for number, line in enumerate(lines):
        y = TITLE_TOP + number * _line_height(title_font)
        draw.text((MARGIN, y), line, font=title_font, fill=INK)

    count_font = _font(fonts.bold, 54)
    draw.text(
        (MARGIN, COUNT_TOP),
        _fit_line(card.count_line, count_font, text_width),
        font=count_font,
        fill=ACCENT,
    )
    if card.progress is not None:
        bar_y = HEIGHT - 112
        draw.rounded_rectangle((MARGIN, bar_y, WIDTH - MARGIN, bar_y + 22), 11, fill=TRACK)
        filled = round(text_width * min(1.0, max(0.0, card.progress)))
        if filled >= 22:
            draw.rounded_rectangle((MARGIN, bar_y, MARGIN + filled, bar_y + 22), 11, fill=ACCENT)

    site_font = _font(fonts.regular, 26)
    draw.text((MARGIN, HEIGHT - 66), card.site, font=site_font, fill=MUTED)

    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True: 2-3x slower for 5% fewer bytes
    return out.getvalue()
