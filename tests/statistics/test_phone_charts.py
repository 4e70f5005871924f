"""Charts a person can read on a phone: each chart is drawn a second time, about as wide as a
phone shows it, with labels that stay about 12 px on the screen; the stylesheet shows one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from campaign_app.accounts.models import Role
from campaign_app.statistics.charts import (
    NARROW_FONT,
    NARROW_WIDTH,
    WIDTH,
    Bar,
    bar_chart,
    column_chart,
    responsive,
)
from tests.factories import make_card_sent, make_petition, make_prisoner, make_signature, make_user
from tests.support.statistics import SVG_NS, svg_texts, svgs
from tests.support.web import log_in

COMMON = {"title": "Signatures", "summary": "A summary.", "empty_message": "None."}
PHONE_SCREEN = 310  # px a 375 px phone gives a chart inside a panel


def view_box_width(svg: ET.Element) -> float:
    return float(svg.get("viewBox", "").split()[2])


def shown_font_px(svg: ET.Element) -> float:
    """The labels' size on a phone's screen: the drawing is scaled to the screen's width."""
    return float(svg.get("font-size", "0")) * PHONE_SCREEN / view_box_width(svg)


def test_each_chart_of_the_petition_page_has_a_phone_drawing(app, client):
    petition = make_petition()
    for country in ("BY", "BY", "LT", "US"):
        make_signature(petition, country=country)
    log_in(client, make_user(Role.ADMIN))

    page = client.get(f"/organise/petitions/{petition.id}/statistics")

    wide, narrow = svgs(page), svgs(page, narrow=True)
    assert set(narrow) == set(wide) == {"per-day", "per-hour", "by-country"}
    for name, svg in narrow.items():
        assert view_box_width(svg) == NARROW_WIDTH, name
        assert shown_font_px(svg) >= 11, name  # the wide one would be about 5 px
        assert shown_font_px(wide[name]) < 6, name
        # The same bars and values, for a screen reader too.
        tooltips = [r.find(f"{SVG_NS}title").text for r in svg.iter(f"{SVG_NS}rect")]
        assert tooltips == [r.find(f"{SVG_NS}title").text for r in wide[name].iter(f"{SVG_NS}rect")]
    html = page.get_data(as_text=True)
    assert html.count('<div class="chart-wide">') == html.count('<div class="chart-narrow">') == 3


def test_the_campaign_page_charts_have_phone_drawings(app, client):
    petition = make_petition()
    make_signature(petition)
    prisoner = make_prisoner(campaign=petition.campaign)
    make_card_sent(prisoner, count=3)
    log_in(client, make_user(Role.ADMIN))

    page = client.get(f"/organise/campaigns/{petition.campaign_id}/statistics")

    assert set(svgs(page, narrow=True)) == {"petitions", "cards-per-prisoner", "cards-per-occasion"}


def test_narrow_bar_chart_shortens_names_and_keeps_them_inside():
    bars = [Bar("Соединённые Штаты Америки", 76), Bar("Беларусь", 584)]
    svg = ET.fromstring(
        str(
            bar_chart(
                bars,
                chart_id="c",
                width=NARROW_WIDTH,
                font=NARROW_FONT,
                max_label_chars=16,
                **COMMON,
            )
        )
    )
    texts = svg_texts(svg)
    assert "Соединённые Шта…" in texts and "Беларусь" in texts
    # The names end where the bars begin, with room for 16 wide letters before them.
    name = next(t for t in svg.iter(f"{SVG_NS}text") if t.text == "Соединённые Шта…")
    assert float(name.get("x", 0)) >= 16 * 0.68 * NARROW_FONT
    full = [r.find(f"{SVG_NS}title").text for r in svg.iter(f"{SVG_NS}rect")]
    assert full == ["Соединённые Штаты Америки: 76", "Беларусь: 584"]


def test_narrow_column_chart_writes_fewer_ticks():
    bars = [Bar(f"Day {i}", i, f"d{i}") for i in range(1, 93)]
    svg = ET.fromstring(
        str(
            column_chart(
                bars, chart_id="c", width=NARROW_WIDTH, font=NARROW_FONT, max_ticks=4, **COMMON
            )
        )
    )
    ticks = [t for t in svg_texts(svg) if t.startswith("d")]
    assert 1 < len(ticks) <= 4


def test_responsive_gives_one_message_when_there_is_nothing_to_draw():
    empty = column_chart([], chart_id="c", **COMMON)
    assert str(responsive(empty, empty)).count("None.") == 1
    drawn = column_chart([Bar("a", 1, "a")], chart_id="c", **COMMON)
    narrow = column_chart([Bar("a", 1, "a")], chart_id="c-narrow", width=NARROW_WIDTH, **COMMON)
    both = str(responsive(drawn, narrow))
    assert re.fullmatch(
        r'<div class="chart-wide"><svg.*</svg></div><div class="chart-narrow"><svg.*</svg></div>',
        both,
        re.S,
    )
    assert f'viewBox="0 0 {WIDTH} ' in both and f'viewBox="0 0 {NARROW_WIDTH} ' in both
