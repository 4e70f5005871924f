"""Delivery exports with paper signatures: a source column in every format, paper signers
listed by name, and the package's cover counting by source."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from campaign_app.exports.rows import Selection
from campaign_app.exports.write import write_stream
from campaign_app.paper.service import entering
from campaign_app.paper.service.rows import PaperSigner
from tests.factories import make_signature
from tests.support.exports import pdf_pages
from tests.support.paper import setup

WHERE = entering.BatchInput("Пікет", "Берлін", "DE", "")


def export(petition, fmt, **options) -> bytes:
    out = io.BytesIO()
    write_stream(petition, Selection(), fmt, out, **options)
    return out.getvalue()


def paper_petition():
    s = setup(title="Free Ales Bialiatski")
    make_signature(s.petition, first_name="Online", last_name="Signer", city="Utrecht")
    entering.enter_rows(
        s.petition, WHERE, [PaperSigner("Алесь", "Бяляцкі", "Мінск", "BY")], s.organiser
    )
    entering.enter_counts(s.petition, WHERE, 2, s.organiser)
    return s.petition


def test_every_format_carries_the_source(app):
    petition = paper_petition()

    rows = list(csv.reader(io.StringIO(export(petition, "csv").decode("utf-8"))))
    assert rows == [
        ["number", "name", "city", "country", "country_name", "confirmed_on", "source"],
        [*rows[1][:1], "Online Signer", "Utrecht", "NL", "Netherlands", rows[1][5], "online"],
        [*rows[2][:1], "Алесь Бяляцкі", "Мінск", "BY", "Belarus", rows[2][5], "paper"],
        [*rows[3][:1], "", "", "DE", "Germany", rows[3][5], "paper"],
        [*rows[4][:1], "", "", "DE", "Germany", rows[4][5], "paper"],
    ]
    assert [row["source"] for row in json.loads(export(petition, "json"))] == [
        "online", "paper", "paper", "paper"
    ]  # fmt: skip
    sheet = load_workbook(io.BytesIO(export(petition, "xlsx")))["Signatures"]
    assert [row[6].value for row in sheet.iter_rows()] == [
        "source", "online", "paper", "paper", "paper"
    ]  # fmt: skip


def test_the_delivery_package_counts_by_source(app):
    petition = paper_petition()

    cover, *pages = pdf_pages(export(petition, "pdf"))

    assert "Signatures in this list: 4" in cover
    assert "Signatures by source" in cover
    assert "online 1" in cover and "on paper 3" in cover
    assert "Source" in pages[0] and "Алесь Бяляцкі" in pages[0]
    ru_cover = pdf_pages(export(petition, "pdf", language="ru"))[0]
    assert "Подписи по источникам" in ru_cover and "на бумаге 3" in ru_cover
