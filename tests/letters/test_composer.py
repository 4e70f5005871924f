"""The composer: pick an occasion and phrases in your language, see them in the prisoner's."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from pypdf import PdfReader

from campaign_app.demo.data import load_demo
from campaign_app.prisoners.models import PrisonerStatus
from tests.factories import make_occasion, make_phrase, make_prisoner
from tests.support.web import csrf_token, text_of

WRITE = "/letters/write/ales-bialiatski"
PHRASES_EN = [
    "We wish you joy and warmth on your birthday.",
    "We wish you good health.",
    "We think of you every day.",
]
PHRASES_RU = [
    "Желаем вам радости и тепла в ваш день рождения.",
    "Желаем вам крепкого здоровья.",
    "Мы думаем о вас каждый день.",
]
ADDRESS_RU = [
    "Беляцкому Алесю Викторовичу",
    "ИК-2, отряд 14",
    "ул. Сикорского, 1",
    "213807, г. Бобруйск",
    "Могилёвская обл.",
    "REPUBLIC OF BELARUS",
]


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


def card_form(client, path: str = WRITE, **fields):
    page = client.get(path + "?occasion=birthday&language=en").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(client, path),
        "occasion": "birthday",
        "language": "en",
        "phrases": phrase_ids(page, PHRASES_EN),
        "free_text": "",
        "signature": "Анна",
        "return_address": "",
        "envelope_size": "DL",
        "action": "preview",
    }
    form.update(fields)
    return form


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_phrases_shown_in_the_senders_language(app, client):
    load_demo()
    english = text_of(client.get(WRITE + "?occasion=birthday&language=en"))
    assert "Write a card to Ales Bialiatski" in english
    assert all(phrase in english for phrase in PHRASES_EN)
    french = text_of(client.get(WRITE + "?occasion=birthday&language=fr"))
    assert "Nous vous souhaitons joie et chaleur pour votre anniversaire." in french
    # The New Year phrases belong to another occasion.
    assert "We will think of you at midnight." not in english


def test_unreviewed_phrases_are_not_offered(app, client):
    load_demo()
    make_phrase(text_en="Unchecked wording", is_reviewed=False)
    assert "Unchecked wording" not in text_of(client.get(WRITE + "?occasion=birthday"))


def test_done_when_journey_preview_then_download(app, client):
    load_demo()
    response = client.post(WRITE, data=card_form(client))
    assert response.status_code == 200
    page = text_of(response)
    assert "Preview: what the card will say" in page
    assert " ".join(PHRASES_RU) in page
    for english, russian in zip(PHRASES_EN, PHRASES_RU, strict=True):
        assert f"{english} {russian}" in page  # one row of the translation table
    assert "English Русский" in page  # the table's header: sender | prisoner language

    download = client.post(WRITE, data=card_form(client, action="postcard"))
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    text = pdf_text(download.data)
    for line in ADDRESS_RU:
        assert line in text
    for phrase in PHRASES_RU:
        assert phrase in " ".join(text.split())
    assert "Анна" in text


def test_letter_has_the_translation_appendix(app, client):
    load_demo()
    response = client.post(WRITE, data=card_form(client, action="letter"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data).split())
    assert "Беляцкому Алесю Викторовичу" in text
    assert "We wish you good health." in text  # only on the sender's appendix
    assert "Желаем вам крепкого здоровья." in text


def test_envelope_needs_no_message(app, client):
    load_demo()
    form = card_form(client, action="envelope", envelope_size="C6", signature="", phrases=[])
    response = client.post(WRITE, data=form)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "ИК-2, отряд 14" in pdf_text(response.data)


def test_poster(app, client):
    load_demo()
    token = csrf_token(client, WRITE)
    response = client.post(
        "/letters/poster/ales-bialiatski", data={"csrf_token": token, "size": "A3"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "Ales" in pdf_text(response.data)


def test_belarusian_prisoner_gets_belarusian_phrases(app, client):
    load_demo()
    from campaign_app.extensions import db
    from campaign_app.prisoners.models import AddressLanguage, Prisoner

    prisoner = db.session.query(Prisoner).filter_by(slug="ales-bialiatski").one()
    prisoner.address_language = AddressLanguage.BELARUSIAN
    db.session.commit()
    page = text_of(client.post(WRITE, data=card_form(client)))
    assert "Жадаем вам моцнага здароўя." in page
    assert "English Беларуская" in page


def test_flagged_free_text_is_shown_with_reasons_and_not_printed(app, client):
    load_demo()
    text = "Желаем свободы! 🎂 Hello, код A7X9, www.example.org"
    preview = text_of(client.post(WRITE, data=card_form(client, free_text=text)))
    assert "This card cannot be printed yet" in preview
    assert "“свободы”: a word censors stop" in preview
    assert "“🎂”: emojis and pictures are not allowed" in preview
    assert "“Hello”: words in Latin letters" in preview
    assert "“A7X9”: a mix of digits and letters" in preview
    assert "“www.example.org”: links" in preview

    response = client.post(WRITE, data=card_form(client, free_text=text, action="postcard"))
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "hold text that censors stop" in text_of(response)
    assert text in unescape(page)  # the sender's text is kept in the form


def test_empty_message_is_refused_with_a_clear_message(app, client):
    load_demo()
    response = client.post(WRITE, data=card_form(client, phrases=[], action="postcard"))
    assert response.status_code == 400
    assert "Please tick at least one phrase or write a few words." in text_of(response)


def test_signature_is_required_and_letters_only(app, client):
    load_demo()
    response = client.post(
        WRITE, data=card_form(client, signature="", free_text="Тёплый привет", action="postcard")
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Please sign with a first name or a pseudonym." in page
    assert "Тёплый привет" in page
    response = client.post(WRITE, data=card_form(client, signature="Anna 🙂"))
    assert response.status_code == 400
    assert "Please use letters only" in text_of(response)


def test_latin_signature_is_accepted_with_a_warning(app, client):
    load_demo()
    page = text_of(client.post(WRITE, data=card_form(client, signature="Anna")))
    assert "Your signature is in Latin letters" in page


def test_too_long_message_says_how_much_to_cut_and_keeps_the_text(app, client):
    load_demo()
    text = ("Желаем вам крепкого здоровья и тёплых дней. " * 40).strip()
    response = client.post(WRITE, data=card_form(client, free_text=text, action="postcard"))
    assert response.status_code == 400
    page = text_of(response)
    assert re.search(r"The message is too long for the card: please cut \d+ characters?\.", page)
    assert text in unescape(response.get_data(as_text=True))


def test_unprintable_character_is_named_and_the_text_kept(app, client):
    load_demo()
    text = "Желаем здоровья ☃"  # a symbol: flagged by the checker before the font is tried
    response = client.post(WRITE, data=card_form(client, free_text=text, action="postcard"))
    assert response.status_code == 400
    text_cjk = "Желаем здоровья 漢"
    response = client.post(WRITE, data=card_form(client, free_text=text_cjk, action="postcard"))
    assert response.status_code == 400
    assert "These characters cannot be printed: 漢" in text_of(response)
    assert text_cjk in unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("status", [PrisonerStatus.RELEASED, PrisonerStatus.UNKNOWN])
def test_no_composer_for_a_prisoner_without_a_prison_address(app, client, status):
    make_occasion(slug="birthday")
    prisoner = make_prisoner(status=status)
    response = client.get(f"/letters/write/{prisoner.slug}")
    assert response.status_code == 409
    assert "No card can be sent" in text_of(response)
    assert "Write a card" not in text_of(client.get(f"/prisoners/{prisoner.slug}"))


def test_released_prisoner_gets_no_pdf(app, client):
    load_demo()
    form = card_form(client, action="postcard")
    from campaign_app.extensions import db
    from campaign_app.prisoners.models import Prisoner

    prisoner = db.session.query(Prisoner).filter_by(slug="ales-bialiatski").one()
    prisoner.status = PrisonerStatus.RELEASED
    db.session.commit()
    response = client.post(WRITE, data=form)
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert "has been released" in text_of(response)


def test_unknown_prisoner_or_occasion_is_404(app, client):
    load_demo()
    assert client.get("/letters/write/nobody").status_code == 404
    assert client.get(WRITE + "?occasion=no-such-occasion").status_code == 404
    form = card_form(client, occasion="no-such-occasion")
    assert client.post(WRITE, data=form).status_code == 404
    assert client.post("/letters/write/nobody", data=form).status_code == 404
    assert client.post("/letters/sent/nobody", data=form).status_code == 404


def test_downloads_need_the_csrf_token(app, client):
    load_demo()
    form = card_form(client, action="postcard")
    form["csrf_token"] = "forged"
    response = client.post(WRITE, data=form)
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_preview_shows_the_address_and_warns_when_it_is_old(app, client):
    load_demo()
    page = text_of(client.post(WRITE, data=card_form(client)))
    assert " ".join(ADDRESS_RU) in page
    assert "This address is old: check that it is still current" in page


def test_live_preview_script_is_a_file_not_inline(app, client):
    load_demo()
    page = client.get(WRITE).get_data(as_text=True)
    assert '<script src="/static/js/composer.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # the CSP forbids inline code
    assert 'data-card-text="Желаем вам крепкого здоровья."' in page
    script = client.get("/static/js/composer.js")
    assert script.status_code == 200
    assert "data-card-text" in script.get_data(as_text=True)


def test_inactive_occasion_is_404(app, client):
    load_demo()
    make_occasion(slug="old-action", is_active=False)
    assert client.get(WRITE + "?occasion=old-action").status_code == 404


def test_what_the_sender_writes_is_neither_stored_nor_logged(app, client, caplog):
    load_demo()
    import sqlalchemy as sa

    from campaign_app.db import Base
    from campaign_app.extensions import db

    secret = "Тайнопись Зорянская"
    caplog.set_level("DEBUG")
    for action in ("preview", "postcard", "letter"):
        client.post(
            WRITE,
            data=card_form(client, free_text=secret, return_address=secret, action=action),
        )
    assert secret not in caplog.text
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            assert secret not in " ".join(str(value) for value in row)


def test_ids_on_the_composer_are_unique(app, client):
    load_demo()
    for page in (
        client.get(WRITE).get_data(as_text=True),
        client.post(WRITE, data=card_form(client)).get_data(as_text=True),
    ):
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids))


def test_senders_page_is_in_the_senders_interface_language(app, client):
    load_demo()
    client.get("/?lang=fr")  # the sender reads the site in French
    response = client.post(WRITE, data=card_form(client, action="letter"))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert "Pour vous, l’expéditeur — n’envoyez pas cette page" in text
    assert "For you, the sender" not in text
    assert "Беляцкому Алесю Викторовичу" in text  # the prisoner's page is unchanged


def test_usual_occasion_names_are_shown_in_the_readers_language(app, client):
    load_demo()
    page = client.get(WRITE + "?lang=be&occasion=birthday")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h2>Дзень нараджэння</h2>" in html
    assert ">Дзень нараджэння</option>" in html
    # A name an organiser typed is shown in the translation they gave (the demo gives one).
    assert ">Тыдзень 50-годдзя Алеся Бяляцкага</option>" in html
    assert "50th birthday week" not in html
