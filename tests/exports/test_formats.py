"""Delivery exports in every format (CSV, XLSX, PDF, JSON), each parsed back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import insert

from campaign_app.exports.package_texts import package_texts
from campaign_app.exports.rows import Selection, count_rows, iter_rows
from campaign_app.exports.write import write_stream
from campaign_app.exports.writers import FORMATS, pdf
from campaign_app.extensions import db
from campaign_app.petitions.models import PublicDisplay, Signature, SignatureState
from tests.factories import make_petition, make_signature
from tests.support.exports import page_text, pdf_pages

HEADER = ["number", "name", "city", "country", "country_name", "confirmed_on", "source"]


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def export_bytes(petition, fmt, selection=None, **options) -> bytes:
    out = io.BytesIO()
    write_stream(petition, selection or Selection(), fmt, out, **options)
    return out.getvalue()


def bulk_signatures(petition, total, *, country="NL", day="2012-09-10"):
    db.session.execute(
        insert(Signature),
        [
            {
                "petition_id": petition.id,
                "first_name": "Signer",
                "last_name": f"N{i:04d}",
                "email": f"s{i}@example.org",
                "email_hash": f"hash-{i}",
                "country": country,
                "display": PublicDisplay.FIRST_NAME_AND_COUNTRY,
                "state": SignatureState.CONFIRMED,
                "confirmed_at": at(day),
            }
            for i in range(total)
        ],
    )
    db.session.commit()


@pytest.fixture
def petition(app):
    petition = make_petition(
        slug="deliver",
        title="Free Ales Bialiatski",
        target="President of the Republic of Belarus",
        summary="Release the human-rights defender now.",
    )
    make_signature(
        petition, first_name="Anna", last_name="Visible", city="Utrecht",
        confirmed_at=at("2012-09-03"),
    )  # fmt: skip
    make_signature(
        petition, first_name="Алесь", last_name="Бяляцкі", city="Мінск", country="BY",
        confirmed_at=at("2012-09-05"),
    )  # fmt: skip
    make_signature(
        petition, first_name="Secret", last_name="Person", city="Hrodna", country="BY",
        display=PublicDisplay.ANONYMOUS, confirmed_at=at("2012-09-07"),
    )  # fmt: skip
    make_signature(
        petition, first_name="=1+2", last_name="", city="@home", country="DE",
        confirmed_at=at("2012-09-30"),
    )  # fmt: skip
    make_signature(petition, first_name="Pending", state=SignatureState.PENDING)
    return petition


EXPECTED = [
    ["1", "Anna Visible", "Utrecht", "NL", "Netherlands", "2012-09-03", "online"],
    ["2", "Алесь Бяляцкі", "Мінск", "BY", "Belarus", "2012-09-05", "online"],
    ["3", "Anonymous", "", "BY", "Belarus", "2012-09-07", "online"],
    ["4", "=1+2", "@home", "DE", "Germany", "2012-09-30", "online"],
]


def test_csv_parsed_back(petition):
    data = export_bytes(petition, "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    # The CSV neutralises formulas with a quote; the other formats keep the text as it is.
    assert rows == [
        HEADER,
        *EXPECTED[:3],
        ["4", "'=1+2", "'@home", "DE", "Germany", "2012-09-30", "online"],
    ]
    assert export_bytes(petition, "csv", bom=True) == b"\xef\xbb\xbf" + data


def test_xlsx_cells_types_and_formula_looking_text(petition):
    book = load_workbook(io.BytesIO(export_bytes(petition, "xlsx")))
    sheet = book["Signatures"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.b for cell in sheet[1])
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:5] for row in values] == [
        [int(row[0]), row[1], row[2] or None, row[3], row[4]] for row in EXPECTED
    ]
    assert [row[5] for row in values] == [
        datetime(2012, 9, 3), datetime(2012, 9, 5), datetime(2012, 9, 7), datetime(2012, 9, 30)
    ]  # fmt: skip
    formula = sheet["B5"]
    assert formula.value == "=1+2"
    assert formula.data_type == "s"  # a string cell, not a formula ("f")
    assert sheet["C5"].data_type == "s" and sheet["C5"].value == "@home"
    assert sheet["A2"].data_type == "n"
    assert sheet["F2"].is_date and sheet["F2"].number_format == "yyyy-mm-dd"


def test_json_parsed_back(petition):
    assert json.loads(export_bytes(petition, "json")) == [
        dict(zip(HEADER, [int(row[0]), *row[1:]], strict=True)) for row in EXPECTED
    ]


def test_pdf_cover_and_list(petition):
    csv_bytes = export_bytes(petition, "csv")
    cover, *pages = pdf_pages(export_bytes(petition, "pdf"))

    assert "Free Ales Bialiatski" in cover
    assert "Addressed to: President of the Republic of Belarus" in cover
    assert "Release the human-rights defender now." in cover
    assert "Signatures in this list: 4" in cover
    assert "Confirmed between September 3, 2012 and September 30, 2012 (UTC)." in cover
    assert "Selection: confirmed signatures only; any date; all countries" in cover
    assert hashlib.sha256(csv_bytes).hexdigest() in cover
    by_country = re.findall(r"^(Belarus|Germany|Netherlands) (\d+)$", cover, re.MULTILINE)
    assert by_country == [("Belarus", "2"), ("Germany", "1"), ("Netherlands", "1")]
    assert "Page 1 of 2" in cover

    (listing,) = pages
    assert "Page 2 of 2" in listing
    assert "1 Anna Visible Utrecht Netherlands Sep 3, 2012" in listing
    assert "2 Алесь Бяляцкі Мінск Belarus Sep 5, 2012" in listing
    assert "3 Anonymous Belarus Sep 7, 2012" in listing  # no city for an anonymous signer
    assert "Secret" not in listing and "Hrodna" not in listing
    assert "4 =1+2 @home Germany Sep 30, 2012" in listing
    assert "Pending" not in listing


def test_pdf_fingerprint_follows_the_selection(petition):
    selection = Selection(countries=frozenset({"BY"}), since=date(2012, 9, 4))
    csv_bytes = export_bytes(petition, "csv", selection)
    cover = pdf_pages(export_bytes(petition, "pdf", selection))[0]
    assert hashlib.sha256(csv_bytes).hexdigest() in cover
    assert "Signatures in this list: 2" in cover
    assert "Selection: confirmed signatures only; from Sep 4, 2012; Belarus" in cover


def test_pdf_pages_numbered_with_the_total_known_up_front(app):
    petition = make_petition(slug="many")
    bulk_signatures(petition, 120)

    texts = pdf_pages(export_bytes(petition, "pdf"))

    pages = 1 + -(-120 // pdf.ROWS_PER_PAGE)  # the cover, then the list
    assert len(texts) == pages == 4
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text
    assert "Signatures in this list: 120" in texts[0]
    assert "Netherlands 120" in texts[0]
    for text in texts[1:]:  # the header is repeated on every page of the list
        assert "No. Name City Country Confirmed" in text
    assert "1 Signer N0000" in texts[1] and "50 Signer N0049" in texts[1]
    assert "51 Signer N0050" in texts[2] and "101 Signer N0100" in texts[3]
    assert "120 Signer N0119" in texts[3]


def test_pdf_pages_written_as_they_are_finished(app):
    """Each finished page is in the file before the next is drawn (memory stays flat), and
    the file is well formed: every cross-reference entry points at its object."""
    petition = make_petition(slug="streamed", title="Free Ales Bialiatski")
    bulk_signatures(petition, 120)
    selection = Selection()
    out = io.BytesIO()
    written_before: dict[int, int] = {}

    def rows():
        for row in iter_rows(petition.id, selection):
            written_before[row.number] = len(out.getvalue())
            yield row

    texts = package_texts(petition, selection, "en")
    first_pass = iter_rows(petition.id, selection)
    assert pdf.write_pdf(petition, selection, first_pass, rows(), out, texts) == 120
    data = out.getvalue()

    # The cover is out before the first row is read; a page of the list goes out when the
    # next page's first row is drawn, so before the row after that is read.
    before = [written_before[number] for number in (1, 51, 52, 101, 102, 120)]
    assert 0 < before[0] == before[1] < before[2] == before[3] < before[4] == before[5]
    assert before[5] < len(data)
    start = int(re.findall(rb"startxref\n(\d+)\n%%EOF", data)[-1])
    table = data[start:].split(b"trailer")[0].splitlines()
    assert table[:3] == [b"xref", f"0 {len(table) - 2}".encode(), b"0000000000 65535 f "]
    for number, entry in enumerate(table[3:], start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 4
    assert "120 Signer N0119" in page_text(reader.pages[3])
    assert reader.metadata is not None and reader.metadata.title == "Free Ales Bialiatski"


def test_pdf_long_names_clipped_and_missing_glyphs_replaced(app):
    petition = make_petition(slug="odd-names")
    make_signature(petition, first_name="A" * 80, last_name="B" * 80)
    make_signature(petition, first_name="Ling", last_name="王小明 ☃")

    cover, listing = pdf_pages(export_bytes(petition, "pdf"))

    assert "Signatures in this list: 2" in cover
    line = next(line for line in listing.splitlines() if line.startswith("1 "))
    assert "AAAA" in line and "…" in line and "B" * 80 not in line
    assert "2 Ling ??? ☃" in listing  # DejaVu has the snowman but no Chinese


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_selection_gives_a_valid_file(app, fmt):
    petition = make_petition(slug="nobody")
    make_signature(petition, country="NL")
    selection = Selection(countries=frozenset({"FR"}))

    data = export_bytes(petition, fmt, selection)

    if fmt == "csv":
        assert list(csv.reader(io.StringIO(data.decode("utf-8")))) == [HEADER]
    elif fmt == "json":
        assert json.loads(data) == []
    elif fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [HEADER]
    else:
        (cover,) = pdf_pages(data)
        assert "Signatures in this list: 0" in cover
        assert hashlib.sha256(export_bytes(petition, "csv", selection)).hexdigest() in cover
        assert "Page 1 of 1" in cover


def test_count_rows_matches_every_export(petition):
    for selection in (
        Selection(),
        Selection(confirmed_only=False),
        Selection(countries=frozenset({"BY", "DE"}), until=date(2012, 9, 6)),
    ):
        rows = json.loads(export_bytes(petition, "json", selection))
        assert count_rows(petition.id, selection) == len(rows)
    assert count_rows(petition.id, Selection(confirmed_only=False)) == 5


def test_progress_is_reported_every_thousand_rows_and_at_the_end(app):
    petition = make_petition(slug="progress")
    bulk_signatures(petition, 2_500)
    for fmt in FORMATS:
        heard: list[int] = []
        written = write_stream(petition, Selection(), fmt, io.BytesIO(), progress=heard.append)
        assert written == 2_500
        assert heard == [1_000, 2_000, 2_500]


def test_xlsx_spills_onto_a_second_sheet(app, monkeypatch):
    from campaign_app.exports.writers import xlsx

    monkeypatch.setattr(xlsx, "ROWS_PER_SHEET", 3)
    petition = make_petition(slug="spill")
    bulk_signatures(petition, 5)

    book = load_workbook(io.BytesIO(export_bytes(petition, "xlsx")))

    assert book.sheetnames == ["Signatures", "Signatures 2"]
    second = [[cell.value for cell in row] for row in book["Signatures 2"].iter_rows()]
    assert second[0] == HEADER
    assert [row[:2] for row in second[1:]] == [[4, "Signer N0003"], [5, "Signer N0004"]]


def test_selection_round_trips_and_describes_itself():
    selection = Selection(
        confirmed_only=False,
        since=date(2012, 9, 1),
        until=date(2012, 9, 30),
        countries=frozenset({"DE", "BY"}),
    )
    assert selection.describe() == "all states; 2012-09-01 to 2012-09-30; BY, DE"
    assert Selection(until=date(2012, 9, 30)).describe() == (
        "confirmed only; until 2012-09-30; all countries"
    )
    data = selection.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["countries"] == ["BY", "DE"]
    assert Selection.from_dict(data) == selection
    assert Selection.from_dict({}) == Selection()


def test_unknown_format_is_refused(petition):
    with pytest.raises(ValueError, match="unknown export format"):
        write_stream(petition, Selection(), "docx", io.BytesIO())
