"""Pure PDF renderers for cards, sheets, letters, envelopes, labels and posters.

Data in, bytes (or a stream) out: no Flask, no database, no request. All text is drawn with the
shipped DejaVu Sans (Latin + Cyrillic incl. ў і ё ’); a character the font lacks is refused with
MissingGlyphs, and text that does not fit at the smallest readable size with MessageTooLong
(carrying excess_chars), never drawn as boxes, truncated or overflowing. Each module's
docstring documents its layout.
"""

from campaign_app.fonts import missing_glyphs
from campaign_app.letters.pdf.card import postcard_pdf
from campaign_app.letters.pdf.envelope import envelope_pdf, labels_pdf
from campaign_app.letters.pdf.errors import MessageTooLong, MissingGlyphs, check_glyphs
from campaign_app.letters.pdf.letter import letter_pdf
from campaign_app.letters.pdf.model import (
    Address,
    Artwork,
    Card,
    EnvelopeSize,
    PosterSize,
    SheetLayout,
    SheetMode,
)
from campaign_app.letters.pdf.poster import poster_pdf
from campaign_app.letters.pdf.sheets import sheets_pdf

__all__ = [
    "Address",
    "Artwork",
    "Card",
    "EnvelopeSize",
    "MessageTooLong",
    "MissingGlyphs",
    "PosterSize",
    "SheetLayout",
    "SheetMode",
    "check_glyphs",
    "envelope_pdf",
    "labels_pdf",
    "letter_pdf",
    "missing_glyphs",
    "postcard_pdf",
    "poster_pdf",
    "sheets_pdf",
]
