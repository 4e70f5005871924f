"""The signature sheet to print: in the petition's language or a translation's, with the
title, whom it addresses, numbered rows, the privacy notice and a serial on every sheet."""

from __future__ import annotations

from campaign_app.extensions import db
from campaign_app.petitions.models import PetitionTranslation
from tests.support.paper import setup, signed_in
from tests.support.pdf import flat, page_sizes, page_text

TITLE_BE = "Свабоду Алесю Бяляцкаму!"
TARGET_BE = "Прэзідэнту Рэспублікі Беларусь"


def test_a_sheet_in_belarusian_has_title_rows_serial_and_privacy_notice(app, client):
    s = setup(slug="free-ales", language="en", title="Free Ales Bialiatski!")
    s.petition.translations.append(
        PetitionTranslation(
            locale="be",
            title=TITLE_BE,
            summary="Праваабаронца ў зняволенні.",
            body="Мы патрабуем вызваліць Алеся Бяляцкага.",
            target=TARGET_BE,
        )
    )
    db.session.flush()
    signed_in(client, s)

    page = client.get(s.base)
    assert "Беларуская" in page.get_data(as_text=True)
    response = client.get(f"{s.base}/sheet.pdf?language=be&first=7&sheets=2")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.data
    assert page_sizes(data) == [(595.28, 841.89)] * 2  # A4
    first, second = flat(page_text(data, 0)), flat(page_text(data, 1))
    assert TITLE_BE in first
    assert f"Адрасат: {TARGET_BE}" in first
    assert "Мы патрабуем вызваліць Алеся Бяляцкага." in first
    assert "Імя" in first and "Подпіс" in first
    assert "Прыватнасць" in first
    assert "ніколі не паказваюцца на сайце" in first
    assert "Аркуш free-ales-0007" in first
    assert "Аркуш free-ales-0008" in second and "free-ales-0007" not in second
    # Numbered rows to sign in, on each sheet.
    for number in ("1", "2", "10", "20"):
        assert f" {number} " in f" {first} "


def test_a_sheet_in_the_petitions_language_by_default(app, client):
    s = setup(slug="free-ales-en", language="en", title="Free Ales Bialiatski!")
    signed_in(client, s)

    response = client.get(f"{s.base}/sheet.pdf?language=en")

    text = flat(page_text(response.data, 0))
    assert "Free Ales Bialiatski!" in text
    assert "Addressed to: President of the Republic of Belarus" in text
    assert "Sheet free-ales-en-0001" in text
    assert "never shown on the website" in text


def test_a_language_without_translation_is_refused_with_a_message(app, client):
    s = setup(language="en")
    signed_in(client, s)

    response = client.get(f"{s.base}/sheet.pdf?language=be&sheets=500")

    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert "Number must be between 1 and 200" in response.get_data(as_text=True)
