"""Write a birthday card with the phrasebook in the browser and download the PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from campaign_app.demo.data import load_demo
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_birthday_card_with_the_phrasebook(live_server: LiveServer, page: Page) -> None:
    load_demo()

    page.goto(f"{live_server.url}/prisoners/ales-bialiatski")
    page.get_by_role("link", name="Write a card").click()
    expect(page.locator("h1")).to_have_text("Write a card to Ales Bialiatski")

    page.get_by_label("Occasion", exact=True).select_option("birthday")
    page.get_by_role("button", name="Show the phrases").click()
    expect(page.locator("#composer h2").first).to_have_text("Birthday")

    page.get_by_label("Happy birthday!").check()
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
