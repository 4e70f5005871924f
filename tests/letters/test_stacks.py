"""Stacks that look hand-made: phrases that suit the occasion and the season, phrase sets and
designs that vary card by card (the same every time), eight designs, one language a card."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.db import utcnow
from campaign_app.demo.data import load_demo
from campaign_app.demo.letters_data import PHRASES
from campaign_app.extensions import db
from campaign_app.letters import designs, phrasebook, printing
from campaign_app.letters.models import Artwork, Occasion, Phrase, Season
from campaign_app.letters.pdf import Address, Card, postcard_pdf
from campaign_app.letters.pdf.art_everyday import medallion_cell
from campaign_app.letters.pdf.card import CARD_H, CARD_W
from campaign_app.letters.pdf.palette import THREAD
from campaign_app.letters.pdf.sheets import sheet_geometry
from campaign_app.prisoners.models import CardLanguages
from tests.factories import make_occasion, make_phrase, make_prisoner, make_user
from tests.support.web import csrf_token, log_in, post_form, text_of

SEASONAL = {row[1]: row[2:] for row in PHRASES if row[1] is not Season.ANY}
RU, BE = 3, 4  # columns of PHRASES: occasion, season, en, ru, be, fr


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render(batch: printing.Batch) -> bytes:
    out = io.BytesIO()
    printing.write_batch(batch, out)
    return out.getvalue()


def stack(occasion: str = "birthday", count: int = 8, **kwargs: Any) -> bytes:
    return render(printing.plan_batch(printing.BatchInput((), occasion, count, **kwargs)))


def designs_used(data: bytes) -> set[str]:
    """The front designs drawn in a PDF (each is one form XObject named after it)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for name in page["/Resources"].get("/XObject", {}):
            match = re.search(r"art_([a-z]+)_", name)
            if match:
                names.add(match.group(1))
    return names


def messages_of_stack(data: bytes) -> list[str]:
    """The message side of every card of an A4 duplex stack, in card order, spaces removed.

    The backs of a sheet are mirrored left-right for the long-edge flip, so card n's back is
    found in the mirrored box of its front.
    """
    (page_w, _), boxes = sheet_geometry("a4-4up")
    backs = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for back in pdf.pages[1::2]:
            for x, y in boxes:
                left = max(0.0, page_w - x - CARD_W)
                top = max(0.0, back.height - y - CARD_H)
                box = (left, top, min(back.width, left + CARD_W), min(back.height, top + CARD_H))
                chars = back.within_bbox(box).chars
                text = "".join(char["text"] for char in chars)
                if text.strip():
                    backs.append(squeeze(text))
    return backs


def phrases_on(message: str, column: int) -> frozenset[str]:
    return frozenset(row[column] for row in PHRASES if squeeze(row[column]) in message)


@pytest.fixture
def demo(app: Any) -> None:
    load_demo()


def test_a_stack_of_eight_varies_its_designs_and_phrase_sets(demo: None) -> None:
    data = stack(count=8, language="be")
    assert designs_used(data) == {"balloons", "cake", "flowers", "ornament"}

    messages = messages_of_stack(data)
    assert len(messages) == 8
    sets = [phrases_on(message, BE) for message in messages]
    assert all(len(found) == 4 for found in sets)  # two of the birthday's, two for any day
    assert len(set(sets)) == 8  # every card says something of its own
    assert all(a != b for a, b in itertools.pairwise(sets))
    for message in messages:
        assert phrases_on(message, RU) == frozenset()  # all Belarusian
        assert message.count(squeeze("З днём нараджэння")) == 0  # the greeting is on the front


def test_the_same_request_gives_the_same_stack(demo: None) -> None:
    assert stack(count=8) == stack(count=8)


def test_no_seasonal_phrase_on_birthday_or_new_year_cards(demo: None) -> None:
    for occasion in ("birthday", "new-year", "arrest-anniversary"):
        text = squeeze(" ".join(messages_of_stack(stack(occasion, count=12))))
        for texts in SEASONAL.values():
            assert squeeze(texts[1]) not in text and squeeze(texts[2]) not in text, occasion


def test_a_card_for_any_time_may_say_what_the_season_is(demo: None) -> None:
    today = phrasebook.season_of(utcnow().date())
    text = squeeze(" ".join(messages_of_stack(stack("support", count=12, language="ru"))))
    for season, texts in SEASONAL.items():
        assert (squeeze(texts[1]) in text) is (season is today), season


@pytest.mark.parametrize(
    ("day", "season"),
    [
        (date(2026, 4, 20), Season.SPRING),
        (date(2026, 7, 1), Season.SUMMER),
        (date(2026, 10, 5), Season.AUTUMN),
        (date(2026, 1, 15), Season.WINTER),
    ],
)
def test_seasonal_phrases_only_in_their_season_on_cards_for_any_time(
    demo: None, day: date, season: Season
) -> None:
    def occasion(slug: str) -> Occasion:
        found = db.session.scalar(select(Occasion).where(Occasion.slug == slug))
        assert found is not None
        return found

    support = {p.season for p in phrasebook.list_phrases(occasion("support"), day)}
    assert support == {Season.ANY, season}
    for slug in ("birthday", "new-year", "ales-50th-birthday-week"):
        assert {p.season for p in phrasebook.list_phrases(occasion(slug), day)} == {Season.ANY}


def test_every_card_is_in_a_language_its_prisoner_accepts(demo: None) -> None:
    russian_only = make_prisoner(card_languages=CardLanguages.RUSSIAN)
    batch = printing.plan_batch(
        printing.BatchInput(("ales-bialiatski", russian_only.slug), "birthday", 4, language="be")
    )
    by_prisoner = {}
    for card in batch.cards:
        by_prisoner.setdefault(card.address.addressee, set()).add(card.front_title)
    assert by_prisoner == {
        "Бяляцкаму Алесю Віктаравічу": {"З днём нараджэння!"},
        "Примеру Алесю Викторовичу": {"С днём рождения!"},
    }


def test_message_only_cards_carry_the_greeting_once(demo: None) -> None:
    data = stack(count=4, mode="message-only", language="ru")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = squeeze(reader.pages[0].extract_text())
    assert text.count(squeeze("С днём рождения!")) == 4


def test_a_chosen_design_goes_on_every_card(demo: None) -> None:
    assert designs_used(stack(count=8, design="blank")) == {"blank"}
    with pytest.raises(printing.PrintingError):
        printing.plan_batch(printing.BatchInput((), "birthday", 4, design="fireworks"))


def test_designs_suit_the_occasion_and_neighbours_differ(demo: None) -> None:
    for occasion in db.session.scalars(select(Occasion)):
        suited = designs.suited_designs(occasion)
        assert suited[0] is occasion.artwork
        assert Artwork.BLANK not in suited[1:]  # the drawing frame is chosen on purpose
        picked = [designs.stack_design(occasion, n) for n in range(12)]
        assert set(picked) == set(suited)
        assert all(a != b for a, b in itertools.pairwise(picked))
    new_year = db.session.scalar(select(Occasion).where(Occasion.slug == "new-year"))
    assert new_year is not None
    assert {designs.stack_design(new_year, n) for n in range(3)} == {
        Artwork.FIR,
        Artwork.SNOWFLAKE,
        Artwork.ORNAMENT,
    }


def test_at_least_eight_designs_each_named_in_the_readers_language(app: Any) -> None:
    assert len(designs.DESIGN_NAMES) == len(Artwork) >= 8
    with app.test_request_context("/?lang=be"):
        names = {choice.label for choice in designs.design_choices()}
    assert "Беларускі арнамент" in names and "Рамка для дзіцячага малюнка" in names


def test_the_ornament_is_red_thread_on_white() -> None:
    address = Address("Бяляцкаму Алесю", ("ПК-2",), "Republic of Belarus")
    card = Card("x", "", "Жадаем вам моцнага здароўя.", "Ганна", address, artwork="ornament")
    with pdfplumber.open(io.BytesIO(postcard_pdf(card))) as pdf:
        front = pdf.pages[0]
        stitches = front.lines
        assert len(stitches) > 300  # cross-stitches, two threads each
        assert {tuple(line["stroking_color"]) for line in stitches} == {THREAD}
        assert not front.rects and not front.chars
    # The medallion is symmetric, as embroidery is.
    cells = {(i, j) for i in range(-13, 14) for j in range(-13, 14) if medallion_cell(i, j)}
    assert cells == {(-i, j) for i, j in cells} == {(j, i) for i, j in cells}


def test_the_print_page_offers_designs_and_the_cards_language(
    demo: None, client: FlaskClient
) -> None:
    page = client.get("/letters/print?lang=be").get_data(as_text=True)
    assert '<option selected value="varied">' in page
    assert ">Беларускі арнамент</option>" in page
    assert 'checked id="language-1" name="language" type="radio" value="be"' in page

    form = {
        "csrf_token": csrf_token(client, "/letters/print"),
        "occasion": "new-year",
        "count": "4",
        "layout": "a4-4up",
        "mode": "duplex",
        "design": "ornament",
        "language": "be",
    }
    response = client.post("/letters/print", data=form)
    assert response.status_code == 200, text_of(response)
    assert designs_used(response.data) == {"ornament"}
    front = squeeze(PdfReader(io.BytesIO(response.data)).pages[0].extract_text())
    assert front == squeeze("З Новым годам!") * 4


def test_the_command_takes_a_design_and_a_language(
    demo: None, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    output = tmp_path / "cards.pdf"
    result = runner.invoke(
        args=["letters", "postcards", "--occasion", "birthday", "--count", "4",
              "--design", "cake", "--language", "be", "--output", str(output)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert designs_used(data) == {"cake"}
    front = squeeze(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert front == squeeze("З днём нараджэння!") * 4


def test_a_seasonal_phrase_for_a_birthday_is_refused(app: Any, client: FlaskClient) -> None:
    birthday = make_occasion(slug="birthday", kind="birthday")
    log_in(client, make_user(Role.ADMIN))
    form = {
        "occasion": str(birthday.id),
        "season": "spring",
        "text_en": "Spring is coming.",
        "text_ru": "Скоро весна.",
        "text_be": "Хутка вясна.",
        "text_fr": "Le printemps arrive.",
        "position": "5",
    }
    response = post_form(client, "/organise/reference/phrases/new", form)
    assert response.status_code == 400
    assert "A seasonal phrase is printed only on cards for any time" in text_of(response)
    form["occasion"] = "general"
    assert post_form(client, "/organise/reference/phrases/new", form).status_code == 302
    phrase = db.session.scalar(select(Phrase).where(Phrase.text_en == "Spring is coming."))
    assert phrase is not None and phrase.season is Season.SPRING


def test_a_phrase_repeating_the_greeting_is_left_out_of_stacks(app: Any) -> None:
    occasion = make_occasion(front_title_ru="С днём рождения!", front_title_be="З днём нараджэння!")
    make_phrase(occasion_id=occasion.id, text_ru="С днём рождения!", text_be="З днём нараджэння!")
    make_phrase(occasion_id=occasion.id, text_ru="Желаем вам здоровья.", text_be="Жадаем здароўя.")
    prisoner = make_prisoner()
    batch = printing.plan_batch(printing.BatchInput((prisoner.slug,), occasion.slug, 1))
    assert batch.cards[0].message == "Желаем вам здоровья."
    assert batch.cards[0].front_title == "С днём рождения!"


def test_a_prisoner_accepts_both_languages_unless_the_organiser_says_otherwise(
    app: Any, client: FlaskClient
) -> None:
    make_occasion(slug="birthday")
    prisoner = make_prisoner()
    assert prisoner.card_languages is CardLanguages.BOTH
    assert prisoner.card_language_options == ("ru", "be")  # the address's language first
    page = client.get(f"/letters/write/{prisoner.slug}?lang=en").get_data(as_text=True)
    assert 'name="card_language" type="radio" value="be"' in page
    prisoner.card_languages = CardLanguages.BELARUSIAN
    db.session.commit()
    page = client.get(f"/letters/write/{prisoner.slug}?lang=en").get_data(as_text=True)
    assert 'name="card_language" type="radio"' not in page
    assert 'type="hidden" name="card_language" value="be"' in page


def test_the_print_page_explains_a_refusal_in_the_readers_language(
    app: Any, client: FlaskClient
) -> None:
    occasion = make_occasion(name_en="Birthday")
    make_prisoner()
    form = {
        "csrf_token": csrf_token(client, "/letters/print?lang=ru"),
        "occasion": occasion.slug,
        "count": "4",
        "layout": "a4-4up",
        "mode": "duplex",
        "design": "varied",
        "language": "",
    }
    response = client.post("/letters/print", data=form)
    assert response.status_code == 422
    assert "У повода «День рождения» пока нет проверенных фраз для печати." in text_of(response)


def test_the_largest_stack_is_written_the_readers_way(demo: None, client: FlaskClient) -> None:
    page = text_of(client.get("/letters/print?lang=ru"))
    assert "От 1 до 1 000 открыток" in page  # text_of folds the no-break space
    form = {
        "csrf_token": csrf_token(client, "/letters/print"),
        "occasion": "birthday",
        "count": "1001",
        "layout": "a4-4up",
        "mode": "duplex",
        "design": "varied",
        "language": "",
    }
    response = client.post("/letters/print", data=form)
    assert response.status_code == 400
    assert "1,000" not in text_of(response)
