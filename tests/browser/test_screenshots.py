"""Screenshots for review: the main pages in each language, at the test's width.

Saves full-page screenshots as tests/browser/artifacts/<page>-<lang>-<width>.png and checks on
each page: status 200, ``<html lang>`` is the language, the public pages (and an update's
organiser page, with its e-mail preview) do not scroll sideways, and the non-English public
pages do not show the English headings and menu. The pages of news, hand-ins, replies and
appeals are among them.

The pages look the same on both databases, so this runs on SQLite only: the test selects the
"sqlite" parameter of the session's ``database_url`` fixture (``indirect=True``), and so with
TEST_DATABASE_URL set it still runs once per width, not once per database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.db import utcnow
from campaign_app.demo.data import PETITION_SLUG, PRISONER_SLUG, load_demo
from campaign_app.extensions import db
from campaign_app.news import service as news
from campaign_app.news.tokens import make_unsubscribe_token
from campaign_app.petitions.models import Petition
from tests.factories import make_petition, make_signature, make_user
from tests.support.browser import ARTIFACTS, LiveServer, sign_in
from tests.support.deliveries import make_delivery

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
    # Organiser pages may scroll sideways (wide tables); these must not.
    narrow: bool = False


@dataclass(frozen=True)
class Made:
    """Rows the new features' pages need: an approved update of the demo petition, a
    signer's unsubscribe token, and a draft update of the organiser's petition."""

    public_update_id: int
    token: str
    draft_update_id: int


def shots(petition_id: int, made: Made) -> list[Shot]:
    hub = f"/organise/petitions/{petition_id}"
    return [
        Shot("home", "/", True, ("main h1", *CHROME)),
        Shot("petition", f"/petitions/{PETITION_SLUG}", True, ("#sign-heading", *CHROME)),
        Shot("composer", f"/letters/write/{PRISONER_SLUG}?occasion=birthday", True, ("main h1",)),
        Shot("prisoner", f"/prisoners/{PRISONER_SLUG}", True, ("#replies-heading", *CHROME)),
        Shot("appeals", "/appeals/", True, ("main h1", *CHROME)),
        Shot("appeal", "/appeals/prosecutor-general", True, ("main h1", "#appeal-total")),
        Shot(
            "news", f"/petitions/{PETITION_SLUG}/news/{made.public_update_id}", True, ("main h1",)
        ),
        Shot("unsubscribe", f"/news/unsubscribe/{made.token}", True, ("main h1", *CHROME)),
        Shot("dashboard", "/organise/", False),
        Shot("hub", hub, False),
        Shot("statistics", f"{hub}/statistics", False),
        # The preview of the e-mail's text once made the page 1,800 px wide.
        Shot("update", f"/organise/news/{made.draft_update_id}", False, narrow=True),
    ]


NEWS = {
    "en": ("The signatures were handed in", "On 25 September we handed in 3,412 signatures."),
    "ru": ("Подписи переданы", "25 сентября мы передали 3412 подписей."),
    "be": ("Подпісы перададзены", "25 верасня мы перадалі 3412 подпісаў."),
    "fr": ("Les signatures ont été remises", "Le 25 septembre, nous avons remis 3 412 signatures."),
}


def make_rows(petition: Petition) -> Made:
    """The demo petition's update (approved, in each of its languages) and its hand-in, and a
    draft update of ``petition`` with long lines (all written by an admin)."""
    demo = db.session.scalars(select(Petition).where(Petition.slug == PETITION_SLUG)).one()
    admin = make_user(role=Role.ADMIN)
    make_delivery(demo, published_at=utcnow())
    texts = {}
    for locale in news.petition_languages(demo):
        subject, body = NEWS.get(locale, NEWS["en"])
        texts[locale] = news.TextInput(subject, "", body)
    public = news.write_update(demo, news.UpdateInput(False, texts), admin)
    public.test_sent_at = public.changed_at + timedelta(seconds=1)
    news.approve(public, demo, admin)
    long_line = " ".join(["A long paragraph that an e-mail keeps on one line."] * 12)
    draft = news.write_update(
        petition,
        news.UpdateInput(False, {"en": news.TextInput("Long lines", "", long_line)}),
        admin,
    )
    return Made(public.id, make_unsubscribe_token(make_signature(demo).id), draft.id)


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
    if (shot.public or shot.narrow) and scroll_width > live_server.width:
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
    made = make_rows(petition)
    db.session.commit()  # for the live server's threads
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, organiser)

    problems: list[str] = []
    english: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        for shot in shots(petition.id, made):
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
