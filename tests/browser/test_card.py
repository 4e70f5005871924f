"""Write a birthday card with the phrasebook in the browser and download the PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from campaign_app.demo.data import load_demo
from tests.support.browser import LiveServer

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_birthday_card_with_the_phrasebook(live_server: LiveServer, page: Page) -> None:
    load_demo()

    page.goto(f"{live_server.url}/prisoners/ales-bialiatski")
    # The button in the page's first screen, named with the prisoner's name.
    page.get_by_role("link", name="Write a card to Ales Bialiatski").click()
    expect(page.locator("h1")).to_have_text("Write a card to Ales Bialiatski")

    page.get_by_label("Occasion", exact=True).select_option("birthday")
    page.get_by_role("button", name="Show the phrases").click()
    expect(page.locator("#composer h2").first).to_have_text("Birthday")

    page.get_by_label("We wish you joy and warmth on your birthday.").check()
    page.get_by_label("We wish you good health.").check()
    page.get_by_label("Sign with a first name or pseudonym").fill("Мария")
    page.get_by_role("button", name="Preview", exact=True).click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Желаем вам крепкого здоровья.")
    expect(preview.locator("table.translation")).to_contain_text("We wish you good health.")
    live_server.screenshot(page, "card-preview")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="A6 postcard (PDF)").click()
    download = download_info.value
    saved = Path(download.path())
    assert saved.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(saved)
    assert "Желаем вам крепкого здоровья." in text
    assert "Мария" in text
    assert "Беляцкому Алесю Викторовичу" in text


def test_birthday_card_in_russian(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """The same card with the interface in Russian (?lang=ru, then the cookie it sets)."""
    load_demo()
    page = new_context().new_page()

    page.goto(f"{live_server.url}/prisoners/ales-bialiatski?lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("link", name="Написать открытку: Алесь Беляцкий").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Написать открытку: Алесь Беляцкий")

    page.get_by_label("Повод", exact=True).select_option("birthday")
    page.get_by_label("Показать фразы на языке", exact=True).select_option("ru")
    page.get_by_role("button", name="Показать фразы").click()
    expect(page.locator("#phrases")).to_have_text("Фразы (отметьте нужные)")

    # A Russian reader starts with the phrases and the card in Russian.
    expect(page.get_by_label("Показать фразы на языке", exact=True)).to_have_value("ru")
    expect(page.get_by_label("Русский", exact=True)).to_be_checked()
    page.get_by_label("Желаем вам радости и тепла в ваш день рождения.").check()
    page.get_by_label("Желаем вам крепкого здоровья.").check()
    page.get_by_label("Подпишитесь именем или псевдонимом").fill("Мария")
    page.get_by_role("button", name="Предпросмотр", exact=True).click()
    expect(page.locator("#preview-heading")).to_have_text(
        "Предпросмотр: что будет написано на открытке"
    )
    expect(page.locator("#preview")).to_contain_text("Желаем вам крепкого здоровья.")
    expect(page.locator("#preview .address")).to_contain_text("Беляцкому Алесю Викторовичу")
    expect(page.locator("#preview table.translation")).to_have_count(0)  # nothing to translate
    live_server.screenshot(page, "card-preview-ru")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Открытка A6 (PDF)").click()
    postcard = pdf_text(Path(download_info.value.path()))
    assert postcard.count("С днём рождения!") == 1
    assert "Желаем вам крепкого здоровья." in postcard
    assert "Мария" in postcard
    assert "Беляцкому Алесю Викторовичу" in postcard

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Письмо A4 (PDF)").click()
    letter = pdf_text(Path(download_info.value.path()))
    assert "Беляцкому Алесю Викторовичу" in letter
    assert "Желаем вам крепкого здоровья." in letter
    # The sender reads the letter's language: no translation page.
    assert "Для вас, отправителя" not in letter and "For you, the sender" not in letter


def test_belarusian_card_with_the_live_preview(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """A Belarusian reader: the phrases and the card in Belarusian, one preview that follows
    the ticks as they are made, the greeting once, and a design of their choice."""
    load_demo()
    page = new_context(locale="be").new_page()
    page.goto(f"{live_server.url}/letters/write/ales-bialiatski?occasion=birthday&lang=be")
    expect(page.get_by_label("Паказаць фразы на мове", exact=True)).to_have_value("be")
    expect(page.get_by_label("Беларуская", exact=True)).to_be_checked()
    preview = page.locator("#preview")
    expect(preview).to_be_hidden()

    page.get_by_label("Жадаем вам радасці і цяпла ў ваш дзень нараджэння.").check()
    page.get_by_label("Жадаем вам моцнага здароўя.").check()
    page.get_by_label("Падпішыцеся імем або псеўданімам").fill("Ганна")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("З днём нараджэння!")
    expect(preview).to_contain_text("Жадаем вам моцнага здароўя.")
    expect(page.locator("[data-preview-text]")).to_have_count(1)
    live_server.screenshot(page, "card-live-preview-be")

    page.get_by_label("Малюнак на ліцавым баку", exact=True).select_option("ornament")
    page.get_by_role("button", name="Папярэдні прагляд", exact=True).click()
    expect(page.locator("#preview .address")).to_contain_text("Бяляцкаму Алесю Віктаравічу")
    expect(page.locator("#preview table.translation")).to_have_count(0)
    expect(page.locator("#preview")).to_have_count(1)
    live_server.screenshot(page, "card-preview-be")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Паштоўка A6 (PDF)").click()
    path = Path(download_info.value.path())
    postcard = pdf_text(path)
    assert postcard.count("З днём нараджэння!") == 1
    assert "Жадаем вам моцнага здароўя." in postcard
    assert "Желаем" not in postcard and "С днём рождения" not in postcard
    forms = PdfReader(io.BytesIO(path.read_bytes())).pages[0]["/Resources"]["/XObject"]
    assert [name for name in forms if "art_ornament_" in name]
