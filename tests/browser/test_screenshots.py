"""Screenshots for review: the main pages in each language, at the test's width.

Saves full-page screenshots as tests/browser/artifacts/<page>-<lang>-<width>.png and checks on
each page: status 200, ``<html lang>`` is the language, the public pages do not scroll
sideways, and the non-English public pages do not show the English headings and menu.

The pages look the same on both databases, so this runs on SQLite only: the test selects the
"sqlite" parameter of the session's ``database_url`` fixture (``indirect=True``), and so with
TEST_DATABASE_URL set it still runs once per width, not once per database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from campaign_app.demo.data import PETITION_SLUG, PRISONER_SLUG, load_demo
from campaign_app.extensions import db
from tests.factories import make_petition, make_signature, make_user
from tests.support.browser import ARTIFACTS, LiveServer, sign_in

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.commits,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

LANGUAGES = ["en", "ru", "be", "fr"]
# Texts that must change with the language on every public page: the site name and the menu.
CHROME = [".site-header .brand", ".site-header nav"]


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    public: bool
    # On public pages: what must not stay in English (the petition's own title may, as the
    # demo petition has no translation, so its page is checked by the signing heading).
    translated: tuple[str, ...] = ()


def shots(petition_id: int) -> list[Shot]:
    hub = f"/organise/petitions/{petition_id}"
    return [
        Shot("home", "/", True, ("main h1", *CHROME)),
        Shot("petition", f"/petitions/{PETITION_SLUG}", True, ("#sign-heading", *CHROME)),
        Shot("composer", f"/letters/write/{PRISONER_SLUG}?occasion=birthday", True, ("main h1",)),
        Shot("dashboard", "/organise/", False),
        Shot("hub", hub, False),
        Shot("statistics", f"{hub}/statistics", False),
    ]


def with_language(path: str, language: str) -> str:
    """``?lang=`` for the interface; on the composer also ``language=`` for its phrases."""
    joined = f"{path}{'&' if '?' in path else '?'}lang={language}"
    return f"{joined}&language={language}" if path.startswith("/letters/write/") else joined


def look_at(page: Page, live_server: LiveServer, shot: Shot, language: str) -> list[str]:
    """Open one page in one language, save its screenshot; the problems found on it."""
    where = f"{shot.name} ({language}, {live_server.width} px)"
    response = page.goto(live_server.url + with_language(shot.path, language))
    assert response is not None
    page.screenshot(
        path=str(ARTIFACTS / f"{shot.name}-{language}-{live_server.width}.png"), full_page=True
    )
    problems = []
    if response.status != 200:
        problems.append(f"{where}: status {response.status}")
    if (lang := page.locator("html").get_attribute("lang")) != language:
        problems.append(f"{where}: <html lang={lang!r}>")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if shot.public and scroll_width > live_server.width:
        problems.append(f"{where}: scrolls sideways, {scroll_width} px wide")
    return problems


def texts(page: Page, selectors: tuple[str, ...]) -> dict[str, str]:
    return {
        selector: " ".join(page.locator(selector).first.inner_text().split())
        for selector in selectors
    }


def test_screenshots_in_every_language(live_server: LiveServer, page: Page) -> None:
    load_demo()
    # A petition of its own for the organiser pages: the demo one opened in 2011 and its
    # statistics page lists every day since.
    petition = make_petition(title="Free the photographed prisoner", goal=500)
    for country in ("BY", "BY", "LT", "PL", "FR"):
        make_signature(petition, country=country)
    organiser = make_user(campaigns=(petition.campaign,))
    db.session.commit()  # for the live server's threads
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, organiser)

    problems: list[str] = []
    english: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        for shot in shots(petition.id):
            problems += look_at(page, live_server, shot, language)
            if not shot.translated:
                continue
            seen = texts(page, shot.translated)
            if language == "en":
                english[shot.name] = seen
                continue
            problems += [
                f"{shot.name} ({language}): {selector} still reads {text!r}"
                for selector, text in seen.items()
                if text == english[shot.name][selector]
            ]
    assert not problems, "\n".join(problems)
