"""Batch printing: who gets the cards, what they say, page counts and sizes, the web page."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from campaign_app.demo.data import load_demo
from campaign_app.letters import printing
from campaign_app.prisoners.models import AddressLanguage, PrisonerStatus
from tests.factories import make_card_sent, make_occasion, make_phrase, make_prisoner
from tests.support.web import csrf_token

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def render(batch: printing.Batch) -> PdfReader:
    out = io.BytesIO()
    pages = printing.write_batch(batch, out)
    reader = pdf_reader(out.getvalue())
    assert pages == len(reader.pages)
    return reader


def text_of(reader: PdfReader) -> str:
    """The PDF's words, with wrapped lines joined by single spaces."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def page_size(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return float(box.width), float(box.height)


@pytest.fixture
def demo(app: Any) -> None:
    load_demo()


def batch(*slugs: str, occasion: str = "birthday", count: int = 4, **kwargs: Any) -> printing.Batch:
    return printing.plan_batch(printing.BatchInput(slugs, occasion, count, **kwargs))


@pytest.mark.parametrize("count", [1, 4, 10])
def test_duplex_a4_sheets_have_two_pages_per_four_cards(demo: None, count: int) -> None:
    reader = render(batch("ales-bialiatski", count=count))

    assert len(reader.pages) == math.ceil(count / 4) * 2
    for index in range(len(reader.pages)):
        width, height = page_size(reader, index)
        assert width == pytest.approx(A4[0], abs=0.01)
        assert height == pytest.approx(A4[1], abs=0.01)


def test_message_only_and_us_letter(demo: None) -> None:
    message_only = render(batch("ales-bialiatski", count=10, mode="message-only"))
    letter = render(batch("ales-bialiatski", count=5, layout="letter-2up"))

    assert len(message_only.pages) == 3
    assert len(letter.pages) == 6  # ceil(5 / 2) sheets, fronts and backs
    assert page_size(letter) == pytest.approx(LETTER, abs=0.01)


def test_cards_carry_the_cyrillic_address_phrases_and_a_line_to_sign(demo: None) -> None:
    text = text_of(render(batch("ales-bialiatski", count=1)))

    for expected in (
        "С днём рождения!",
        "Беляцкому Алесю Викторовичу",
        "ИК-2, отряд 14",
        "213807, г. Бобруйск",
        "REPUBLIC OF BELARUS",
        "—",
    ):
        assert expected in text
    assert "We wish" not in text  # never the sender's language on the card
    assert "________" in text


def test_belarusian_address_language_prints_belarusian_phrases(app: Any) -> None:
    occasion = make_occasion(front_title_be="Мы з вамі")
    make_phrase(occasion_id=occasion.id, text_ru="Привет.", text_be="Вітаем.")
    prisoner = make_prisoner(
        address_language=AddressLanguage.BELARUSIAN, full_name_dative_be="Прыкладу Алесю"
    )
    prisoner.addresses[0].lines_be = "ПК-2, атрад 14\nвул. Сікорскага, 1"
    from campaign_app.extensions import db

    db.session.commit()

    text = text_of(render(batch(prisoner.slug, occasion=occasion.slug, count=1)))

    assert "Вітаем." in text and "Привет." not in text
    assert "Прыкладу Алесю" in text and "вул. Сікорскага, 1" in text
    assert "Мы з вамі" in text


def test_round_robin_favours_the_prisoner_with_fewer_cards_sent(app: Any) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id)
    many = make_prisoner(full_name_dative_ru="Многому Алесю")
    few = make_prisoner(full_name_dative_ru="Малому Ивану")
    make_card_sent(many, count=5)
    make_card_sent(few, count=1)

    planned = batch(many.slug, few.slug, occasion=occasion.slug, count=3)

    assert [card.address.addressee for card in planned.cards] == [
        "Малому Ивану",
        "Многому Алесю",
        "Малому Ивану",
    ]
    assert {share.slug: share.count for share in planned.shares} == {few.slug: 2, many.slug: 1}
    text = text_of(render(planned))
    assert text.count("Малому Ивану") == 2 and text.count("Многому Алесю") == 1


def test_released_prisoners_are_skipped_and_all_released_is_explained(app: Any) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id)
    released = make_prisoner(status=PrisonerStatus.RELEASED)
    held = make_prisoner(full_name_dative_ru="Держимому Алесю")

    planned = batch(released.slug, held.slug, occasion=occasion.slug, count=2)
    assert {card.address.addressee for card in planned.cards} == {"Держимому Алесю"}
    assert [item.slug for item in planned.skipped] == [released.slug]

    with pytest.raises(printing.NoWritablePrisoners, match="status is released"):
        batch(released.slug, occasion=occasion.slug, count=2)


def test_everyone_who_accepts_mail_when_no_prisoner_is_chosen(app: Any) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id)
    make_prisoner(status=PrisonerStatus.RELEASED, full_name_dative_ru="Свободному")
    make_prisoner(full_name_dative_ru="Первому")
    make_prisoner(status=PrisonerStatus.TRANSFERRED, full_name_dative_ru="Второму")

    planned = batch(occasion=occasion.slug, count=4)

    assert sorted({card.address.addressee for card in planned.cards}) == ["Второму", "Первому"]


@pytest.mark.parametrize("count", [0, -3, 1001])
def test_count_out_of_range_is_refused(demo: None, count: int) -> None:
    with pytest.raises(printing.CountOutOfRange, match="between 1 and 1,000"):
        batch("ales-bialiatski", count=count)


def test_unknown_prisoner_and_occasion(demo: None) -> None:
    with pytest.raises(printing.UnknownPrisoners, match="'nobody'"):
        batch("ales-bialiatski", "nobody")
    with pytest.raises(printing.UnknownOccasion, match="'no-such'"):
        batch("ales-bialiatski", occasion="no-such")


# The web page --------------------------------------------------------------------------


def post_print(client: FlaskClient, **fields: Any) -> Any:
    form: dict[str, Any] = {
        "prisoners": ["ales-bialiatski"],
        "occasion": "birthday",
        "count": "10",
        "layout": "a4-4up",
        "mode": "duplex",
        "csrf_token": csrf_token(client, "/letters/print"),
    }
    form.update(fields)
    return client.post("/letters/print", data=form)


def test_print_page_offers_the_form_and_printing_advice(demo: None, client: FlaskClient) -> None:
    page = client.get("/letters/print?prisoner=ales-bialiatski").get_data(as_text=True)

    assert "Ales Bialiatski" in page
    assert 'value="ales-bialiatski" selected' in page or 'selected value="ales-bialiatski"' in page
    assert "Print at 100% / actual size." in page
    assert "flip on the long edge" in page
    assert "js/print.js" in page and "<script>" not in page


def test_print_downloads_the_whole_pdf_as_an_attachment(demo: None, client: FlaskClient) -> None:
    response = post_print(client)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".pdf" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    reader = pdf_reader(response.get_data())
    assert len(reader.pages) == 6
    assert page_size(reader) == pytest.approx(A4, abs=0.01)
    assert "Беляцкому Алесю Викторовичу" in text_of(reader)


@pytest.mark.parametrize("count", ["0", "1001", ""])
def test_print_form_rejects_count_out_of_range(demo: None, client: FlaskClient, count: str) -> None:
    response = post_print(client, count=count)

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Choose between 1 and 1,000 cards per request." in response.get_data(as_text=True)


def test_print_form_explains_when_nobody_can_receive_cards(app: Any, client: FlaskClient) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id)
    make_prisoner(status=PrisonerStatus.RELEASED)

    # No prisoner chosen: everyone who accepts mail, and nobody does.
    response = post_print(client, prisoners=[], occasion=occasion.slug)

    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "None of the chosen prisoners can receive a card" in response.get_data(as_text=True)


def test_print_form_does_not_offer_released_prisoners(app: Any, client: FlaskClient) -> None:
    load_demo()
    released = make_prisoner(status=PrisonerStatus.RELEASED, surname_latin="Freed")

    assert "Freed" not in client.get("/letters/print").get_data(as_text=True)
    response = post_print(client, prisoners=[released.slug])
    assert response.status_code == 400
    assert "is not a valid choice" in response.get_data(as_text=True)


def test_print_form_needs_csrf(demo: None, client: FlaskClient) -> None:
    response = post_print(client, csrf_token="")
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_phrases_too_long_for_a_card_give_a_message_not_half_a_pdf(
    app: Any, client: FlaskClient
) -> None:
    occasion = make_occasion()
    long_text = ("Желаем вам крепкого здоровья и сил. " * 8).strip()  # 287 characters
    for occasion_id in (occasion.id, occasion.id, None, None):  # a card takes 2 + 2 phrases
        make_phrase(occasion_id=occasion_id, text_ru=long_text)
    prisoner = make_prisoner()

    with pytest.raises(printing.CardRefused, match="do not fit on a card"):
        render(batch(prisoner.slug, occasion=occasion.slug, count=1))

    response = post_print(client, prisoners=[prisoner.slug], occasion=occasion.slug)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "do not fit on a card" in response.get_data(as_text=True)


def test_a_character_the_font_lacks_is_refused(app: Any) -> None:
    occasion = make_occasion()
    make_phrase(occasion_id=occasion.id, text_ru="Привет 🙂")
    prisoner = make_prisoner()

    with pytest.raises(printing.CardRefused, match="font cannot print"):
        render(batch(prisoner.slug, occasion=occasion.slug, count=1))


def test_progress_script_is_served(app: Any, client: FlaskClient) -> None:
    response = client.get("/static/js/print.js")
    assert response.status_code == 200
    assert "print-progress" in response.get_data(as_text=True)


def test_layouts_and_modes_are_those_the_renderer_offers() -> None:
    from campaign_app.letters.pdf import model

    assert printing.LAYOUTS == model.SHEET_LAYOUTS
    assert printing.MODES == model.SHEET_MODES
