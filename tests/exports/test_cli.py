"""`flask petitions export --format xlsx|pdf`: the files the command writes, parsed back."""

from __future__ import annotations

import hashlib
import os

from openpyxl import load_workbook
from pypdf import PdfReader

from campaign_app.petitions.models import PublicDisplay
from tests.factories import make_petition, make_signature
from tests.support.exports import page_text


def run_export(runner, folder, *options, name):
    (folder / "out").mkdir(exist_ok=True)
    output = folder / "out" / name
    args = ["petitions", "export", "cli", "--output", str(output), *options]
    return runner.invoke(args=args), output


def make_cli_petition():
    petition = make_petition(slug="cli", title="Free the prisoners")
    make_signature(petition, first_name="Olga", last_name="Шарко", city="Vilnius", country="LT")
    make_signature(petition, first_name="Jan", country="BE", display=PublicDisplay.ANONYMOUS)
    return petition


def test_xlsx_through_the_command(app, runner, tmp_path):
    make_cli_petition()

    result, output = run_export(runner, tmp_path, "--format", "xlsx", name="list.xlsx")

    assert result.exit_code == 0, result.output
    assert f"Exported 2 signatures to {output}" in result.output
    rows = [[c.value for c in row] for row in load_workbook(output).active.iter_rows()]
    assert rows[1][:5] == [1, "Olga Шарко", "Vilnius", "LT", "Lithuania"]
    assert rows[2][:5] == [2, "Anonymous", None, "BE", "Belgium"]
    assert [name for name in os.listdir(tmp_path / "out")] == [
        "list.xlsx"
    ]  # no temporary file left


def test_pdf_through_the_command(app, runner, tmp_path):
    make_cli_petition()

    result, output = run_export(runner, tmp_path, "--format", "pdf", name="list.pdf")
    assert result.exit_code == 0, result.output
    csv_result, csv_output = run_export(runner, tmp_path, name="list.csv")
    assert csv_result.exit_code == 0, csv_result.output

    cover, listing = (page_text(page) for page in PdfReader(output).pages)
    assert "Signatures in this list: 2" in cover
    assert hashlib.sha256(csv_output.read_bytes()).hexdigest() in cover
    assert "1 Olga Шарко Vilnius Lithuania" in listing
    assert "Page 2 of 2" in listing


def test_empty_pdf_says_so(app, runner, tmp_path):
    make_cli_petition()

    result, output = run_export(
        runner, tmp_path, "--format", "pdf", "--country", "FR", name="none.pdf"
    )

    assert result.exit_code == 0, result.output
    assert "Exported 0 signatures" in result.output
    assert "the file holds only the cover page" in result.output
    assert len(PdfReader(output).pages) == 1


def test_export_is_audited_without_personal_data(app, runner, tmp_path):
    from sqlalchemy import select

    from campaign_app.audit.models import AuditEvent
    from campaign_app.extensions import db

    petition = make_cli_petition()

    result, _ = run_export(
        runner, tmp_path, "--format", "xlsx", "--country", "LT", "--since", "2000-01-01",
        name="lt.xlsx",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (event,) = db.session.scalars(select(AuditEvent)).all()
    assert event.action == "signatures.exported"  # the same action as from the browser
    assert event.actor_label.startswith("command line")
    assert (event.petition_id, event.campaign_id, event.rows) == (
        petition.id,
        petition.campaign_id,
        1,
    )
    assert event.details == {
        "format": "xlsx",
        "via": "cli",
        "bom": False,
        "confirmed_only": True,
        "since": "2000-01-01",
        "until": None,
        "countries": ["LT"],
    }
    assert "Olga" not in str(event.details) and "Шарко" not in str(event.details)
