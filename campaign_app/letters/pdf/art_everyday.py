"""Front designs for any day: a candle, spring flowers, a Belarusian ornament, a drawing frame.

Each drawer fills the box (x, y, w, h) and draws nothing outside it.

The ornament is cross-stitch on a square grid, red thread on white linen as on a вышыванка or
a рушнік: a rhombus medallion with hooks and an eight-rayed star, between two borders of small
rhombi. It is only red on white (no white-red-white bands, which read as a political flag).
"""

from __future__ import annotations

import math

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.letters.pdf.palette import (
    BLUE,
    GREEN,
    GREY,
    RED,
    THREAD,
    YELLOW,
    fill,
    flame,
    stroke,
)


def candle(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A lit candle on a dish, with a soft glow."""
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
    stroke(canvas, (0.7, 0.66, 0.55), 0.8)
    canvas.rect(cx - body_w / 2, body_y, body_w, body_h, stroke=1, fill=1)
    stroke(canvas, (0.2, 0.2, 0.2), 1.2)
    canvas.line(cx, body_y + body_h, cx, flame_base + h * 0.01)
    for scale, colour in ((1.0, (0.95, 0.55, 0.15)), (0.55, YELLOW)):
        fill(canvas, colour)
        flame(canvas, cx, flame_base, w * 0.07 * scale, h * 0.2 * scale)


def flowers(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """Three spring flowers on curved stems, with leaves."""
    heads = [(0.25, 0.62, RED), (0.5, 0.78, YELLOW), (0.75, 0.58, BLUE)]
    base_x, base_y = x + w * 0.5, y + h * 0.02
    petal = min(w, h) * 0.075
    stroke(canvas, GREEN, 2)
    for fx, fy, _ in heads:
        hx, hy = x + w * fx, y + h * fy
        canvas.bezier(base_x, base_y, base_x, base_y + h * 0.3, hx, hy - h * 0.3, hx, hy)
    fill(canvas, GREEN)
    for side in (-1, 1):
        lx, ly = base_x + side * w * 0.09, base_y + h * 0.16
        canvas.ellipse(
            lx - w * 0.08, ly - h * 0.025, lx + w * 0.08, ly + h * 0.025, stroke=0, fill=1
        )
    # A leaf on each outer stem, growing from it two thirds of the way up.
    for fx, fy, _ in (heads[0], heads[2]):
        hx, hy = x + w * fx, y + h * fy
        points = ((base_x, base_y), (base_x, base_y + h * 0.3), (hx, hy - h * 0.3), (hx, hy))
        t = 0.62
        px, py = _bezier(points, t)
        ax, ay = _bezier(points, t + 0.01)
        along = math.degrees(math.atan2(ay - py, ax - px))
        outward = 1 if hx > base_x else -1
        canvas.saveState()
        canvas.translate(px, py)
        canvas.rotate(along - outward * 35)
        canvas.ellipse(0, -h * 0.018, w * 0.11, h * 0.018, stroke=0, fill=1)
        canvas.restoreState()
    for fx, fy, colour in heads:
        hx, hy = x + w * fx, y + h * fy
        fill(canvas, colour)
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


def _bezier(points: tuple[tuple[float, float], ...], t: float) -> tuple[float, float]:
    """The point at ``t`` (0..1) of a cubic Bézier curve."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    u = 1 - t
    return (
        u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
        u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
    )


# The ornament, in grid cells ---------------------------------------------------------

MEDALLION_R = 11  # the big rhombus's "radius" in cells (|i| + |j| == R)
MEDALLION_SPAN = 2 * (MEDALLION_R + 2) + 1  # with the hooks at its corners
BAND_ROWS = 7  # a border: a dotted line, five rows of small rhombi, a dotted line
GAP_ROWS = 2
ORNAMENT_ROWS = 2 * BAND_ROWS + 2 * GAP_ROWS + MEDALLION_SPAN
STITCH = 0.84  # a stitch's share of its cell: the linen shows between stitches


def medallion_cell(i: int, j: int) -> bool:
    """Whether cell (i, j), counted from the medallion's centre, is stitched."""
    a, b = abs(i), abs(j)
    d = a + b
    radius = MEDALLION_R
    if d == radius or d == radius - 4:
        return True  # the outer rhombus and the inner one
    if d == radius - 2:
        return (a - b) % 4 == 0  # a dotted rhombus between them
    # Hooks at the four corners: a short stem ending in a cross-bar.
    if (a in (radius + 1, radius + 2) and b == 0) or (b in (radius + 1, radius + 2) and a == 0):
        return True
    if (a == radius + 2 and b == 1) or (b == radius + 2 and a == 1):
        return True
    # An eight-rayed star (the "rose") in the middle, its heart left open.
    if 0 < max(a, b) <= 3 and (a == 0 or b == 0 or a == b):
        return True
    # Small rhombi filling the corners of the square around the big one.
    ci, cj = a - 8, b - 8
    return abs(ci) + abs(cj) == 2 or (ci == 0 and cj == 0)


def band_cell(row: int, column: int) -> bool:
    """Whether a border cell is stitched; ``column`` is counted from the card's centre line."""
    if row in (0, BAND_ROWS - 1):
        return True  # a thin line of stitches along each edge of the border
    period = column % 4
    di, dj = row - BAND_ROWS // 2, period - 2
    # A chain of small rhombi touching at their points, each with a stitch in its middle.
    return abs(di) + abs(dj) == 2 or (di == 0 and dj == 0)


def ornament(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A Belarusian cross-stitch ornament in red thread: two borders and a medallion."""
    cell = min(h / ORNAMENT_ROWS, w / (MEDALLION_SPAN + 4))
    columns = int(w / cell)
    half = columns // 2
    left = x + (w - columns * cell) / 2
    top = y + h - (h - ORNAMENT_ROWS * cell) / 2  # the pattern is centred in the box
    arm = cell * STITCH / 2
    stroke(canvas, THREAD, cell * 0.3)
    canvas.setLineCap(0)

    def stitch(row: int, column: int) -> None:
        # A cross-stitch: two diagonal threads crossing in the middle of the cell.
        cx = left + (column + 0.5) * cell
        cy = top - (row + 0.5) * cell
        canvas.line(cx - arm, cy - arm, cx + arm, cy + arm)
        canvas.line(cx - arm, cy + arm, cx + arm, cy - arm)

    for column in range(columns):
        for row in range(BAND_ROWS):
            if band_cell(row, column - half):
                stitch(row, column)
                stitch(ORNAMENT_ROWS - 1 - row, column)
    middle_row = BAND_ROWS + GAP_ROWS + MEDALLION_SPAN // 2
    reach = MEDALLION_SPAN // 2
    for i in range(-reach, reach + 1):
        for j in range(-reach, reach + 1):
            if 0 <= half + j < columns and medallion_cell(i, j):
                stitch(middle_row + i, half + j)


def drawing_frame(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """An empty frame to draw in, edged with dots in crayon colours."""
    dot = min(w, h) * 0.011
    inset = dot * 1.2
    spacing = dot * 3.4
    colours = (RED, YELLOW, BLUE, GREEN)
    x0, y0, x1, y1 = x + inset, y + inset, x + w - inset, y + h - inset
    count = 0
    for start, end, fixed, horizontal in (
        (x0, x1, y1, True),
        (y1, y0, x1, False),
        (x1, x0, y0, True),
        (y0, y1, x0, False),
    ):
        steps = max(1, round(abs(end - start) / spacing))
        for n in range(steps):
            along = start + (end - start) * n / steps
            fill(canvas, colours[count % len(colours)])
            count += 1
            cx, cy = (along, fixed) if horizontal else (fixed, along)
            canvas.circle(cx, cy, dot, stroke=0, fill=1)
    frame = inset + dot * 3.2
    stroke(canvas, GREY, 0.8)
    canvas.roundRect(
        x + frame, y + frame, w - 2 * frame, h - 2 * frame, min(w, h) * 0.03, stroke=1, fill=0
    )
