"""The A6 postcard PDF: pages, the words on them, the glyph check and the fitting of text."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.lib.units import mm

from campaign_app.letters.pdf import (
    Address,
    MessageTooLong,
    MissingGlyphs,
    postcard_pdf,
)
from campaign_app.letters.pdf.model import ARTWORKS
from tests.support.pdf import (
    A6,
    ADDRESS,
    ADDRESS_LINES,
    MESSAGE,
    PHRASES,
    SAFE,
    drawn_objects,
    flat,
    font_size,
    make_card,
    outside,
    page_sizes,
    page_text,
    text_lines,
    word_boxes,
)


def test_postcard_is_two_a6_pages() -> None:
    data = postcard_pdf(make_card())
    assert page_sizes(data) == [A6, A6]


def test_back_has_the_address_lines_in_order_and_the_message() -> None:
    data = postcard_pdf(make_card())
    lines = text_lines(data, 1)
    found = [lines.index(line) for line in ADDRESS_LINES]
    assert found == sorted(found), "addressee first, country last"
    assert found == list(range(found[0], found[0] + len(ADDRESS_LINES)))
    back = flat(page_text(data, 1))
    for phrase in PHRASES:
        assert phrase in back
    assert "Анна" in lines
    assert "Республика" not in back and "Republic of Belarus" not in back  # only in capitals


def test_front_has_the_title_and_no_address() -> None:
    data = postcard_pdf(make_card(front_title="С Новым годом!", artwork="snowflake"))
    front = flat(page_text(data, 0))
    assert front == "С Новым годом!"


@pytest.mark.parametrize("artwork", ARTWORKS)
@pytest.mark.parametrize("return_address", ["", "Anna Smith\n12 Long Road\nLondon N1 1AA\nUK"])
def test_everything_drawn_stays_6_mm_inside_the_card(artwork: str, return_address: str) -> None:
    data = postcard_pdf(make_card(artwork=artwork, return_address=return_address))
    width, height = A6
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            objects = drawn_objects(page)
            assert objects
            strays = [
                obj for obj in objects if outside(obj, SAFE, SAFE, width - SAFE, height - SAFE)
            ]
            assert not strays, strays[:3]


def test_blank_card_front_is_an_empty_frame_to_draw_in() -> None:
    data = postcard_pdf(make_card(artwork="blank", front_title=""))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        front = pdf.pages[0]
        assert not front.chars
        shapes = front.curves + front.rects
        frame = max(shapes, key=lambda shape: shape["width"] * shape["height"])
        assert frame["width"] > 80 * mm and frame["height"] > 120 * mm
        inside = [
            shape
            for shape in shapes
            if shape is not frame
            and shape["x1"] > frame["x0"] + 1
            and shape["x0"] < frame["x1"] - 1
            and shape["bottom"] > frame["top"] + 1
            and shape["top"] < frame["bottom"] - 1
        ]
        assert not inside, "the drawing area is left empty"
        assert len(shapes) > 20  # edged with dots in crayon colours


def test_belarusian_letters_and_apostrophe_are_printed() -> None:
    message = "Дарагі Алесь! Шчыра віншуем з днём нараджэння. Ўсё будзе добра, п’ем за Вас. Ёсць"
    data = postcard_pdf(make_card(message=message, signature="Ірына"))
    back = flat(page_text(data, 1))
    assert message in back
    assert "Ірына" in back


def test_decomposed_letters_are_printed_composed() -> None:
    data = postcard_pdf(make_card(message="Мои\u0306 друг, приве\u0308т"))
    assert "Мой друг, привёт" in flat(page_text(data, 1))


@pytest.mark.parametrize(
    ("field", "text", "bad"),
    [
        ("message", "Дорогой Алесь! 🙂 Здоровья!", ("🙂",)),
        ("message", "Привет 中 и 🙂 и ещё 中", ("中", "🙂")),
        ("signature", "Анна 🌷", ("🌷",)),
        ("front_title", "С днём рождения! 🎂", ("🎂",)),
        ("return_address", "Tokyo 東京", ("東", "京")),
    ],
)
def test_characters_without_a_glyph_are_refused_by_name(
    field: str, text: str, bad: tuple[str, ...]
) -> None:
    with pytest.raises(MissingGlyphs) as refused:
        postcard_pdf(make_card(**{field: text}))
    assert refused.value.characters == bad
    assert refused.value.field == field
    for char in bad:
        assert char in str(refused.value)
        assert f"U+{ord(char):04X}" in str(refused.value)


def test_missing_glyph_in_the_address_is_refused() -> None:
    address = Address("Беляцкому Алесю 🙂", ADDRESS.lines, ADDRESS.country_line)
    with pytest.raises(MissingGlyphs) as refused:
        postcard_pdf(make_card(address=address))
    assert refused.value.characters == ("🙂",)
    assert refused.value.field == "address"


def test_a_longer_message_shrinks_but_stays_whole_and_readable() -> None:
    message = " ".join([MESSAGE] * 6)
    data = postcard_pdf(make_card(message=message))
    assert flat(page_text(data, 1)).count("Мы помним о Вас.") == 6
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sizes = {font_size(char) for char in word_boxes(pdf.pages[1], "Дорогой")}
    (size,) = sizes
    assert 8 <= size < 11


def test_a_too_long_message_is_refused_with_the_characters_to_cut() -> None:
    message = " ".join([MESSAGE] * 20)
    with pytest.raises(MessageTooLong) as refused:
        postcard_pdf(make_card(message=message))
    excess = refused.value.excess_chars
    assert 0 < excess < len(message)
    assert refused.value.field == "message"
    assert str(excess) in str(refused.value)

    shorter = message[: len(message) - excess]
    data = postcard_pdf(make_card(message=shorter))
    assert flat(page_text(data, 1)).startswith(flat(shorter))
    # The estimate is tight: one character fewer cut is still too long.
    with pytest.raises(MessageTooLong):
        postcard_pdf(make_card(message=message[: len(message) - excess + 1]))


def test_a_word_wider_than_the_column_is_broken_not_overflowing() -> None:
    word = "Ааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааа"
    data = postcard_pdf(make_card(message=f"Привет {word} пока"))
    assert word in page_text(data, 1).replace("\n", "")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        back = pdf.pages[1]
        # The message column is the lower half of the portrait page (the back is turned).
        assert all(char["top"] >= A6[1] / 2 for char in word_boxes(back, word))


def test_a_signature_too_long_for_the_card_is_refused_as_the_signature() -> None:
    with pytest.raises(MessageTooLong) as refused:
        postcard_pdf(make_card(signature="Анна " * 400))
    assert refused.value.field == "signature"
    assert refused.value.excess_chars > 0


def test_unknown_artwork_is_refused() -> None:
    with pytest.raises(ValueError, match="artwork"):
        make_card(artwork="fireworks")


def test_same_card_gives_the_same_bytes() -> None:
    assert postcard_pdf(make_card()) == postcard_pdf(make_card())
