"""CSV imports: upload, a preview with duplicates and bad lines by number, then one commit
of every good row or none; bad files refused with a message next to the field."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.paper.models import BatchKind, PaperBatch, PaperImport
from campaign_app.paper.service import rows as paper_rows
from campaign_app.petitions.models import Signature, SignatureSource
from tests.support.organise import audit_events
from tests.support.paper import (
    counts_agree,
    csv_bytes,
    preview_form,
    setup,
    signed_in,
    source_rows,
    upload,
)
from tests.support.web import text_of

HEADER = "first_name,last_name,city,country"
BAD_LINES = {
    # line number (the header is line 1) -> the row written there
    101: ",,Minsk,BY",  # no name
    202: "Olga,Petrova,Minsk,XX",  # not a country
    303: "Ivan,Sidorov,Grodno,",  # no country
    404: "Anna," + "K" * 81 + ",Brest,BY",  # too long
    505: ",,,BY",
    606: "Pavel,Orlov,Gomel,BYE",
    707: "Nina,Kozlova,Vitebsk,1",
    808: ",,Mogilev,BY",
    909: "Oleg,Popov,Pinsk,??",
    1010: ",,,PL",
}


def big_file() -> bytes:
    """2,000 rows, of which the 10 in BAD_LINES are bad."""
    lines = [HEADER]
    for line in range(2, 2002):
        lines.append(BAD_LINES.get(line, f"Name{line},Surname{line},Minsk,by"))
    return csv_bytes(lines)


def preview_page(client, s, data, **fields):
    response = upload(client, s, data, **fields)
    assert response.status_code == 302, text_of(response)[:2000]
    return client.get(response.headers["Location"]), response.headers["Location"]


def test_two_thousand_rows_with_ten_bad_lines_preview_then_commit(app, client):
    s = setup()
    signed_in(client, s)

    page, url = preview_page(client, s, big_file())

    assert page.status_code == 200
    text = text_of(page)
    assert "The file was read as UTF-8." in text
    assert "Signatures to import 1,990" in text
    assert "Lines with errors (left out) 10" in text
    for line in BAD_LINES:
        assert f"Line {line}:" in text
    assert "Line 202: “XX” is not a country code" in text
    assert "Line 101: No name: a first or last name is needed." in text
    assert "Line 404: A name or city is longer than 80 characters." in text
    # Nothing is imported by the preview.
    assert source_rows(s.petition, SignatureSource.IMPORT) == 0

    response = client.post(url, data=preview_form(page.get_data(as_text=True)))

    assert response.status_code == 302, text_of(response)[:2000]
    batch = db.session.scalars(select(PaperBatch)).one()
    assert (batch.kind, batch.signatures) == (BatchKind.IMPORT, 1990)
    assert source_rows(s.petition, SignatureSource.IMPORT) == 1990
    counts = counts_agree(s.petition)
    assert counts.by_source == {"import": 1990} and counts.by_country == {"BY": 1990}
    assert db.session.scalars(select(PaperImport)).all() == []  # the kept file is gone
    [event] = audit_events("paper.batch_imported")
    assert event.rows == 1990 and "Name" not in str(event.details)
    # The preview cannot be committed twice.
    again = client.post(url, data=preview_form(page.get_data(as_text=True)))
    assert again.status_code == 404
    assert "The uploaded file is gone" in text_of(again)


def test_a_failing_commit_imports_nothing_and_can_be_tried_again(app, client, monkeypatch):
    s = setup()
    signed_in(client, s)
    page, url = preview_page(client, s, big_file())
    form = preview_form(page.get_data(as_text=True))
    # The database refuses the third chunk: two rows get the same e-mail hash there.
    hashes = iter(range(10_000))
    with monkeypatch.context() as patch:
        patch.setattr(paper_rows, "CHUNK", 500)
        patch.setattr(paper_rows, "paper_hash", lambda: f"paper:{min(next(hashes), 1100):032x}")
        response = client.post(url, data=form)

    assert response.status_code == 503
    assert "The import failed and nothing was imported." in text_of(response)
    db.session.expire_all()
    assert source_rows(s.petition, SignatureSource.IMPORT) == 0
    assert db.session.scalars(select(PaperBatch)).all() == []
    assert counts_agree(s.petition).total == 0
    assert audit_events("paper.batch_imported") == []

    response = client.post(url, data=form)

    assert response.status_code == 302, text_of(response)[:3000]
    assert "/paper/batches/" in response.headers["Location"]
    assert counts_agree(s.petition).by_source == {"import": 1990}


def test_duplicates_in_the_file_and_against_earlier_batches(app, client):
    s = setup()
    signed_in(client, s)
    first = csv_bytes([HEADER, "Anna,Ivanova,Minsk,BY", "Ivan,Petrov,Brest,BY"])
    page, url = preview_page(client, s, first)
    client.post(url, data=preview_form(page.get_data(as_text=True)))
    second = csv_bytes(
        [
            "Country;First Name;Last Name;City",  # another order, another separator
            "by;anna; IVANOVA ;Minsk",  # the same as before, spelt differently
            "DE;Olga;Smirnova;Berlin",
            "DE;olga;smirnova;berlin",  # the same as line 3
        ]
    )

    page, url = preview_page(client, s, second)

    text = text_of(page)
    assert "Signatures to import 1" in text
    assert "Line 2: the same name, city and country as a signature entered before." in text
    assert "Line 4: the same name, city and country as line 3." in text
    form = preview_form(page.get_data(as_text=True)) | {"include_duplicates": "y"}
    response = client.post(url, data=form)
    assert response.status_code == 302
    assert counts_agree(s.petition).by_source == {"import": 5}


def test_a_stale_preview_is_refused_with_the_new_number(app, client):
    s = setup()
    signed_in(client, s)
    data = csv_bytes([HEADER, "Anna,Ivanova,Minsk,BY", "Ivan,Petrov,Brest,BY"])
    page, url = preview_page(client, s, data)
    other_page, other_url = preview_page(client, s, data)
    client.post(other_url, data=preview_form(other_page.get_data(as_text=True)))

    response = client.post(url, data=preview_form(page.get_data(as_text=True)))

    assert response.status_code == 409
    assert "The file now gives 0 signatures to import" in text_of(response)
    assert counts_agree(s.petition).by_source == {"import": 2}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "first_name,last_name,city,country\nJürgen,Müller,München,DE\n".encode("latin-1"),
            "The file is neither UTF-8 nor Windows-1251 (Cyrillic) text",
        ),
        (
            "first_name,last_name,city,country\nAnna,Ivanova,Minsk,BY\n".encode("utf-16"),
            "The file is in UTF-16",
        ),
        (b"name,city,country\nAnna Ivanova,Minsk,BY\n", "missing: first_name, last_name."),
        (b"first_name,last_name,country\n", "The file has a header but no rows."),
        (b"", "The file is empty."),
    ],
)
def test_bad_files_are_refused_next_to_the_field(app, client, data, message):
    s = setup()
    signed_in(client, s)

    response = upload(client, s, data)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="file-error"' in html
    assert message in text_of(response)
    assert 'value="Solidarity day stall"' in html  # what was typed stays
    assert db.session.scalars(select(PaperImport)).all() == []


def test_windows_1251_and_a_bom_are_read_and_named(app, client):
    s = setup()
    signed_in(client, s)
    cyrillic = csv_bytes([HEADER, "Алесь,Бяляцкі,Мінск,BY"], "cp1251")

    page, _ = preview_page(client, s, cyrillic)

    assert "The file was read as Windows-1251 (Cyrillic)." in text_of(page)
    assert "Бяляцкі" in text_of(page)
    page, _ = preview_page(client, s, b"\xef\xbb\xbf" + csv_bytes([HEADER, "Anna,Ivanova,,BY"]))
    assert "The file was read as UTF-8 with a byte order mark (BOM)." in text_of(page)


def test_too_many_rows_or_bytes_are_refused_with_the_limit(app, client):
    s = setup()
    signed_in(client, s)
    app.config["PAPER_IMPORT_MAX_ROWS"] = 5
    data = csv_bytes([HEADER] + [f"A{n},B{n},C,BY" for n in range(6)])

    response = upload(client, s, data)

    assert response.status_code == 400
    assert "The file has more than 5 rows: split it" in text_of(response)
    app.config["PAPER_IMPORT_MAX_BYTES"] = 100
    response = upload(client, s, csv_bytes([HEADER, "x" * 120 + ",y,z,BY"]))
    assert response.status_code == 400
    assert "The file is larger than 1 MB" in text_of(response)


def test_formula_cells_are_kept_as_text_and_neutralised_in_the_csv_export(app, client):
    from campaign_app.exports.rows import Selection, iter_rows
    from campaign_app.exports.writers.text import write_csv

    s = setup()
    signed_in(client, s)
    data = csv_bytes([HEADER, '=HYPERLINK("http://x"),+1,@home,BY', "-2,Anna,Minsk,BY"])
    page, url = preview_page(client, s, data)
    client.post(url, data=preview_form(page.get_data(as_text=True)))

    stored = db.session.scalars(select(Signature.first_name).order_by(Signature.id)).all()
    assert stored == ['=HYPERLINK("http://x")', "-2"]
    out = io.StringIO(newline="")
    write_csv(iter_rows(s.petition.id, Selection()), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][-1] == "source"
    assert rows[1][1:3] == ['\'=HYPERLINK("http://x") +1', "'@home"]
    assert rows[1][-1] == "import" and rows[2][1] == "'-2 Anna"


def test_a_hundred_thousand_rows_preview_without_timing_out(app, client):
    """The default limit takes 100,000 rows; the preview reads them in one request."""
    s = setup()
    signed_in(client, s)
    lines = [HEADER] + [f"N{n},S{n},Minsk,BY" for n in range(100_000)]

    page, _ = preview_page(client, s, csv_bytes(lines))

    assert page.status_code == 200
    assert "Signatures to import 100,000" in text_of(page)


def test_uploads_left_unimported_are_deleted_after_keep_hours(app, client):
    from datetime import timedelta

    from campaign_app.paper.jobs import delete_expired_imports

    s = setup()
    signed_in(client, s)
    _page, url = preview_page(client, s, csv_bytes([HEADER, "Anna,Ivanova,Minsk,BY"]))
    kept = db.session.scalars(select(PaperImport)).one()
    assert delete_expired_imports() == 0

    kept.created_at = kept.created_at - timedelta(hours=25)
    db.session.commit()

    assert delete_expired_imports() == 1
    assert db.session.scalars(select(PaperImport)).all() == []
    assert client.get(url).status_code == 404
