"""An erased signer appears in no export format, while the counts by country stay."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from campaign_app.exports.rows import Selection, count_rows
from campaign_app.exports.write import write_stream
from campaign_app.exports.writers import FORMATS
from campaign_app.privacy.service import erasing
from tests.factories import make_petition, make_signature
from tests.support.privacy import counts_of


def export_text(petition, fmt: str) -> str:
    out = io.BytesIO()
    write_stream(petition, Selection(confirmed_only=False), fmt, out)
    data = out.getvalue()
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for row in sheet.iter_rows(values_only=True)
        )
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_erased_signer_is_in_no_export(app, fmt):
    petition = make_petition()
    make_signature(petition, first_name="Kept", last_name="Person", city="Vilnius", country="LT")
    make_signature(
        petition,
        first_name="Erased",
        last_name="Zhukava",
        city="Hrodna",
        country="BY",
        email="zh@example.org",
        email_normalized="zh@example.org",
    )
    make_signature(petition, first_name="Other", last_name="Signer", country="BY")
    before = counts_of(petition.id)
    assert "Zhukava" in export_text(petition, fmt)

    erasing.erase_signer("zh@example.org", via="cli")

    text = export_text(petition, fmt)
    assert "Zhukava" not in text and "Hrodna" not in text and "Erased" not in text
    assert "Kept Person" in text and "Other Signer" in text
    assert counts_of(petition.id) == before
    assert before[1] == {"BY": 2, "LT": 1}
    assert count_rows(petition.id, Selection()) == 2
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert [row[0] for row in rows[1:]] == ["1", "2"]  # numbering has no gap
    if fmt == "json":
        assert len(json.loads(text)) == 2
