"""Text blocks a document draws again and again, drawn once and placed by reference.

A stack of postcards repeats itself: every card of a prisoner carries the same address, every
card of an occasion the same title, and the phrase sets come round again and again. Like the
artwork (letters/pdf/artwork.py), a fitted block drawn a second time in a document becomes a
form XObject, drawn (and glyph-checked) once and placed on every card after that: reportlab
then encodes its lines once instead of on every card, and the PDF is smaller. A block drawn
only once (a card's own message, a single postcard) is drawn in place as before.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.letters.pdf.text import Align, Fitted, draw_block

# What a form's bounding box keeps round the block's box [0, width] x [-height, 0], in ems:
# room for accents above the first line and descenders below the last, never clipped.
BOX_MARGIN_EMS = 1.0

Key = tuple[Fitted, float, Align]


class BlockForms:
    """The text blocks drawn on one canvas: once drawn in place, from then on by reference."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._forms: dict[Key, str | None] = {}  # None: drawn once, in place
        self._made = 0

    def draw(
        self, fitted: Fitted, x: float, top: float, width: float, *, align: Align = "left"
    ) -> None:
        """Draw fitted with its first line's ascent at top, as text.draw_block does."""
        key = (fitted, width, align)
        name = self._forms.get(key, "")
        if name == "":  # the first time: in place
            self._forms[key] = None
            draw_block(self.canvas, fitted, x, top, width, align=align)
            return
        if name is None:
            name = self._forms[key] = self._new_form(fitted, width, align)
        canvas = self.canvas
        canvas.saveState()
        canvas.translate(x, top)
        canvas.doForm(name)
        canvas.restoreState()

    def _new_form(self, fitted: Fitted, width: float, align: Align) -> str:
        # Colours are not part of the form: it takes the fill colour in force where it is used.
        self._made += 1
        name = f"text_{self._made}"
        margin = BOX_MARGIN_EMS * fitted.size
        canvas = self.canvas
        canvas.beginForm(name, -margin, -fitted.height - margin, width + margin, margin)
        draw_block(canvas, fitted, 0, 0, width, align=align)
        canvas.endForm()
        return name
