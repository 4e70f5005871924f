"""An organiser signs in, opens a petition, builds a CSV export in the queue and downloads it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from campaign_app.accounts.models import User
from campaign_app.exports.rows import HEADER
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PublicDisplay, SignatureState
from tests.factories import PASSWORD, make_campaign, make_petition, make_signature, make_user
from tests.support.browser import LiveServer, sign_in

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]


def petition_with_signers() -> tuple[Petition, User]:
    campaign = make_campaign(name="Browser campaign")
    petition = make_petition(campaign=campaign, title="Free the exported prisoner")
    make_signature(petition, first_name="Ольга", last_name="Публичная", city="Minsk", country="BY")
    make_signature(
        petition, first_name="Hidden", last_name="Person", display=PublicDisplay.ANONYMOUS
    )
    make_signature(petition, first_name="Pending", state=SignatureState.PENDING)
    organiser = make_user(campaigns=(campaign,))
    db.session.commit()  # for the live server's threads
    return petition, organiser


def check_csv(text: str) -> None:
    """The export of petition_with_signers: the public signers only, in English, no e-mails."""
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(HEADER), rows
    names = [" ".join(row) for row in rows[1:]]
    assert len(rows) == 3, rows
    assert any("Ольга Публичная" in row and "Minsk" in row for row in names), rows
    assert any("Belarus" in row for row in names), rows
    assert any("Anonymous" in row for row in names), rows
    assert not any("Hidden" in row or "Pending" in row for row in names), rows
    assert "@" not in text


def test_organiser_exports_csv(live_server: LiveServer, page: Page) -> None:
    petition, organiser = petition_with_signers()

    sign_in(page, live_server, organiser)
    expect(page.get_by_role("link", name="Free the exported prisoner")).to_be_visible()
    live_server.screenshot(page, "dashboard")

    page.goto(f"{live_server.url}/organise/petitions/{petition.id}")
    expect(page.locator("h1")).to_have_text("Free the exported prisoner")
    live_server.screenshot(page, "petition-hub")
    page.get_by_role("link", name="Exports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Export the signatures")

    page.get_by_label("CSV (a table for any spreadsheet or database)").check()
    page.get_by_role("button", name="Build the export").click()
    expect(page).to_have_url(re.compile(rf"/organise/petitions/{petition.id}/exports/\d+$"))
    # The worker builds the file; the page follows its progress and then offers it.
    download_link = page.get_by_role("link", name="Download the file")
    expect(download_link).to_be_visible(timeout=20_000)
    expect(page.locator(".lead")).to_have_text("Ready: 2 signatures.")
    live_server.screenshot(page, "export-ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    check_csv(Path(download.path()).read_text(encoding="utf-8-sig"))


def test_organiser_exports_csv_in_russian(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """The same export with a Russian browser (Accept-Language): Russian pages, the same CSV."""
    petition, organiser = petition_with_signers()
    page = new_context(locale="ru-RU", extra_http_headers={"Accept-Language": "ru"}).new_page()

    page.goto(f"{live_server.url}/account/login")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_label("Адрес электронной почты", exact=True).fill(organiser.email)
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    live_server.screenshot(page, "login-ru")
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/organise/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    live_server.screenshot(page, "dashboard-ru")

    page.get_by_role("link", name="Free the exported prisoner").click()
    expect(page.locator("h1")).to_have_text("Free the exported prisoner")
    expect(page.locator("main")).to_contain_text("2 подтверждённые подписи")
    live_server.screenshot(page, "petition-hub-ru")
    # The hub's feature links are still in English (see the xfail test below): follow the href.
    page.locator(f"main a[href='/organise/petitions/{petition.id}/exports']").click()
    expect(page.locator("h1")).to_have_text("Выгрузить подписи")

    page.get_by_label(
        "CSV (таблица для любой программы электронных таблиц или базы данных)"
    ).check()
    page.get_by_role("button", name="Подготовить выгрузку").click()
    expect(page).to_have_url(re.compile(rf"/organise/petitions/{petition.id}/exports/\d+$"))
    expect(page.locator("h1")).to_have_text("Выгрузить в формате CSV")
    download_link = page.get_by_role("link", name="Скачать файл")
    expect(download_link).to_be_visible(timeout=20_000)
    expect(page.locator(".lead")).to_have_text("Готово. Подписей: 2.")
    live_server.screenshot(page, "export-ready-ru")

    with page.expect_download() as download_info:
        download_link.click()
    # The file does not follow the organiser's language: English headings, country names and
    # "Anonymous", as in the English journey.
    check_csv(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))


def test_petition_hub_links_in_russian(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    petition, organiser = petition_with_signers()
    page = new_context(extra_http_headers={"Accept-Language": "ru"}).new_page()
    page.goto(f"{live_server.url}/account/login")
    page.get_by_label("Адрес электронной почты", exact=True).fill(organiser.email)
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    page.goto(f"{live_server.url}/organise/petitions/{petition.id}")
    expect(page.locator("h1")).to_have_text("Free the exported prisoner")
    links = page.locator("main ul.action-list a").all_inner_texts()
    for name in ("Статистика", "Выгрузки", "Модерация", "Изменить", "Обезличить подписантов"):
        assert name in links, links
    assert page.locator("main .tag").first.inner_text() == "работает"


def test_an_export_built_on_one_node_downloads_from_another(
    live_server: LiveServer, second_node: LiveServer, page: Page
) -> None:
    """Two nodes over one database: the organiser asks on the first (whose worker builds the
    file), then opens the job and downloads the file on the second, without signing in again."""
    if live_server.database == "sqlite":
        # "auto" keeps files in a node's folder on SQLite (one node); the database store is
        # the same code on either database.
        for node in (live_server, second_node):
            node.app.config["EXPORT_STORAGE"] = "database"
    petition, organiser = petition_with_signers()

    sign_in(page, live_server, organiser)
    page.goto(f"{live_server.url}/organise/petitions/{petition.id}/exports")
    page.get_by_label("CSV (a table for any spreadsheet or database)").check()
    page.get_by_role("button", name="Build the export").click()
    expect(page).to_have_url(re.compile(rf"/organise/petitions/{petition.id}/exports/\d+$"))
    expect(page.get_by_role("link", name="Download the file")).to_be_visible(timeout=20_000)

    page.goto(page.url.replace(live_server.url, second_node.url))
    expect(page.locator(".lead")).to_have_text("Ready: 2 signatures.")
    second_node.screenshot(page, "export-ready-second-node")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the file").click()
    download = download_info.value
    assert download.url.startswith(second_node.url)
    check_csv(Path(download.path()).read_text(encoding="utf-8-sig"))
