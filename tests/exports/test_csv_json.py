"""`flask petitions export` in CSV and JSON, and the CSV/JSON streamers, parsed back."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from campaign_app.exports.rows import BATCH_SIZE, ExportRow, Selection, iter_rows
from campaign_app.exports.writers import text
from campaign_app.extensions import db
from campaign_app.petitions.models import PublicDisplay, Signature, SignatureState
from tests.factories import make_petition, make_signature

HEADER = ["number", "name", "city", "country", "country_name", "confirmed_on", "source"]


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def run_export(runner, folder, slug, *options, name="out.csv"):
    output = folder / name
    result = runner.invoke(args=["petitions", "export", slug, "--output", str(output), *options])
    return result, output


def read_csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_numbers_rows_and_respects_display_choice(app, runner, out_dir):
    petition = make_petition(slug="deliver")
    make_signature(
        petition,
        first_name="Anna",
        last_name="Visible",
        email="anna.visible@example.org",
        city="Utrecht",
        confirmed_at=at("2026-03-01"),
    )
    make_signature(
        petition,
        first_name="Secret",
        last_name="Person",
        email="secret.person@example.org",
        city="Minsk",
        country="BY",
        display=PublicDisplay.ANONYMOUS,
        confirmed_at=at("2026-03-02"),
    )
    make_signature(petition, first_name="Pending", state=SignatureState.PENDING)

    result, output = run_export(runner, out_dir, "deliver", "--format", "csv")

    assert result.exit_code == 0, result.output
    assert f"Exported 2 signatures to {output}" in result.output
    rows = read_csv(output)
    assert rows == [
        HEADER,
        ["1", "Anna Visible", "Utrecht", "NL", "Netherlands", "2026-03-01", "online"],
        ["2", "Anonymous", "", "BY", "Belarus", "2026-03-02", "online"],
    ]
    content = output.read_text(encoding="utf-8")
    assert "@" not in content
    assert "Secret" not in content and "Minsk" not in content
    assert not content.startswith("\ufeff")


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+31 20", "-2+3", "@SUM(A1)", "\tTab"])
def test_formula_cells_come_out_as_text(app, runner, out_dir, name):
    petition = make_petition(slug="formulas")
    # The sign form refuses such names; rows inserted directly must still export safely.
    make_signature(petition, first_name=name, last_name="X", city="=cmd|calc")

    result, output = run_export(runner, out_dir, "formulas")

    assert result.exit_code == 0, result.output
    row = read_csv(output)[1]
    assert row[1] == f"'{name} X"
    assert row[2] == "'=cmd|calc"


def test_bom_only_when_asked(app, runner, out_dir):
    petition = make_petition(slug="excel")
    make_signature(petition, first_name="Zoë", last_name="Ñandú")

    result, output = run_export(runner, out_dir, "excel", "--bom")

    assert result.exit_code == 0, result.output
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfnumber,")
    assert "Zoë Ñandú" in raw.decode("utf-8-sig")


def test_filters_by_date_country_and_state(app, runner, out_dir):
    petition = make_petition(slug="filters")
    make_signature(petition, last_name="Early", country="NL", confirmed_at=at("2026-01-31"))
    make_signature(petition, last_name="First", country="NL", confirmed_at=at("2026-02-01"))
    make_signature(petition, last_name="Belgian", country="BE", confirmed_at=at("2026-02-10"))
    make_signature(petition, last_name="French", country="FR", confirmed_at=at("2026-02-15"))
    make_signature(petition, last_name="Last", country="NL", confirmed_at=at("2026-02-28"))
    make_signature(petition, last_name="Late", country="NL", confirmed_at=at("2026-03-01"))
    make_signature(petition, last_name="Waiting", country="NL", state=SignatureState.PENDING)
    make_signature(petition, last_name="Bad", country="NL", state=SignatureState.INVALIDATED)

    def names(*options):
        result, output = run_export(runner, out_dir, "filters", *options)
        assert result.exit_code == 0, result.output
        return [row[1].split()[-1] for row in read_csv(output)[1:]]

    assert names("--since", "2026-02-01", "--until", "2026-02-28") == [
        "First",
        "Belgian",
        "French",
        "Last",
    ]
    assert names("--country", "nl", "--country", "BE", "--since", "2026-02-01") == [
        "First",
        "Belgian",
        "Last",
        "Late",
    ]
    assert names() == ["Early", "First", "Belgian", "French", "Last", "Late"]
    assert names("--all-states") == [
        "Early",
        "First",
        "Belgian",
        "French",
        "Last",
        "Late",
        "Waiting",
        "Bad",
    ]


def test_empty_selection_gives_header_only_and_a_note(app, runner, out_dir):
    petition = make_petition(slug="nobody")
    make_signature(petition, country="NL")

    result, output = run_export(runner, out_dir, "nobody", "--country", "FR")

    assert result.exit_code == 0, result.output
    assert "Exported 0 signatures" in result.output
    assert "no signature matched" in result.output
    assert read_csv(output) == [HEADER]

    result, output = run_export(runner, out_dir, "nobody", "--country", "FR", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text(encoding="utf-8")) == []


def test_json_parsed_back(app, runner, out_dir):
    petition = make_petition(slug="as-json")
    make_signature(
        petition, first_name="Jan", last_name="Smit", city="Gent", country="BE",
        confirmed_at=at("2026-04-05"),
    )  # fmt: skip
    make_signature(
        petition, first_name="Olga", last_name="Hidden", city="Hrodna", country="BY",
        display=PublicDisplay.ANONYMOUS, confirmed_at=at("2026-04-06"),
    )  # fmt: skip

    result, output = run_export(runner, out_dir, "as-json", "--format", "json", name="out.json")

    assert result.exit_code == 0, result.output
    content = output.read_text(encoding="utf-8")
    assert "@" not in content and "Olga" not in content
    assert json.loads(content) == [
        {
            "number": 1,
            "name": "Jan Smit",
            "city": "Gent",
            "country": "BE",
            "country_name": "Belgium",
            "confirmed_on": "2026-04-05",
            "source": "online",
        },
        {
            "number": 2,
            "name": "Anonymous",
            "city": "",
            "country": "BY",
            "country_name": "Belarus",
            "confirmed_on": "2026-04-06",
            "source": "online",
        },
    ]


def test_keyset_pagination_across_batches(app, runner, out_dir):
    petition = make_petition(slug="many")
    total = BATCH_SIZE + 100
    confirmed_at = at("2026-05-01")
    db.session.execute(
        insert(Signature),
        [
            {
                "petition_id": petition.id,
                "first_name": "Signer",
                "last_name": f"N{i:05d}",
                "email": f"s{i}@example.org",
                "email_hash": f"hash-{i}",
                "country": "NL",
                "display": PublicDisplay.FIRST_NAME_AND_COUNTRY,
                "state": SignatureState.CONFIRMED,
                "confirmed_at": confirmed_at,
            }
            for i in range(total)
        ],
    )
    db.session.commit()

    streamed = list(iter_rows(petition.id, Selection()))
    assert [row.number for row in streamed] == list(range(1, total + 1))
    assert [row.name for row in streamed] == [f"Signer N{i:05d}" for i in range(total)]

    result, output = run_export(runner, out_dir, "many")
    assert result.exit_code == 0, result.output
    rows = read_csv(output)
    assert len(rows) == total + 1
    assert rows[-1][:2] == [str(total), f"Signer N{total - 1:05d}"]


def test_write_csv_streams_any_iterable():
    out = io.StringIO()
    row = ExportRow(1, "-1", "@x", "NL", "Netherlands", "2026-01-01", "paper")
    assert text.write_csv(iter([row]), out) == 1
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        HEADER,
        ["1", "'-1", "'@x", "NL", "Netherlands", "2026-01-01", "paper"],
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["missing-slug"], "No petition with slug 'missing-slug'"),
        (["known", "--since", "2026-13-01"], "--since must be a date as YYYY-MM-DD"),
        (["known", "--until", "yesterday"], "--until must be a date as YYYY-MM-DD"),
        (["known", "--since", "2026-02-02", "--until", "2026-02-01"], "must not be after"),
        (["known", "--country", "XX"], "Unknown country code(s): XX"),
    ],
)
def test_bad_input_is_refused_without_a_file(app, runner, out_dir, options, message):
    petition = make_petition(slug="known")
    make_signature(petition)

    result, output = run_export(runner, out_dir, *options)

    assert result.exit_code != 0
    assert message in result.output
    assert not output.exists()
    assert os.listdir(out_dir) == []


def test_unwritable_output_is_refused_without_partial_file(app, runner, out_dir):
    petition = make_petition(slug="nowhere")
    make_signature(petition)

    missing = out_dir / "no-such-folder" / "out.csv"
    result = runner.invoke(args=["petitions", "export", "nowhere", "--output", str(missing)])
    assert result.exit_code != 0
    assert "does not exist" in result.output

    result = runner.invoke(args=["petitions", "export", "nowhere", "--output", str(out_dir)])
    assert result.exit_code != 0
    assert "it is a folder" in result.output

    locked = out_dir / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = runner.invoke(
            args=["petitions", "export", "nowhere", "--output", str(locked / "out.csv")]
        )
        if os.access(locked, os.W_OK):  # running as root: permissions do not apply
            assert result.exit_code == 0
        else:
            assert result.exit_code != 0
            assert "not writable" in result.output
            assert os.listdir(locked) == []
    finally:
        locked.chmod(0o700)


def test_failure_while_writing_leaves_no_partial_file(app, runner, out_dir, monkeypatch):
    petition = make_petition(slug="breaks")
    make_signature(petition)

    def broken(rows, out, **_):
        out.write("number,name\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(text, "write_csv", broken)
    result, _ = run_export(runner, out_dir, "breaks")

    assert result.exit_code != 0
    assert "No space left on device" in result.output
    assert os.listdir(out_dir) == []
