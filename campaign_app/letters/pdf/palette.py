"""Colours and small shapes the front designs share (reportlab vectors, no images, no text)."""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

Rgb = tuple[float, float, float]
Drawer = Callable[[Canvas, float, float, float, float], None]

RED: Rgb = (0.86, 0.24, 0.27)
YELLOW: Rgb = (0.98, 0.78, 0.22)
BLUE: Rgb = (0.25, 0.52, 0.82)
GREEN: Rgb = (0.30, 0.60, 0.32)
ICE: Rgb = (0.36, 0.62, 0.86)
GREY: Rgb = (0.45, 0.45, 0.45)
PINK: Rgb = (0.95, 0.62, 0.68)
CREAM: Rgb = (0.99, 0.94, 0.84)
CHOCOLATE: Rgb = (0.45, 0.27, 0.17)
FIR_GREEN: Rgb = (0.13, 0.45, 0.30)
FIR_LIGHT: Rgb = (0.22, 0.56, 0.36)
GOLD: Rgb = (0.93, 0.69, 0.15)
SNOW: Rgb = (0.90, 0.94, 0.98)
# Embroidery red: the ornament is red thread on white linen, nothing else.
THREAD: Rgb = (0.74, 0.09, 0.12)


def fill(canvas: Canvas, colour: Rgb) -> None:
    canvas.setFillColorRGB(*colour)


def stroke(canvas: Canvas, colour: Rgb, width: float) -> None:
    canvas.setStrokeColorRGB(*colour)
    canvas.setLineWidth(width)


def polygon(canvas: Canvas, points: list[tuple[float, float]]) -> None:
    """A filled polygon without outline."""
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def star(canvas: Canvas, cx: float, cy: float, outer: float, points: int = 5) -> None:
    """A filled star with its first point up."""
    inner = outer * 0.45
    corners = []
    for n in range(points * 2):
        radius = outer if n % 2 == 0 else inner
        angle = math.radians(90 + n * 180 / points)
        corners.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    polygon(canvas, corners)


def flame(canvas: Canvas, cx: float, base: float, width: float, height: float) -> None:
    """A candle flame: a filled teardrop standing on (cx, base)."""
    path = canvas.beginPath()
    path.moveTo(cx, base)
    path.curveTo(cx - width * 1.6, base, cx - width, base + height * 0.6, cx, base + height)
    path.curveTo(cx + width, base + height * 0.6, cx + width * 1.6, base, cx, base)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def snowflake(canvas: Canvas, cx: float, cy: float, radius: float, colour: Rgb) -> None:
    """A six-armed snowflake, each arm with two pairs of branches."""
    stroke(canvas, colour, max(0.8, radius * 0.045))
    for arm in range(6):
        angle = math.radians(90 + arm * 60)
        canvas.line(cx, cy, cx + radius * math.cos(angle), cy + radius * math.sin(angle))
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
    fill(canvas, colour)
    canvas.circle(cx, cy, radius * 0.08, stroke=0, fill=1)
