"""Postcards on A4 4-up and US Letter 2-up sheets: sizes, card boxes, duplex order, modes."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest
from reportlab.lib.units import mm

from campaign_app.letters.pdf import MissingGlyphs, postcard_pdf, sheets_pdf
from tests.support.pdf import (
    A4,
    ADDRESS_LINES,
    LETTER,
    SAFE,
    drawn_objects,
    flat,
    font_size,
    make_card,
    outside,
    page_sizes,
    page_text,
    word_boxes,
)

CARD_W, CARD_H = 105 * mm, 148 * mm
NUMBERS = ("Один", "Два", "Три", "Четыре", "Пять", "Шесть")


def numbered_cards(count: int) -> list[Any]:
    """Cards told apart by their title (front) and their signature (back)."""
    return [
        make_card(front_title=f"Карточка {NUMBERS[n]}", signature=f"Подпись{NUMBERS[n]}")
        for n in range(count)
    ]


def render(count: int, **options: Any) -> tuple[bytes, int]:
    out = io.BytesIO()
    pages = sheets_pdf(numbered_cards(count), out, **options)
    return out.getvalue(), pages


def trim_boxes(page: Any) -> list[tuple[float, float, float, float]]:
    """The card-sized rectangles on a page as (x0, y0, x1, y1) in PDF points, from the bottom."""
    return sorted(
        (rect["x0"], rect["y0"], rect["x1"], rect["y1"])
        for rect in page.rects
        if abs(rect["width"] - CARD_W) < 1 and abs(rect["height"] - CARD_H) < 1
    )


def box_of(char: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> int:
    """Index of the box holding a char (pdfplumber's top is from the page top)."""
    for index, (x0, y0, x1, y1) in enumerate(boxes):
        if x0 <= char["x0"] <= x1 and y0 <= char["y0"] <= y1:
            return index
    raise AssertionError(f"char {char['text']!r} is in no card box")


def test_a4_4up_sheet_is_exactly_a4_with_card_boxes_of_exactly_105_by_148_mm() -> None:
    data, pages = render(4, layout="a4-4up", mode="duplex")
    assert pages == 2
    assert page_sizes(data) == [A4, A4]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            boxes = trim_boxes(page)
            assert len(boxes) == 4
            for x0, y0, x1, y1 in boxes:
                assert round((x1 - x0) / mm, 2) == 105.0
                assert round((y1 - y0) / mm, 2) == 148.0
            # The cut lines: the boxes meet on the centre lines x = 105 mm and y = 148.5 mm.
            xs = sorted({round(v / mm, 2) for box in boxes for v in (box[0], box[2])})
            ys = sorted({round(v / mm, 2) for box in boxes for v in (box[1], box[3])})
            assert xs == [0.0, 105.0, 210.0]
            assert ys == [0.5, 148.5, 296.5]


def test_duplex_backs_are_mirrored_left_right_for_a_long_edge_flip() -> None:
    data, _ = render(4, layout="a4-4up", mode="duplex")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fronts, backs = pdf.pages
        front_boxes, back_boxes = trim_boxes(fronts), trim_boxes(backs)
        page_w = float(fronts.width)
        for number in NUMBERS[:4]:
            front = word_boxes(fronts, f"Карточка{number}")[0]
            back = word_boxes(backs, f"Подпись{number}")[0]
            fx0, fy0, fx1, _ = front_boxes[box_of(front, front_boxes)]
            bx0, by0, bx1, _ = back_boxes[box_of(back, back_boxes)]
            assert (bx0, bx1) == (pytest.approx(page_w - fx1), pytest.approx(page_w - fx0))
            assert by0 == pytest.approx(fy0)
        # Card 1 is top left on the fronts, so its back is top right.
        first_back = word_boxes(backs, "ПодписьОдин")[0]
        assert first_back["x0"] > 105 * mm and first_back["top"] < 148.5 * mm


def test_five_cards_make_two_sheet_pairs_and_report_progress() -> None:
    seen: list[int] = []
    out = io.BytesIO()
    pages = sheets_pdf(
        numbered_cards(5), out, layout="a4-4up", mode="duplex", on_progress=seen.append
    )
    assert pages == 4
    assert seen == [4, 5]
    data = out.getvalue()
    assert page_sizes(data) == [A4] * 4
    assert "Карточка Пять" in flat(page_text(data, 2))
    assert "ПодписьПять" in page_text(data, 3)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(trim_boxes(pdf.pages[2])) == 1
        (lone_back,) = trim_boxes(pdf.pages[3])
        assert round(lone_back[0] / mm, 2) == 105.0  # top right: behind the top-left front


def test_backs_carry_the_address_and_message_exactly() -> None:
    data, _ = render(4, layout="a4-4up", mode="duplex")
    lines = [line.strip() for line in page_text(data, 1).splitlines()]
    for line in ADDRESS_LINES:
        assert lines.count(line) == 4
    assert "Карточка" not in page_text(data, 1)


def first_chars(page: Any, word: str) -> list[dict[str, Any]]:
    """The first char of every occurrence of word on the page, in drawing order."""
    chars = [char for char in page.chars if char["text"].strip()]
    drawn, target = "".join(char["text"] for char in chars), word.replace(" ", "")
    starts = [i for i in range(len(drawn)) if drawn.startswith(target, i)]
    return [chars[i] for i in starts]


@pytest.mark.parametrize(
    "word",
    ["С днём рождения!", "Мы помним о Вас.", "REPUBLIC OF BELARUS"],
    ids=["title", "message", "address"],
)
def test_a_stack_repeating_its_texts_prints_them_whole_where_a_single_card_has_them(
    word: str,
) -> None:
    # Eight cards alike: each text is drawn once and placed on every card after the first.
    out = io.BytesIO()
    sheets_pdf([make_card()] * 8, out, layout="a4-4up", mode="duplex")
    single = postcard_pdf(make_card())
    with (
        pdfplumber.open(io.BytesIO(out.getvalue())) as sheets,
        pdfplumber.open(io.BytesIO(single)) as card,
    ):
        side = 0 if word.startswith("С днём") else 1
        (expected,) = first_chars(card.pages[side], word)
        for page in sheets.pages[side::2]:
            boxes = trim_boxes(page)
            found = first_chars(page, word)
            assert sorted(box_of(char, boxes) for char in found) == [0, 1, 2, 3]
            for char in found:
                x0, y0, _, _ = boxes[box_of(char, boxes)]
                assert char["x0"] - x0 == pytest.approx(expected["x0"], abs=0.01)
                assert char["y0"] - y0 == pytest.approx(expected["y0"], abs=0.01)
                assert char["fontname"] == expected["fontname"]
                assert font_size(char) == font_size(expected)


def test_message_only_prints_only_backs_unmirrored() -> None:
    data, pages = render(6, layout="a4-4up", mode="message-only")
    assert pages == 2
    for index in range(2):
        text = page_text(data, index)
        assert "REPUBLIC OF BELARUS" in text
        assert "Карточка" not in text
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = word_boxes(pdf.pages[0], "ПодписьОдин")[0]
        assert first["x0"] < 105 * mm and first["top"] < 148.5 * mm


def test_fronts_only_prints_only_fronts() -> None:
    data, pages = render(6, layout="a4-4up", mode="fronts-only")
    assert pages == 2
    assert "Карточка Один" in flat(page_text(data, 0))
    assert "REPUBLIC OF BELARUS" not in page_text(data, 0) + page_text(data, 1)


def test_letter_2up_puts_two_cards_at_full_size_in_the_middle() -> None:
    data, pages = render(3, layout="letter-2up", mode="duplex")
    assert pages == 4
    assert page_sizes(data) == [LETTER] * 4
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        boxes = trim_boxes(pdf.pages[0])
        assert len(boxes) == 2
        (left_x0, y0, _, y1), (_, _, right_x1, _) = boxes
        for x0, b0, x1, b1 in boxes:
            assert round((x1 - x0) / mm, 2) == 105.0
            assert round((b1 - b0) / mm, 2) == 148.0
        assert left_x0 == pytest.approx(LETTER[0] - right_x1)  # centred across
        assert y0 == pytest.approx(LETTER[1] - y1)  # and down
        back = word_boxes(pdf.pages[1], "ПодписьОдин")[0]
        assert back["x0"] > LETTER[0] / 2  # card 1 is on the left, its back on the right


@pytest.mark.parametrize("layout", ["a4-4up", "letter-2up"])
@pytest.mark.parametrize("mode", ["duplex", "message-only"])
def test_nothing_but_the_cut_lines_comes_within_6_mm_of_a_card_edge(layout: str, mode: str) -> None:
    data, _ = render(4, layout=layout, mode=mode)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            boxes = trim_boxes(page)
            height = float(page.height)
            inner = [
                (x0 + SAFE, height - y1 + SAFE, x1 - SAFE, height - y0 - SAFE)
                for x0, y0, x1, y1 in boxes
            ]
            for obj in drawn_objects(page):
                if (obj["x0"], obj["y0"], obj["x1"], obj["y1"]) in boxes:
                    continue
                assert any(not outside(obj, *box) for box in inner), obj


def test_a_refused_card_leaves_the_output_empty_and_is_named() -> None:
    cards = [*numbered_cards(5), make_card(message="Привет 🙂")]
    out = io.BytesIO()
    with pytest.raises(MissingGlyphs) as refused:
        sheets_pdf(cards, out, layout="a4-4up", mode="duplex")
    assert refused.value.characters == ("🙂",)
    assert "card 6" in refused.value.__notes__
    assert out.getvalue() == b""


def test_cards_may_come_from_a_generator() -> None:
    out = io.BytesIO()
    cards = (card for card in numbered_cards(3))
    assert sheets_pdf(cards, out, layout="letter-2up", mode="fronts-only") == 2


@pytest.mark.parametrize(
    "options",
    [
        {"layout": "a4-9up", "mode": "duplex"},
        {"layout": "a4-4up", "mode": "backs"},
    ],
)
def test_unknown_layout_or_mode_is_refused(options: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown"):
        sheets_pdf(numbered_cards(1), io.BytesIO(), **options)  # type: ignore[arg-type]


def test_no_cards_is_refused() -> None:
    with pytest.raises(ValueError, match="no cards"):
        sheets_pdf([], io.BytesIO(), layout="a4-4up", mode="duplex")
