"""Cards in one language: the composer starts in the page's language, the card is printed all
in one language the prisoner accepts, the greeting once, one preview, and a translation table
only when the sender reads another language than the card's."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from pypdf import PdfReader

from campaign_app.demo.data import load_demo
from campaign_app.demo.letters_data import PHRASES
from campaign_app.extensions import db
from campaign_app.prisoners.models import AddressLanguage, CardLanguages, Prisoner
from tests.support.web import csrf_token, text_of

WRITE = "/letters/write/ales-bialiatski"
BIRTHDAY = [row for row in PHRASES if row[0] == "birthday"]
ANY = [row for row in PHRASES if row[0] is None and row[1].value == "any"]
# (en, ru, be, fr) of the phrases the tests tick: two for the birthday, one for any occasion.
TICKED = [BIRTHDAY[0][2:], BIRTHDAY[1][2:], ANY[0][2:]]
LANGUAGE_INDEX = {"en": 0, "ru": 1, "be": 2, "fr": 3}


def phrase_ids(page: str, labels: list[str]) -> list[str]:
    """The checkbox values of the phrases whose labels the sender reads."""
    ids = []
    for label in labels:
        match = re.search(
            r'value="(\d+)" id="phrase-\d+"[^>]*>\s*<label[^>]*>' + re.escape(label) + "<",
            unescape(page),
        )
        assert match, f"no phrase {label!r} on the page"
        ids.append(match.group(1))
    return ids


def card_form(client: FlaskClient, sender: str, **fields: Any) -> dict[str, Any]:
    """The composer's form as a sender reading ``sender`` fills it in."""
    page = client.get(f"{WRITE}?occasion=birthday&language={sender}").get_data(as_text=True)
    labels = [row[LANGUAGE_INDEX[sender]] for row in TICKED]
    form = {
        "csrf_token": csrf_token(client, WRITE),
        "occasion": "birthday",
        "language": sender,
        "phrases": phrase_ids(page, labels),
        "free_text": "",
        "signature": "Ганна",
        "return_address": "",
        "envelope_size": "DL",
        "action": "preview",
    }
    form.update(fields)
    return form


def pdf_pages(data: bytes) -> list[str]:
    """Each page's words, with line breaks as spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def ales() -> Prisoner:
    return db.session.query(Prisoner).filter_by(slug="ales-bialiatski").one()


def test_the_demo_prisoner_accepts_cards_in_both_languages(app: Any) -> None:
    load_demo()
    assert ales().card_languages is CardLanguages.BOTH


def test_a_belarusian_card_is_all_belarusian_with_the_greeting_once(
    app: Any, client: FlaskClient
) -> None:
    load_demo()
    form = card_form(client, "be", card_language="be", action="postcard")
    response = client.post(WRITE, data=form)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    front, back = pdf_pages(response.data)
    card = f"{front} {back}"

    assert front == "З днём нараджэння!"
    assert card.count("З днём нараджэння") == 1
    for _en, ru, be, _fr in TICKED:
        assert be in back
        assert ru not in card
    assert "С днём рождения" not in card
    # The address too is in Belarusian: the organiser entered that form of it.
    assert "Бяляцкаму Алесю Віктаравічу" in back and "вул. Сікорскага, 1" in back
    assert "Беляцкому" not in card and "ул. Сикорского" not in card


def test_a_russian_card_has_its_greeting_once(app: Any, client: FlaskClient) -> None:
    load_demo()
    response = client.post(WRITE, data=card_form(client, "ru", action="postcard"))
    front, back = pdf_pages(response.data)
    card = f"{front} {back}"
    assert front == "С днём рождения!"
    assert card.count("С днём рождения") == 1
    for _en, ru, be, _fr in TICKED:
        assert ru in back and be not in card
    assert "Беляцкому Алесю Викторовичу" in back


def test_a_russian_visitor_starts_with_russian_phrases_and_a_russian_card(
    app: Any, client: FlaskClient
) -> None:
    load_demo()
    page = client.get(f"{WRITE}?occasion=birthday", headers={"Accept-Language": "ru"})
    html = page.get_data(as_text=True)
    assert re.search(r'<option (lang="ru" )?selected value="ru">Русский</option>', html)
    assert (
        '<input checked id="card_language-0" name="card_language" type="radio" value="ru">' in html
    )
    text = text_of(page)
    for _en, ru, _be, _fr in TICKED:
        assert ru in text
    assert TICKED[0][0] not in text  # no English phrase
    assert "Вся открытка печатается по-русски" in text


def test_a_belarusian_visitor_starts_with_a_belarusian_card(app: Any, client: FlaskClient) -> None:
    load_demo()
    html = client.get(f"{WRITE}?occasion=birthday&lang=be").get_data(as_text=True)
    assert re.search(r'<option (lang="be" )?selected value="be">Беларуская</option>', html)
    assert 'type="hidden" name="card_language" value="be"' in html
    assert f'data-card-text="{TICKED[0][2]}"' in html  # the live preview prints Belarusian


def test_no_translation_table_when_the_sender_reads_the_cards_language(
    app: Any, client: FlaskClient
) -> None:
    load_demo()
    for language in ("ru", "be"):
        form = card_form(client, language, card_language=language)
        page = client.post(WRITE, data=form).get_data(as_text=True)
        assert "Preview: what the card will say" in page
        assert "translation" not in page.lower().split("<footer")[0]
        assert "Русский | Русский" not in page

    letter = client.post(WRITE, data=card_form(client, "ru", action="letter"))
    pages = pdf_pages(letter.data)
    assert len(pages) == 1  # no sender's page: there is nothing to translate
    assert "For you, the sender" not in pages[0]


def test_a_translation_table_when_the_languages_differ(app: Any, client: FlaskClient) -> None:
    load_demo()
    page = text_of(client.post(WRITE, data=card_form(client, "ru", card_language="be")))
    assert "Русский Беларуская" in page  # the table's header
    _en, ru, be, _fr = TICKED[0]
    assert f"{ru} {be}" in page


def test_one_preview_box(app: Any, client: FlaskClient) -> None:
    load_demo()
    for page in (
        client.get(f"{WRITE}?occasion=birthday").get_data(as_text=True),
        client.post(WRITE, data=card_form(client, "en")).get_data(as_text=True),
    ):
        assert page.count("data-preview-text") == 1
        assert page.count('id="preview"') == 1
        assert "live-preview" not in page


def test_the_greeting_is_not_offered_as_a_phrase(app: Any, client: FlaskClient) -> None:
    load_demo()
    from tests.factories import make_phrase

    # An organiser's phrase that repeats the card's title would print the greeting twice.
    make_phrase(
        occasion_id=None,
        text_en="Happy birthday!",
        text_ru="С днём рождения!",
        text_be="З днём нараджэння!",
    )
    page = client.get(f"{WRITE}?occasion=birthday&language=en").get_data(as_text=True)
    assert 'data-card-text="С днём рождения!"' not in page
    assert "Happy birthday!" not in page


def test_a_prisoner_who_accepts_only_russian_gets_a_russian_card(
    app: Any, client: FlaskClient
) -> None:
    load_demo()
    prisoner = ales()
    prisoner.card_languages = CardLanguages.RUSSIAN
    db.session.commit()

    html = client.get(f"{WRITE}?occasion=birthday&lang=be").get_data(as_text=True)
    assert 'name="card_language" type="radio"' not in html  # nothing to choose
    assert "атрымлівае паштоўкі толькі па-руску" in text_of(client.get(f"{WRITE}?lang=be"))

    # Even when a Belarusian card is asked for, the card is Russian; the table helps the sender.
    form = card_form(client, "be", card_language="be")
    preview = text_of(client.post(WRITE, data=form))
    assert "Беларуская Русский" in preview
    pdf = client.post(WRITE, data=card_form(client, "be", card_language="be", action="postcard"))
    front, back = pdf_pages(pdf.data)
    assert front == "С днём рождения!"
    for _en, ru, be, _fr in TICKED:
        assert ru in back and be not in back


def test_the_address_falls_back_to_the_organisers_form(app: Any, client: FlaskClient) -> None:
    """A Belarusian card to a prisoner whose address exists only in Russian keeps the
    Russian address rather than printing none."""
    load_demo()
    prisoner = ales()
    prisoner.addresses[0].lines_be = ""
    prisoner.address_language = AddressLanguage.RUSSIAN
    db.session.commit()
    pdf = client.post(WRITE, data=card_form(client, "be", card_language="be", action="postcard"))
    _front, back = pdf_pages(pdf.data)
    assert TICKED[0][2] in back
    assert "Беляцкому Алесю Викторовичу" in back and "ул. Сикорского, 1" in back


def test_the_chosen_design_is_printed(app: Any, client: FlaskClient) -> None:
    load_demo()
    page = client.get(f"{WRITE}?occasion=birthday&lang=ru").get_data(as_text=True)
    assert '<option selected value="balloons">Воздушные шары</option>' in page
    assert ">Белорусский орнамент</option>" in page
    assert ">Рамка для детского рисунка</option>" in page
    for design in ("ornament", "cake", "blank"):
        form = card_form(client, "ru", design=design, action="postcard")
        reader = PdfReader(io.BytesIO(client.post(WRITE, data=form).data))
        forms = list(reader.pages[0]["/Resources"]["/XObject"].keys())
        assert len(forms) == 1 and f"art_{design}_" in forms[0]
