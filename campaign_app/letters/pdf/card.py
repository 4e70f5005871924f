"""The A6 postcard: its front and back drawn at any place on a page, and postcard_pdf.

Layout (mm; every mark stays SAFE = 6 mm inside each card edge):
- Front, portrait 105 x 148: the artwork above, the front title (bold, 22 pt down to 12 pt,
  centred, up to 30 mm tall) in a band at the bottom. A "blank" card is a plain frame for a
  child's drawing, with the title (if any) below the frame.
- Back, landscape 148 x 105 (the page stays portrait; the back is drawn turned a quarter turn
  anticlockwise, so its top runs along the page's left edge: turn the card clockwise to read
  it). This is the usual orientation of a postcard's address side, and postal rules want the
  long side at least 1.4 x the short one (148/105 = 1.41). A vertical dividing line at the
  middle (74 mm). Left half: the message (11 pt down to 8 pt), the signature right-aligned
  below it, the return address (if any, 7 pt) at the bottom. Right half: the stamp zone,
  74 x 40 mm at the top right, stays empty except for a light dashed 25 x 30 mm stamp box;
  below it, centred in the space left, the address block (10 pt down to 7 pt): addressee,
  lines, country in capitals.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.fonts import BOLD, REGULAR, register_fonts
from campaign_app.letters.pdf.artwork import draw_artwork
from campaign_app.letters.pdf.model import Address, Card
from campaign_app.letters.pdf.reuse import BlockForms
from campaign_app.letters.pdf.text import Fitted, fit

CARD_W = 105 * mm  # A6 portrait: 297.64 pt
CARD_H = 148 * mm  # 419.53 pt
SAFE = 6 * mm
BACK_W, BACK_H = CARD_H, CARD_W  # the back, read in landscape
DIVIDER_X = BACK_W / 2
GUTTER = 4 * mm  # between the dividing line and each half's text
COLUMN_W = DIVIDER_X - GUTTER - SAFE  # 64 mm, both halves
ADDRESS_X = DIVIDER_X + GUTTER
STAMP_ZONE_W, STAMP_ZONE_H = 74 * mm, 40 * mm
STAMP_BOX_W, STAMP_BOX_H = 25 * mm, 30 * mm
ADDRESS_TOP = BACK_H - STAMP_ZONE_H - 3 * mm
TITLE_BAND_H = 30 * mm
ART_GAP = 4 * mm

MESSAGE_SIZES = (11.0, 8.0)
ADDRESS_SIZES = (10.0, 7.0)
TITLE_SIZES = (22.0, 12.0)
RETURN_SIZE = 7.0
RETURN_MAX_H = 14 * mm
BACK_MARKS = "back_marks"  # the form holding the dividing line and the stamp box


@dataclass(frozen=True)
class PreparedCard:
    """A card whose every text has passed the glyph check and been fitted: ready to draw."""

    artwork: str
    title: Fitted | None
    message: Fitted
    address: Fitted
    return_address: Fitted | None


@functools.lru_cache(maxsize=512)
def _fit_public(
    text: str, font: str, width: float, height: float, sizes: tuple[float, float], field: str
) -> Fitted:
    # A stack of cards repeats the prisoner's address and the occasion's title on every card:
    # public texts, laid out once per process. Never used for what a sender writes.
    return fit(
        text,
        font=font,
        width=width,
        height=height,
        max_size=sizes[0],
        min_size=sizes[1],
        field=field,
        shrink_before_wrapping=field == "address",
    )


def fit_address(
    address: Address, width: float, height: float, sizes: tuple[float, float]
) -> Fitted:
    """The address lines (each wrapped if it must be) at the largest size that fits."""
    return _fit_public("\n".join(address.printed_lines()), REGULAR, width, height, sizes, "address")


def prepare_card(card: Card) -> PreparedCard:
    """Check and fit all of a card's text; raises MissingGlyphs or MessageTooLong."""
    register_fonts()
    title = None
    if card.front_title.strip():
        # The occasion's title, not the sender's words.
        title = _fit_public(
            card.front_title, BOLD, CARD_W - 2 * SAFE, TITLE_BAND_H, TITLE_SIZES, "front_title"
        )
    return_address = None
    message_bottom = SAFE
    if card.return_address.strip():
        return_address = fit(
            card.return_address,
            font=REGULAR,
            width=COLUMN_W,
            height=RETURN_MAX_H,
            max_size=RETURN_SIZE,
            min_size=RETURN_SIZE,
            field="return_address",
        )
        message_bottom += return_address.height + 3 * mm
    message = fit(
        card.message,
        font=REGULAR,
        width=COLUMN_W,
        height=BACK_H - SAFE - message_bottom,
        max_size=MESSAGE_SIZES[0],
        min_size=MESSAGE_SIZES[1],
        field="message",
        tail=card.signature,
    )
    address = fit_address(card.address, COLUMN_W, ADDRESS_TOP - SAFE, ADDRESS_SIZES)
    return PreparedCard(card.artwork, title, message, address, return_address)


def draw_front(
    canvas: Canvas, card: PreparedCard, x: float, y: float, blocks: BlockForms | None = None
) -> None:
    """The front, portrait, with the card's bottom-left corner at (x, y). blocks: the texts
    the document has drawn already (a stack's cards share their title)."""
    blocks = blocks or BlockForms(canvas)
    inner_w = CARD_W - 2 * SAFE
    art_bottom = SAFE
    if card.title is not None:
        art_bottom += TITLE_BAND_H + ART_GAP
        band_middle = y + SAFE + TITLE_BAND_H / 2
        canvas.setFillColorRGB(0.15, 0.15, 0.15)
        blocks.draw(
            card.title,
            x + SAFE,
            band_middle + card.title.height / 2,
            inner_w,
            align="centre",
        )
    draw_artwork(
        canvas, card.artwork, x + SAFE, y + art_bottom, inner_w, CARD_H - SAFE - art_bottom
    )


def draw_back(
    canvas: Canvas, card: PreparedCard, x: float, y: float, blocks: BlockForms | None = None
) -> None:
    """The back, turned to landscape, in the portrait box whose bottom-left corner is (x, y).
    blocks: the texts the document has drawn already (a stack's cards share their address)."""
    blocks = blocks or BlockForms(canvas)
    canvas.saveState()
    canvas.translate(x + CARD_W, y)
    canvas.rotate(90)
    _draw_back_marks(canvas)
    canvas.setFillColorRGB(0, 0, 0)
    blocks.draw(card.message, SAFE, BACK_H - SAFE, COLUMN_W)
    if card.return_address is not None:
        top = SAFE + card.return_address.height
        canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
        canvas.line(SAFE, top + 1.5 * mm, SAFE + COLUMN_W, top + 1.5 * mm)
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        blocks.draw(card.return_address, SAFE, top, COLUMN_W)
        canvas.setFillColorRGB(0, 0, 0)
    # Centred in the space under the stamp zone: the lower right, where post offices look.
    address_top = ADDRESS_TOP - (ADDRESS_TOP - SAFE - card.address.height) / 2
    blocks.draw(card.address, ADDRESS_X, address_top, COLUMN_W)
    canvas.restoreState()


def _draw_back_marks(canvas: Canvas) -> None:
    """The dividing line and the dashed stamp box, the same on every back: drawn once per
    document, as a form XObject (its colours and dash stay inside it), placed on each back."""
    if not canvas.hasForm(BACK_MARKS):
        canvas.beginForm(BACK_MARKS, 0, 0, BACK_W, BACK_H)
        canvas.setStrokeColorRGB(0.55, 0.55, 0.55)
        canvas.setLineWidth(0.5)
        canvas.line(DIVIDER_X, SAFE, DIVIDER_X, BACK_H - SAFE)
        canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
        canvas.setDash(3, 2)
        x, y = BACK_W - SAFE - STAMP_BOX_W, BACK_H - SAFE - STAMP_BOX_H
        canvas.rect(x, y, STAMP_BOX_W, STAMP_BOX_H)
        canvas.endForm()
    canvas.doForm(BACK_MARKS)


def new_canvas(out: BinaryIO, pagesize: tuple[float, float]) -> Canvas:
    """A canvas with the fonts registered; invariant, so equal input gives equal bytes."""
    register_fonts()
    return Canvas(out, pagesize=pagesize, invariant=1, pageCompression=1)


def postcard_pdf(card: Card) -> bytes:
    """One A6 postcard, 2 pages: the front, then the back (message and address)."""
    prepared = prepare_card(card)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (CARD_W, CARD_H))
    draw_front(canvas, prepared, 0, 0)
    canvas.showPage()
    draw_back(canvas, prepared, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
