"""Front artwork drawn as reportlab vector shapes, one per occasion, each inside a given box.

No images and no text: nothing a censor could read as a code, and it prints sharp at any size.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.letters.pdf.model import ARTWORKS, choose

Rgb = tuple[float, float, float]
RED: Rgb = (0.86, 0.24, 0.27)
YELLOW: Rgb = (0.98, 0.78, 0.22)
BLUE: Rgb = (0.25, 0.52, 0.82)
GREEN: Rgb = (0.30, 0.60, 0.32)
ICE: Rgb = (0.36, 0.62, 0.86)
GREY: Rgb = (0.45, 0.45, 0.45)


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


def _balloons(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    knot_x, knot_y = x + w * 0.5, y + h * 0.04
    balloons = [(0.30, 0.62, RED), (0.70, 0.66, BLUE), (0.50, 0.76, YELLOW)]
    rx, ry = w * 0.17, h * 0.17
    canvas.setLineWidth(0.8)
    canvas.setStrokeColorRGB(*GREY)
    for fx, fy, _ in balloons:
        bx, by = x + w * fx, y + h * fy - ry
        canvas.bezier(
            bx, by, bx - w * 0.06, by - h * 0.2, knot_x + w * 0.05, knot_y + h * 0.2, knot_x, knot_y
        )
    for fx, fy, colour in balloons:
        cx, cy = x + w * fx, y + h * fy
        canvas.setFillColorRGB(*colour)
        canvas.setStrokeColorRGB(*colour)
        canvas.ellipse(cx - rx, cy - ry, cx + rx, cy + ry, stroke=0, fill=1)
        path = canvas.beginPath()
        path.moveTo(cx, cy - ry)
        path.lineTo(cx - rx * 0.15, cy - ry - h * 0.025)
        path.lineTo(cx + rx * 0.15, cy - ry - h * 0.025)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.ellipse(
            cx - rx * 0.55, cy + ry * 0.25, cx - rx * 0.25, cy + ry * 0.65, stroke=0, fill=1
        )


def _snowflake(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    cx, cy = x + w / 2, y + h / 2
    radius = min(w, h) * 0.42
    canvas.setStrokeColorRGB(*ICE)
    canvas.setLineWidth(max(1.5, radius * 0.045))
    for arm in range(6):
        angle = math.radians(90 + arm * 60)
        tip = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        canvas.line(cx, cy, *tip)
        for along, length in ((0.45, 0.26), (0.72, 0.18)):
            bx = cx + radius * along * math.cos(angle)
            by = cy + radius * along * math.sin(angle)
            for turn in (-0.8, 0.8):
                canvas.line(
                    bx,
                    by,
                    bx + radius * length * math.cos(angle + turn),
                    by + radius * length * math.sin(angle + turn),
                )
    canvas.setFillColorRGB(*ICE)
    canvas.circle(cx, cy, radius * 0.08, stroke=0, fill=1)
    for fx, fy in ((0.08, 0.9), (0.9, 0.82), (0.12, 0.12), (0.88, 0.1), (0.5, 0.02)):
        canvas.circle(x + w * fx, y + h * fy, min(w, h) * 0.015, stroke=0, fill=1)


def _candle(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    cx = x + w / 2
    body_w, body_h = w * 0.2, h * 0.48
    body_y = y + h * 0.08
    flame_base = body_y + body_h + h * 0.04
    for radius, shade in ((0.3, 0.97), (0.22, 0.93), (0.14, 0.88)):
        canvas.setFillColorRGB(1.0, shade, 0.75)
        canvas.circle(cx, flame_base + h * 0.1, min(w, h) * radius, stroke=0, fill=1)
    canvas.setFillColorRGB(0.75, 0.75, 0.78)
    canvas.ellipse(cx - w * 0.3, y, cx + w * 0.3, y + h * 0.12, stroke=0, fill=1)
    canvas.setFillColorRGB(0.96, 0.94, 0.88)
    canvas.setStrokeColorRGB(0.7, 0.66, 0.55)
    canvas.setLineWidth(0.8)
    canvas.rect(cx - body_w / 2, body_y, body_w, body_h, stroke=1, fill=1)
    canvas.setStrokeColorRGB(0.2, 0.2, 0.2)
    canvas.setLineWidth(1.2)
    canvas.line(cx, body_y + body_h, cx, flame_base + h * 0.01)
    for scale, colour in ((1.0, (0.95, 0.55, 0.15)), (0.55, YELLOW)):
        fw, fh = w * 0.07 * scale, h * 0.2 * scale
        path = canvas.beginPath()
        path.moveTo(cx, flame_base)
        path.curveTo(cx - fw * 1.6, flame_base, cx - fw, flame_base + fh * 0.6, cx, flame_base + fh)
        path.curveTo(cx + fw, flame_base + fh * 0.6, cx + fw * 1.6, flame_base, cx, flame_base)
        path.close()
        canvas.setFillColorRGB(*colour)
        canvas.drawPath(path, stroke=0, fill=1)


def _flowers(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    flowers = [(0.25, 0.62, RED), (0.5, 0.78, YELLOW), (0.75, 0.58, BLUE)]
    base_x, base_y = x + w * 0.5, y + h * 0.02
    petal = min(w, h) * 0.075
    canvas.setStrokeColorRGB(*GREEN)
    canvas.setLineWidth(2)
    for fx, fy, _ in flowers:
        hx, hy = x + w * fx, y + h * fy
        canvas.bezier(base_x, base_y, base_x, base_y + h * 0.3, hx, hy - h * 0.3, hx, hy)
    canvas.setFillColorRGB(*GREEN)
    for side in (-1, 1):
        lx, ly = base_x + side * w * 0.09, base_y + h * 0.16
        canvas.ellipse(
            lx - w * 0.08, ly - h * 0.025, lx + w * 0.08, ly + h * 0.025, stroke=0, fill=1
        )
    for fx, fy, colour in flowers:
        hx, hy = x + w * fx, y + h * fy
        canvas.setFillColorRGB(*colour)
        for n in range(6):
            angle = math.radians(n * 60)
            canvas.circle(
                hx + petal * math.cos(angle),
                hy + petal * math.sin(angle),
                petal * 0.75,
                stroke=0,
                fill=1,
            )
        canvas.setFillColorRGB(0.55, 0.35, 0.15)
        canvas.circle(hx, hy, petal * 0.6, stroke=0, fill=1)


def _blank(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(1)
    canvas.roundRect(x + 0.5, y + 0.5, w - 1, h - 1, min(w, h) * 0.04, stroke=1, fill=0)


DRAWERS: dict[str, Callable[[Canvas, float, float, float, float], None]] = {
    "balloons": _balloons,
    "snowflake": _snowflake,
    "candle": _candle,
    "flowers": _flowers,
    "blank": _blank,
}
