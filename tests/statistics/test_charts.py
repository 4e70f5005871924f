"""The SVG renderer on its own: valid XML, accessible, values in text, odd data handled."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from campaign_app.statistics.charts import Bar, bar_chart, column_chart, nice_ticks
from tests.support.statistics import SVG_NS, svg_texts

COMMON = {"chart_id": "c", "title": "Signatures", "summary": "A summary.", "empty_message": "None."}
RENDERERS = [column_chart, bar_chart]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


@pytest.mark.parametrize("render", RENDERERS)
def test_chart_names_itself_to_screen_readers(render):
    svg = parse(render([Bar("Monday", 3, "Mon"), Bar("Tuesday", 5, "Tue")], **COMMON))
    assert svg.tag == f"{SVG_NS}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG_NS}title").text == "Signatures"
    assert svg.find(f"{SVG_NS}title").get("id") == "c-title"
    assert svg.find(f"{SVG_NS}desc").text == "A summary."
    assert svg.find(f"{SVG_NS}desc").get("id") == "c-desc"
    # Every bar says what it is and its value when pointed at.
    tooltips = [r.find(f"{SVG_NS}title").text for r in svg.iter(f"{SVG_NS}rect")]
    assert tooltips == ["Monday: 3", "Tuesday: 5"]


@pytest.mark.parametrize("render", RENDERERS)
def test_no_style_attribute_or_element_for_the_csp(render):
    markup = str(render([Bar("A", 1, "a"), Bar("B", 2, "b")], **COMMON))
    assert "style" not in markup
    assert "<script" not in markup
    assert not re.search(r"\son\w+=", markup)  # no event handlers either


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("bars", [[], [Bar("A", 0, "a"), Bar("B", 0, "b")]])
def test_zero_data_gives_a_message_not_an_empty_chart(render, bars):
    markup = str(render(bars, **COMMON))
    assert "<svg" not in markup
    assert "None." in markup


@pytest.mark.parametrize("render", RENDERERS)
def test_one_bar(render):
    svg = parse(render([Bar("Only day", 7, "1 Mar")], **COMMON))
    assert len(list(svg.iter(f"{SVG_NS}rect"))) == 1
    assert "7" in svg_texts(svg)


def test_columns_carry_an_axis_with_labelled_ticks_and_value_labels():
    bars = [Bar(f"Day {i}", i * 1000, f"d{i}") for i in range(1, 8)]
    texts = svg_texts(parse(column_chart(bars, **COMMON)))
    assert {"0", "2,000", "4,000", "6,000", "7,000"} <= set(texts)
    assert {"d1", "d7"} <= set(texts)


def test_many_columns_keep_the_axis_and_thin_out_the_ticks():
    bars = [Bar(f"Hour {i}", i, f"h{i}") for i in range(72)]
    texts = svg_texts(parse(column_chart(bars, **COMMON, max_ticks=12)))
    ticks = [t for t in texts if t.startswith("h")]
    assert 6 <= len(ticks) <= 12
    assert "h0" in ticks and "h1" not in ticks
    assert "80" in texts  # the y axis reaches past the highest value (71)


def test_huge_values_get_thousands_separators_and_a_custom_formatter():
    svg = parse(bar_chart([Bar("Belarus", 1_234_567)], **COMMON))
    assert "1,234,567" in svg_texts(svg)
    german = parse(bar_chart([Bar("Belarus", 1_234_567)], **COMMON, number=lambda n: f"{n:_}"))
    assert "1_234_567" in svg_texts(german)


def test_long_labels_are_shortened_but_kept_whole_in_the_tooltip():
    name = "South Georgia and the South Sandwich Islands"
    svg = parse(bar_chart([Bar(name, 2), Bar("Chad", 1)], **COMMON))
    texts = svg_texts(svg)
    assert texts[0].endswith("…") and len(texts[0]) <= 28
    assert texts[0][:-1] in name
    assert svg.find(f".//{SVG_NS}rect/{SVG_NS}title").text == f"{name}: 2"
    view_box = [float(x) for x in svg.get("viewBox").split()]
    assert view_box[2] == 720  # the label did not push the chart wider


def test_text_is_escaped_and_still_valid_xml():
    svg = parse(bar_chart([Bar('<script>"&</script>', 1)], **{**COMMON, "title": "a & b"}))
    assert svg_texts(svg)[0] == '<script>"&</script>'
    assert svg.find(f"{SVG_NS}title").text == "a & b"


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (33_334, [0, 10_000, 20_000, 30_000, 40_000]),
    ],
)
def test_nice_ticks(maximum, expected):
    assert nice_ticks(maximum) == expected


@pytest.mark.parametrize("locale", ["en", "de", "fr", "ru", "be", "hi", "pt_BR", "es", "pl"])
def test_integer_format_matches_babel(locale):
    from babel.numbers import format_decimal

    from campaign_app.statistics.charts import integer_format

    number = integer_format(locale)
    for n in (0, 7, 999, 1_000, 12_345, 123_456, 1_234_567, 98_765_432_100, -1_234):
        assert number(n) == format_decimal(n, locale=locale), (locale, n)
