"""Bar charts as inline SVG: data in, markup out (no script, no CSS, readable without colour).

Only SVG presentation attributes (``fill``, ``stroke``, ``font-size``) are used, never a
``style`` attribute or element, so the page's Content-Security-Policy (``style-src 'self'``)
allows the result inline. Every chart names itself to assistive technology (``role="img"``,
``<title>`` and ``<desc>`` joined by ``aria-labelledby``), labels its values in text and
carries one ``<title>`` per bar; the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import get_group_symbol, get_minus_sign_symbol
from markupsafe import Markup, escape

WIDTH = 720
FONT = 12
CHAR_WIDTH = 7.0  # average advance of a 12 px sans-serif character, for layout only
# The phone rendering: drawn about as wide as a phone shows it, so that its 13 px labels stay
# about 12 px on the screen instead of shrinking to 5 px with a 720-wide drawing.
NARROW_WIDTH = 340
NARROW_FONT = 13
BAR_FILL = "#1f5f8b"
INK = "#222222"
GRID = "#c8c8c8"
MAX_LABEL_CHARS = 28
VALUE_LABELS_UP_TO = 31  # more columns than this: the y axis carries the values
RIGHT = 28  # room for the last tick label, centred under the last column


@dataclass(frozen=True)
class Bar:
    """One bar: its full label (tooltip, summary), its value, and a short axis label."""

    label: str
    value: int
    tick: str = ""


def _plain(n: int) -> str:
    return f"{n:,}"


@cache
def integer_format(locale: str) -> Callable[[int], str]:
    """A fast formatter of whole numbers with the locale's grouping (1,234,567 / 12,34,567).

    Gives what babel's format_decimal gives for integers, at a fraction of the cost: the
    page formats several hundred numbers and babel parses its pattern on every call.
    """
    parsed = Locale.parse(locale)
    primary, secondary = parsed.decimal_formats[None].grouping
    separator, minus = get_group_symbol(parsed), get_minus_sign_symbol(parsed)

    def number(n: int) -> str:
        digits = str(abs(n))
        groups = [digits[-primary:]] if len(digits) > primary else [digits]
        rest = digits[:-primary] if len(digits) > primary else ""
        while rest:
            groups.append(rest[-secondary:])
            rest = rest[:-secondary]
        return (minus if n < 0 else "") + separator.join(reversed(groups))

    return number


def _char_width(font: int) -> float:
    """A generous average advance: Cyrillic letters run wider than Latin ones."""
    return max(CHAR_WIDTH * font / FONT, 0.68 * font)


def _shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ticks(maximum: int, count: int = 5) -> list[int]:
    """Round axis values from 0 to at least ``maximum`` (1, 2 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(int(step), 1)
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


def _open_svg(
    chart_id: str, title: str, summary: str, height: int, width: int = WIDTH, font: int = FONT
) -> list[str]:
    ident = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="{font}" fill="{INK}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
    ]


def _empty(message: str) -> Markup:
    return Markup('<p class="notice notice-info chart-empty">{}</p>').format(message)


def column_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    summary: str,
    empty_message: str,
    number: Callable[[int], str] = _plain,
    max_ticks: int = 12,
    width: int = WIDTH,
    font: int = FONT,
    value_labels_up_to: int = VALUE_LABELS_UP_TO,
) -> Markup:
    """Vertical bars left to right (days, hours) over a y axis with labelled ticks.

    With up to ``value_labels_up_to`` bars each is also labelled with its value; below the
    bars every n-th ``tick`` is written so that at most ``max_ticks`` labels show. When
    every value is zero, ``empty_message`` is returned instead of a chart.
    """
    if not bars or not any(bar.value for bar in bars):
        return _empty(empty_message)
    ticks = nice_ticks(max(bar.value for bar in bars))
    top_value = ticks[-1]
    left = 16 + _char_width(font) * max(len(number(t)) for t in ticks)
    top, plot_height, bottom = 22, 200, 44
    height = top + plot_height + bottom
    plot_width = width - left - RIGHT
    slot = plot_width / len(bars)
    gap = min(slot * 0.2, 6)

    def y_of(value: int) -> float:
        return top + plot_height - plot_height * value / top_value

    parts = _open_svg(chart_id, title, summary, height, width, font)
    parts.append('<g aria-hidden="true">')
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(number(tick))}</text>"
        )
    parts.append("</g>")
    label_values = len(bars) <= value_labels_up_to
    every = max(1, math.ceil(len(bars) / max_ticks))
    for index, bar in enumerate(bars):
        x = left + slot * index + gap / 2
        y = y_of(bar.value)
        bar_width = max(slot - gap, 1)
        label = escape(f"{bar.label}: {number(bar.value)}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" '
            f'height="{top + plot_height - y:.1f}" fill="{BAR_FILL}"><title>{label}</title></rect>'
        )
        middle = x + bar_width / 2
        if label_values and bar.value:
            parts.append(
                f'<text x="{middle:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="{font - 2}">{escape(number(bar.value))}</text>'
            )
        if bar.tick and index % every == 0:
            parts.append(
                f'<text x="{middle:.1f}" y="{top + plot_height + 16}" text-anchor="middle" '
                f'aria-hidden="true">{escape(bar.tick)}</text>'
                f'<line x1="{middle:.1f}" y1="{top + plot_height}" x2="{middle:.1f}" '
                f'y2="{top + plot_height + 4}" stroke="{INK}" stroke-width="1"/>'
            )
    parts.append(
        f'<line x1="{left:.1f}" y1="{top + plot_height}" x2="{width - RIGHT}" '
        f'y2="{top + plot_height}" stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    summary: str,
    empty_message: str,
    number: Callable[[int], str] = _plain,
    width: int = WIDTH,
    font: int = FONT,
    max_label_chars: int = MAX_LABEL_CHARS,
) -> Markup:
    """Horizontal bars top to bottom (countries, prisoners), each labelled with its value.

    Long labels are shortened with an ellipsis (the full one stays in the bar's
    ``<title>``); when every value is zero, ``empty_message`` is returned instead.
    """
    if not bars or not any(bar.value for bar in bars):
        return _empty(empty_message)
    names = [_shorten(bar.label, max_label_chars) for bar in bars]
    values = [number(bar.value) for bar in bars]
    label_width = 12 + _char_width(font) * max(len(name) for name in names)
    value_width = 12 + _char_width(font) * max(len(value) for value in values)
    row, top = 2 * font, 6
    height = top * 2 + row * len(bars)
    plot_width = width - label_width - value_width
    largest = max(bar.value for bar in bars)
    parts = _open_svg(chart_id, title, summary, height, width, font)
    for index, (bar, name, value) in enumerate(zip(bars, names, values, strict=True)):
        y = top + row * index
        length = plot_width * bar.value / largest if largest else 0
        tooltip = escape(f"{bar.label}: {value}")
        parts.append(
            f'<text x="{label_width - 8:.1f}" y="{y + row / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(name)}</text>'
            f'<rect x="{label_width:.1f}" y="{y + 4}" width="{max(length, 1):.1f}" '
            f'height="{row - 8}" fill="{BAR_FILL}"><title>{tooltip}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + row / 2 + 4:.1f}">'
            f"{escape(value)}</text>"
        )
    parts.append(
        f'<line x1="{label_width:.1f}" y1="{top}" x2="{label_width:.1f}" '
        f'y2="{height - top}" stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def responsive(wide: Markup, narrow: Markup) -> Markup:
    """One chart drawn twice: ``wide`` for screens, ``narrow`` for phones (the stylesheet
    shows one of them, and hides the other from screen readers too)."""
    if "<svg" not in wide:  # no data: one message, not two
        return wide
    return Markup('<div class="chart-wide">{}</div><div class="chart-narrow">{}</div>').format(
        wide, narrow
    )
