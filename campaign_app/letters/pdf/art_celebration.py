"""Front designs for celebrations: balloons and a cake (birthdays), snowflakes and a fir (New Year).

Each drawer fills the box (x, y, w, h) and draws nothing outside it.
"""

from __future__ import annotations

import math

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]

from campaign_app.letters.pdf.palette import (
    BLUE,
    CHOCOLATE,
    CREAM,
    FIR_GREEN,
    FIR_LIGHT,
    GOLD,
    GREEN,
    GREY,
    ICE,
    PINK,
    RED,
    SNOW,
    YELLOW,
    fill,
    flame,
    polygon,
    snowflake,
    star,
    stroke,
)


def balloons(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """Three balloons on strings tied in one knot."""
    knot_x, knot_y = x + w * 0.5, y + h * 0.04
    shapes = [(0.30, 0.62, RED), (0.70, 0.66, BLUE), (0.50, 0.76, YELLOW)]
    rx, ry = w * 0.17, h * 0.17
    stroke(canvas, GREY, 0.8)
    for fx, fy, _ in shapes:
        bx, by = x + w * fx, y + h * fy - ry
        canvas.bezier(
            bx, by, bx - w * 0.06, by - h * 0.2, knot_x + w * 0.05, knot_y + h * 0.2, knot_x, knot_y
        )
    for fx, fy, colour in shapes:
        cx, cy = x + w * fx, y + h * fy
        fill(canvas, colour)
        canvas.ellipse(cx - rx, cy - ry, cx + rx, cy + ry, stroke=0, fill=1)
        polygon(
            canvas,
            [
                (cx, cy - ry),
                (cx - rx * 0.15, cy - ry - h * 0.025),
                (cx + rx * 0.15, cy - ry - h * 0.025),
            ],
        )
        fill(canvas, (1, 1, 1))
        canvas.ellipse(
            cx - rx * 0.55, cy + ry * 0.25, cx - rx * 0.25, cy + ry * 0.65, stroke=0, fill=1
        )
    # A little confetti around them.
    dot = min(w, h) * 0.012
    for n, (fx, fy) in enumerate(((0.08, 0.9), (0.92, 0.92), (0.1, 0.35), (0.9, 0.3), (0.2, 0.1))):
        fill(canvas, (RED, YELLOW, BLUE, GREEN, RED)[n])
        canvas.circle(x + w * fx, y + h * fy, dot, stroke=0, fill=1)


def _scalloped_icing(
    canvas: Canvas, left: float, right: float, top: float, depth: float, scallops: int
) -> None:
    """Icing poured over a tier's top edge: a band with rounded drips along its bottom."""
    step = (right - left) / scallops
    path = canvas.beginPath()
    path.moveTo(left, top)
    path.lineTo(right, top)
    path.lineTo(right, top - depth * 0.5)
    for n in range(scallops):
        start = right - n * step
        end = start - step
        path.curveTo(start, top - depth * 1.3, end, top - depth * 1.3, end, top - depth * 0.5)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def cake(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A two-tier cake with candles on a plate, under a string of little flags."""
    cx = x + w / 2
    # Bunting across the top.
    left, right, top, sag = x + w * 0.03, x + w * 0.97, y + h * 0.97, h * 0.07
    flags = 9
    stroke(canvas, GREY, 0.6)
    path = canvas.beginPath()
    for n in range(41):
        t = n / 40
        point = (left + (right - left) * t, top - sag * 4 * t * (1 - t))
        path.moveTo(*point) if n == 0 else path.lineTo(*point)
    canvas.drawPath(path, stroke=1, fill=0)
    flag_w, flag_h = (right - left) / flags * 0.78, h * 0.075
    for n in range(flags):
        t = (n + 0.5) / flags
        px, py = left + (right - left) * t, top - sag * 4 * t * (1 - t)
        fill(canvas, (RED, YELLOW, BLUE, GREEN, PINK)[n % 5])
        polygon(canvas, [(px - flag_w / 2, py), (px + flag_w / 2, py), (px, py - flag_h)])
    # The plate and the tiers.
    fill(canvas, (0.82, 0.83, 0.86))
    canvas.ellipse(cx - w * 0.44, y, cx + w * 0.44, y + h * 0.07, stroke=0, fill=1)
    tiers = ((0.38, 0.035, 0.3, CHOCOLATE, CREAM), (0.26, 0.3, 0.5, PINK, CREAM))
    for half, bottom, tier_top, body, icing in tiers:
        x0, x1 = cx - w * half, cx + w * half
        fill(canvas, body)
        canvas.roundRect(
            x0, y + h * bottom, x1 - x0, h * (tier_top - bottom), w * 0.02, stroke=0, fill=1
        )
        fill(canvas, icing)
        _scalloped_icing(canvas, x0, x1, y + h * tier_top, h * 0.045, 6 if half > 0.3 else 4)
    # Berries along the lower tier.
    fill(canvas, RED)
    for n in range(7):
        canvas.circle(cx - w * 0.3 + n * w * 0.1, y + h * 0.12, w * 0.018, stroke=0, fill=1)
    # Candles with flames on the top tier.
    candle_w, candle_h = w * 0.035, h * 0.12
    base = y + h * 0.5
    for n, offset in enumerate((-0.14, -0.07, 0.0, 0.07, 0.14)):
        px = cx + w * offset
        fill(canvas, (BLUE, YELLOW, RED, GREEN, BLUE)[n])
        canvas.rect(px - candle_w / 2, base, candle_w, candle_h, stroke=0, fill=1)
        fill(canvas, (0.96, 0.55, 0.15))
        flame(canvas, px, base + candle_h + h * 0.01, w * 0.018, h * 0.065)
        fill(canvas, YELLOW)
        flame(canvas, px, base + candle_h + h * 0.012, w * 0.009, h * 0.035)


def snowflakes(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """One large snowflake among smaller ones."""
    side = min(w, h)
    snowflake(canvas, x + w / 2, y + h * 0.52, side * 0.36, ICE)
    for fx, fy, size, colour in (
        (0.16, 0.86, 0.09, BLUE),
        (0.85, 0.8, 0.07, ICE),
        (0.14, 0.16, 0.07, ICE),
        (0.86, 0.14, 0.1, BLUE),
    ):
        snowflake(canvas, x + w * fx, y + h * fy, side * size, colour)
    fill(canvas, ICE)
    for fx, fy in ((0.5, 0.05), (0.06, 0.5), (0.94, 0.5), (0.5, 0.96), (0.3, 0.92), (0.7, 0.08)):
        canvas.circle(x + w * fx, y + h * fy, side * 0.013, stroke=0, fill=1)


def _fir_half_width(tiers: tuple[tuple[float, float, float], ...], level: float) -> float:
    """The fir's half width (a share of the box's width) at a height (a share of its height)."""
    widths = [0.0]
    for bottom, half, height in tiers:
        if bottom <= level <= bottom + height:
            widths.append(half - (half * 0.85) * (level - bottom) / height)
    return max(widths)


def fir(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A New Year fir with baubles and a garland, a star on top, standing in snow."""
    cx = x + w / 2
    fill(canvas, SNOW)
    canvas.ellipse(x + w * 0.04, y, x + w * 0.96, y + h * 0.12, stroke=0, fill=1)
    fill(canvas, CHOCOLATE)
    canvas.rect(cx - w * 0.045, y + h * 0.05, w * 0.09, h * 0.08, stroke=0, fill=1)
    tiers = ((0.13, 0.42, 0.30), (0.3, 0.34, 0.27), (0.46, 0.26, 0.24), (0.6, 0.17, 0.26))
    for n, (bottom, half, height) in enumerate(tiers):
        fill(canvas, FIR_GREEN if n % 2 == 0 else FIR_LIGHT)
        by = y + h * bottom
        polygon(
            canvas,
            [
                (cx - w * half, by),
                (cx + w * half, by),
                (cx + w * half * 0.15, by + h * height),
                (cx - w * half * 0.15, by + h * height),
            ],
        )
    # The garland: gold beads hanging in a curve from one edge of the tree to the other.
    fill(canvas, GOLD)
    for level in (0.24, 0.42):
        half = _fir_half_width(tiers, level) * 0.9
        for n in range(15):
            t = n / 14
            px = cx - w * half + 2 * w * half * t
            py = y + h * level - h * 0.035 * math.sin(math.pi * t)
            canvas.circle(px, py, w * 0.008, stroke=0, fill=1)
    baubles = (
        (-0.3, 0.16, RED),
        (0.28, 0.19, BLUE),
        (-0.05, 0.27, GOLD),
        (-0.19, 0.36, BLUE),
        (0.17, 0.34, RED),
        (0.0, 0.5, RED),
        (-0.1, 0.63, GOLD),
        (0.09, 0.6, BLUE),
    )
    radius = w * 0.03
    for fx, fy, colour in baubles:
        bx, by = cx + w * fx, y + h * fy
        fill(canvas, colour)
        canvas.circle(bx, by, radius, stroke=0, fill=1)
        fill(canvas, (1, 1, 1))
        canvas.circle(bx - radius * 0.35, by + radius * 0.35, radius * 0.25, stroke=0, fill=1)
    fill(canvas, GOLD)
    star(canvas, cx, y + h * 0.9, min(w, h) * 0.065)
    fill(canvas, ICE)
    for fx, fy in ((0.08, 0.85), (0.92, 0.8), (0.14, 0.55), (0.88, 0.5), (0.1, 0.25), (0.9, 0.22)):
        canvas.circle(x + w * fx, y + h * fy, min(w, h) * 0.014, stroke=0, fill=1)
