"""The shipped TrueType fonts (DejaVu Sans: Latin + Cyrillic incl. ў і ё ’), their glyph map
and metrics: one module for every renderer (letters' PDFs, export PDFs, the share image).

reportlab's built-in fonts and its bundled Vera have no Cyrillic, so every renderer draws with
these two fonts only, registered once per process. What to do with a character they lack is
the renderer's choice: letters refuse the text (letters.pdf.errors.check_glyphs), a delivery
list draws "?". Core module: imports no feature.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reportlab loads with the first font use, not when the app starts
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

# campaign_app/ (this file is campaign_app/fonts.py)
PACKAGE_DIR = Path(__file__).resolve().parent


def font_folder(package_dir: Path = PACKAGE_DIR) -> Path:
    """The folder holding the shipped .ttf files.

    Like campaign_app._asset_folder("static"): CAMPAIGN_STATIC_FOLDER if set (and it has the
    fonts), else the copy an installed build carries inside the package (campaign_app/static),
    else static/ beside the package, as in a checkout or an editable install.
    """
    override = os.environ.get("CAMPAIGN_STATIC_FOLDER")
    candidates = [Path(override) / "fonts"] if override else []
    candidates += [package_dir / "static" / "fonts", package_dir.parent / "static" / "fonts"]
    for folder in candidates:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    tried = ", ".join(str(folder) for folder in candidates)
    raise FileNotFoundError(f"the PDF fonts {sorted(FONT_FILES.values())} are not in {tried}")


@functools.cache
def _registered() -> dict[str, TTFont]:
    from reportlab import rl_config  # type: ignore[import-untyped, unused-ignore]
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]

    # Every renderer registers the fonts before drawing, so this is the place for the one
    # setting they share: binary (Flate-only) streams. reportlab's default also ASCII85-encodes
    # them, which makes each PDF a quarter larger and costs a tenth of the drawing time, for
    # 7-bit-clean files nobody here needs.
    rl_config.useA85 = 0
    folder = font_folder()
    fonts = {name: TTFont(name, str(folder / filename)) for name, filename in FONT_FILES.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    return fonts


def register_fonts() -> None:
    """Register the fonts with reportlab, once per process (later calls return at once)."""
    _registered()


@functools.cache
def _cmap(font_name: str) -> frozenset[int]:
    return frozenset(_registered()[font_name].face.charToGlyph)


@functools.cache
def _drawable(font_name: str) -> frozenset[str]:
    # The same glyphs as characters (and the line break, never drawn), for a check in C.
    return frozenset(map(chr, _cmap(font_name))) | {"\n"}


def missing_glyphs(text: str, font_name: str = REGULAR) -> tuple[str, ...]:
    """The characters of text (each once, in order) that font_name has no glyph for."""
    if _drawable(font_name).issuperset(text):  # the usual case: a set check, no Python loop
        return ()
    cmap = _cmap(font_name)
    missing: dict[str, None] = {}
    for char in text:
        if char != "\n" and ord(char) not in cmap:
            missing[char] = None
    return tuple(missing)


def string_width(text: str, font_name: str, size: float) -> float:
    """Width of text in points, as reportlab will draw it (TrueType: no kerning)."""
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]

    register_fonts()
    return float(pdfmetrics.stringWidth(text, font_name, size))


def ascent(font_name: str) -> float:
    """The font's ascent as a fraction of the font size."""
    return float(_registered()[font_name].face.ascent) / 1000.0
