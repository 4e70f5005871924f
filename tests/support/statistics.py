"""Reading the statistics pages as a person (text, tables) and as a parser (the SVG)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

from werkzeug.test import TestResponse

SVG_NS = "{http://www.w3.org/2000/svg}"


def svgs(response: TestResponse, *, narrow: bool = False) -> dict[str, ET.Element]:
    """Every inline chart of the page, parsed as XML, by the id of its <title>.

    Each chart is drawn twice, for screens and for phones (its id ending in "-narrow"); these
    are the screen ones, or with ``narrow`` the phone ones (by the id without the ending).
    """
    charts = {}
    for markup in re.findall(r"<svg\b.*?</svg>", response.get_data(as_text=True), flags=re.S):
        root = ET.fromstring(markup)
        title = root.find(f"{SVG_NS}title")
        assert title is not None
        name = title.get("id", "").removesuffix("-title")
        if name.endswith("-narrow") == narrow:
            charts[name.removesuffix("-narrow")] = root
    return charts


def svg_texts(svg: ET.Element) -> list[str]:
    """The words written in the chart (its <text> elements), in document order."""
    return [(node.text or "").strip() for node in svg.iter(f"{SVG_NS}text")]


def table_rows(response: TestResponse, table_id: str) -> list[list[str]]:
    """The body rows of the table ``table_id`` as lists of cell texts."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert match, f"no table {table_id}"
    body = re.search(r"<tbody>(.*?)</tbody>", match.group(0), flags=re.S)
    assert body
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([unescape(" ".join(re.sub(r"<[^>]+>", " ", c).split())) for c in cells])
    return rows


def cell(response: TestResponse, cell_id: str) -> str:
    """The text of the summary cell ``cell_id``."""
    match = re.search(rf'id="{cell_id}">(.*?)</td>', response.get_data(as_text=True), re.S)
    assert match, f"no cell {cell_id}"
    return unescape(" ".join(match.group(1).split()))
