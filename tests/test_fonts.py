"""The shared fonts (campaign_app.fonts): present with their licence, found in a checkout and in
an installed build, embedded in every PDF, and covering the letters the prisoners' languages
need."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from campaign_app.fonts import BOLD, FONT_FILES, REGULAR, font_folder, missing_glyphs
from campaign_app.letters.pdf import check_glyphs, postcard_pdf
from tests.support.pdf import make_card

ROOT = Path(__file__).resolve().parents[1]
ALPHABETS = (
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ІіЎў’«»—–№"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÀÉÈÊËÏÔÙÛÜÇàéèêëïôùûüçœßäöü"
)


def _fake_fonts(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in FONT_FILES.values():
        (folder / name).write_bytes(b"")
    return folder


def test_fonts_and_their_licence_are_shipped_in_static_fonts() -> None:
    fonts = ROOT / "static" / "fonts"
    for name in FONT_FILES.values():
        assert (fonts / name).stat().st_size > 100_000
    licence = (fonts / "LICENSE-DejaVu.txt").read_text()
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


@pytest.mark.parametrize("font", [REGULAR, BOLD])
def test_the_fonts_draw_cyrillic_belarusian_latin_and_the_apostrophe(font: str) -> None:
    assert missing_glyphs(ALPHABETS, font) == ()
    check_glyphs(ALPHABETS, font)


def test_the_checkout_finds_static_fonts_beside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAMPAIGN_STATIC_FOLDER", raising=False)
    (tmp_path / "campaign_app").mkdir()
    beside = _fake_fonts(tmp_path / "static" / "fonts")
    assert font_folder(tmp_path / "campaign_app") == beside
    assert font_folder() == ROOT / "static" / "fonts"


def test_an_installed_build_finds_the_copy_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAMPAIGN_STATIC_FOLDER", raising=False)
    inside = _fake_fonts(tmp_path / "campaign_app" / "static" / "fonts")
    _fake_fonts(tmp_path / "static" / "fonts")  # another distribution's folder: not taken
    assert font_folder(tmp_path / "campaign_app") == inside


def test_a_static_folder_override_is_used_when_it_has_the_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    override = tmp_path / "mystatic"
    _fake_fonts(override / "fonts")
    monkeypatch.setenv("CAMPAIGN_STATIC_FOLDER", str(override))
    assert font_folder(tmp_path / "campaign_app") == override / "fonts"
    monkeypatch.setenv("CAMPAIGN_STATIC_FOLDER", str(tmp_path / "empty"))
    assert font_folder() == ROOT / "static" / "fonts"


def test_no_fonts_anywhere_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAMPAIGN_STATIC_FOLDER", raising=False)
    with pytest.raises(FileNotFoundError, match=r"DejaVuSans\.ttf"):
        font_folder(tmp_path / "campaign_app")


def test_every_char_in_a_postcard_is_drawn_with_the_embedded_dejavu() -> None:
    data = postcard_pdf(make_card())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fonts = {char["fontname"].split("+")[-1] for page in pdf.pages for char in page.chars}
    assert fonts == {REGULAR, BOLD}
    assert b"/FontFile2" in data  # TrueType program embedded (subset)
