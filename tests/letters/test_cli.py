"""`flask letters postcards`: writes the PDF atomically, explains bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from pypdf import PdfReader

from campaign_app.demo.data import load_demo
from tests.factories import make_occasion, make_phrase, make_prisoner


@pytest.fixture
def demo(app: Any) -> None:
    load_demo()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def postcards(runner: FlaskCliRunner, *args: str) -> Any:
    return runner.invoke(args=["letters", "postcards", *args])


def test_writes_the_pdf_with_the_right_page_count(
    demo: None, runner: FlaskCliRunner, out_dir: Path
) -> None:
    output = out_dir / "cards.pdf"

    result = postcards(
        runner,
        "--prisoner", "ales-bialiatski",
        "--occasion", "birthday",
        "--count", "9",
        "--layout", "a4-4up",
        "--mode", "duplex",
        "--output", str(output),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stdout and "9 cards on 6 pages" in result.stdout
    assert "Print at 100% / actual size." in result.stdout
    reader = PdfReader(output)
    assert len(reader.pages) == 6  # ceil(9 / 4) sheets, fronts and backs
    assert "Беляцкому Алесю Викторовичу" in (reader.pages[1].extract_text() or "")
    assert [p.name for p in out_dir.iterdir()] == ["cards.pdf"]  # no temporary file left


def test_several_prisoners_round_robin(app: Any, runner: FlaskCliRunner, out_dir: Path) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id)
    first, second = make_prisoner(), make_prisoner()
    output = out_dir / "cards.pdf"

    result = postcards(
        runner,
        "--prisoner", first.slug, "--prisoner", second.slug,
        "--occasion", occasion.slug, "--count", "5", "--mode", "message-only",
        "--output", str(output),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert len(PdfReader(output).pages) == 2
    assert f"{first.slug} " in result.stdout and f"{second.slug} " in result.stdout


def test_unknown_slug_is_an_error_and_writes_nothing(
    demo: None, runner: FlaskCliRunner, out_dir: Path
) -> None:
    output = out_dir / "cards.pdf"

    result = postcards(
        runner, "--prisoner", "nobody", "--occasion", "birthday", "--output", str(output)
    )

    assert result.exit_code == 1
    assert "No prisoner with the slug 'nobody'" in result.output
    assert not output.exists() and list(out_dir.iterdir()) == []


@pytest.mark.parametrize("count", ["0", "1001"])
def test_count_out_of_range_is_an_error(
    demo: None, runner: FlaskCliRunner, out_dir: Path, count: str
) -> None:
    output = out_dir / "cards.pdf"

    result = postcards(runner, "--occasion", "birthday", "--count", count, "--output", str(output))

    assert result.exit_code == 1
    assert "Choose between 1 and 1,000 cards per request" in result.output
    assert not output.exists()


def test_unwritable_output_is_an_error(demo: None, runner: FlaskCliRunner, out_dir: Path) -> None:
    output = out_dir / "missing-folder" / "cards.pdf"

    result = postcards(runner, "--occasion", "birthday", "--output", str(output))

    assert result.exit_code == 1
    assert f"Cannot write {output}: the folder" in result.output
    assert "does not exist" in result.output
    assert "Drawing cards" not in result.output  # refused before any drawing


def test_output_that_is_a_folder_is_an_error(
    demo: None, runner: FlaskCliRunner, out_dir: Path
) -> None:
    result = postcards(runner, "--occasion", "birthday", "--output", str(out_dir))

    assert result.exit_code == 2  # click's usage error
    assert "is a directory" in result.output


def test_unknown_occasion_is_an_error(demo: None, runner: FlaskCliRunner, out_dir: Path) -> None:
    result = postcards(runner, "--occasion", "easter", "--output", str(out_dir / "c.pdf"))

    assert result.exit_code == 1
    assert "No active occasion with the slug 'easter'" in result.output


def test_a_refused_card_leaves_no_file(app: Any, runner: FlaskCliRunner, out_dir: Path) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id, text_ru="Привет 🙂")
    prisoner = make_prisoner()

    result = postcards(
        runner, "--prisoner", prisoner.slug, "--occasion", occasion.slug,
        "--output", str(out_dir / "cards.pdf"),
    )  # fmt: skip

    assert result.exit_code == 1
    assert "font cannot print" in result.output
    assert list(out_dir.iterdir()) == []
