"""The A4 letter with the sender's page, envelopes, address labels and the birthday poster."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.lib.units import mm

from campaign_app.letters.pdf import (
    Address,
    MessageTooLong,
    MissingGlyphs,
    envelope_pdf,
    labels_pdf,
    letter_pdf,
    poster_pdf,
)
from tests.support.pdf import (
    A4,
    ADDRESS,
    ADDRESS_LINES,
    MESSAGE,
    PHRASES,
    flat,
    make_card,
    page_sizes,
    page_text,
    text_lines,
    word_boxes,
)

TRANSLATION = "Dear Ales! Happy birthday! I wish you health and strength. We remember you."
SENDER_HEADING = "For you, the sender — do not post this page"


def test_letter_is_the_letter_then_the_senders_translation_page() -> None:
    data = letter_pdf(make_card(), TRANSLATION, "English")
    assert page_sizes(data) == [A4, A4]
    letter = text_lines(data, 0)
    found = [letter.index(line) for line in ADDRESS_LINES]
    assert found == list(range(found[0], found[0] + len(ADDRESS_LINES)))
    body = flat(page_text(data, 0))
    assert MESSAGE in body
    assert body.endswith("Анна")
    assert "Dear Ales" not in body and "sender" not in body

    appendix = flat(page_text(data, 1))
    assert appendix.startswith(SENDER_HEADING)
    assert "Translation (English)" in appendix
    assert TRANSLATION in appendix
    assert "Беляцкому" not in appendix


def test_letter_address_block_is_top_right() -> None:
    data = letter_pdf(
        make_card(return_address="Anna\n12 Long Road\nLondon"), TRANSLATION, "English"
    )
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        addressee = word_boxes(page, ADDRESS_LINES[0])
        sender = word_boxes(page, "Anna")
        message = word_boxes(page, PHRASES[0])
    assert addressee[0]["x0"] > A4[0] / 2 and addressee[0]["top"] < 40 * mm
    assert sender[0]["x0"] < A4[0] / 2 and sender[0]["top"] < 40 * mm
    assert message[0]["top"] > addressee[0]["bottom"]


def test_a_too_long_letter_or_translation_is_refused() -> None:
    with pytest.raises(MessageTooLong) as refused:
        letter_pdf(make_card(message=MESSAGE * 100), TRANSLATION, "English")
    assert refused.value.field == "message" and refused.value.excess_chars > 0
    with pytest.raises(MessageTooLong) as refused:
        letter_pdf(make_card(), TRANSLATION * 200, "English")
    assert refused.value.field == "translation" and refused.value.excess_chars > 0


def test_a_translation_the_font_cannot_draw_is_refused() -> None:
    with pytest.raises(MissingGlyphs) as refused:
        letter_pdf(make_card(), "親愛なるアレス", "日本語")
    assert refused.value.field in {"translation", "sender_language_label"}


@pytest.mark.parametrize(("size", "expected"), [("DL", (623.62, 311.81)), ("C6", (459.21, 323.15))])
def test_envelope_is_its_size_with_the_address_lower_right(
    size: str, expected: tuple[float, float]
) -> None:
    data = envelope_pdf(ADDRESS, size, "Anna Smith\n12 Long Road\nLondon")  # type: ignore[arg-type]
    assert page_sizes(data) == [expected]
    lines = text_lines(data, 0)
    for line in ADDRESS_LINES:
        assert line in lines
    width, height = expected
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        for line in ADDRESS_LINES:
            for char in word_boxes(page, line):
                assert char["x0"] >= width / 2 and char["top"] >= 40 * mm
                assert char["x1"] <= width - 15 * mm and char["bottom"] <= height - 15 * mm
        sender = word_boxes(page, "Anna")[0]
        assert sender["x0"] < width / 2 and sender["bottom"] < 30 * mm


def test_envelope_without_return_address_prints_only_the_address() -> None:
    data = envelope_pdf(ADDRESS, "C6")
    assert text_lines(data, 0) == list(ADDRESS_LINES)


def test_unknown_envelope_size_is_refused() -> None:
    with pytest.raises(ValueError, match="envelope size"):
        envelope_pdf(ADDRESS, "C4")  # type: ignore[arg-type]


def test_labels_fill_a4_pages_of_3_by_7() -> None:
    addresses = [
        Address(f"Получателю {n}", ADDRESS.lines, ADDRESS.country_line) for n in range(1, 26)
    ]
    out = io.BytesIO()
    assert labels_pdf(addresses, out) == 2
    data = out.getvalue()
    assert page_sizes(data) == [A4, A4]
    assert page_text(data, 0).count("REPUBLIC OF BELARUS") == 21
    assert page_text(data, 1).count("REPUBLIC OF BELARUS") == 4
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        margin = (297 - 7 * 42.3) / 2 * mm
        for n in range(1, 22):
            row, column = divmod(n - 1, 3)
            left, top = column * 70 * mm, margin + row * 42.3 * mm
            chars = word_boxes(page, f"Получателю{n}")
            assert all(left + 4.99 * mm <= char["x0"] < left + 65 * mm for char in chars), n
            assert all(top + 4 * mm <= char["top"] < top + 38.3 * mm for char in chars), n


def test_labels_refuse_a_bad_address_before_writing() -> None:
    out = io.BytesIO()
    with pytest.raises(MissingGlyphs):
        labels_pdf([ADDRESS, Address("Адресат 🙂", (), "Belarus")], out)
    assert out.getvalue() == b""


@pytest.mark.parametrize(("size", "expected"), [("A4", A4), ("A3", (841.89, 1190.55))])
def test_poster_greets_in_belarusian_english_and_russian(
    size: str, expected: tuple[float, float]
) -> None:
    data = poster_pdf("Алесь", "Ales", "Алесь", size)  # type: ignore[arg-type]
    assert page_sizes(data) == [expected]
    text = flat(page_text(data, 0))
    assert text == "З днём нараджэння, Алесь! Happy Birthday, Ales! С днём рождения, Алесь!"


def test_poster_name_is_large() -> None:
    data = poster_pdf("Алесь Бяляцкі", "Ales Bialiatski", "Алесь Беляцкий", "A4")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = word_boxes(pdf.pages[0], "AlesBialiatski!")
    assert min(char["size"] for char in chars) >= 28


def test_poster_refuses_a_name_too_long_to_read() -> None:
    with pytest.raises(MessageTooLong) as refused:
        poster_pdf("Алесь", "Ales " * 10, "Алесь", "A4")
    assert refused.value.field == "name_en"
    assert refused.value.excess_chars > 0
    shorter = ("Ales " * 10).strip()[: -refused.value.excess_chars]
    poster_pdf("Алесь", shorter, "Алесь", "A4")


def test_poster_refuses_an_emoji_in_a_name() -> None:
    with pytest.raises(MissingGlyphs) as refused:
        poster_pdf("Алесь 🎂", "Ales", "Алесь", "A4")
    assert refused.value.field == "name_be"
