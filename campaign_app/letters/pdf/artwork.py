"""Front designs drawn as reportlab vector shapes, each inside a given box.

No images and no text: nothing a censor could read as a code, and it prints sharp at any size.
The drawings live in art_celebration.py (balloons, cake, snowflakes, fir) and art_everyday.py
(candle, flowers, ornament, the frame for a child's drawing).
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.letters.pdf import art_celebration, art_everyday
from campaign_app.letters.pdf.model import ARTWORKS, choose
from campaign_app.letters.pdf.palette import Drawer

DRAWERS: dict[str, Drawer] = {
    "balloons": art_celebration.balloons,
    "cake": art_celebration.cake,
    "snowflake": art_celebration.snowflakes,
    "fir": art_celebration.fir,
    "candle": art_everyday.candle,
    "flowers": art_everyday.flowers,
    "ornament": art_everyday.ornament,
    "blank": art_everyday.drawing_frame,
}
assert set(DRAWERS) == set(ARTWORKS)


def draw_artwork(canvas: Canvas, artwork: str, x: float, y: float, w: float, h: float) -> None:
    """Draw artwork inside the box (x, y, w, h); nothing is drawn outside it.

    Each artwork of a given size is drawn once per document, as a form XObject, and placed by
    reference on every card after that: a 250-sheet batch stays fast and small.
    """
    choose(artwork, ARTWORKS, "artwork")
    name = f"art_{artwork}_{round(w * 100)}_{round(h * 100)}"
    if not canvas.hasForm(name):
        canvas.beginForm(name, 0, 0, w, h)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        DRAWERS[artwork](canvas, 0, 0, w, h)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()
