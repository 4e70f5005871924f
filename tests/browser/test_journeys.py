"""Journeys in the browser, with the demo and its example history, at 375 and 1280 px.

"Sign" in the first screen of a phone and the form one tap away; every page after it leads
on; the calendar as cards; organiser tables and charts that fit a phone; axe on all of them;
and screenshots of these pages in every language (tests/browser/artifacts/journey-*.png).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from campaign_app.demo import history
from campaign_app.demo.data import PETITION_SLUG, PRISONER_SLUG, load_demo
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, SignatureState
from campaign_app.petitions.tokens import make_confirmation_token
from campaign_app.prisoners.models import Prisoner
from tests.factories import make_signature, make_user
from tests.support.browser import (
    ARTIFACTS,
    LiveServer,
    axe_violations,
    describe_violations,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.commits]

LANGUAGES = ["en", "ru", "be", "fr"]
PHONE_SCREEN_HEIGHT = 812  # a common phone's first screen at 375 px wide


@dataclass(frozen=True)
class Demo:
    petition_id: int
    campaign_id: int
    confirm_path: str


def demo_with_history() -> Demo:
    """The example campaign with its 2011-2013 history, and a link to confirm one more."""
    load_demo()
    petition = db.session.scalar(select(Petition).where(Petition.slug == PETITION_SLUG))
    prisoner = db.session.scalar(select(Prisoner).where(Prisoner.slug == PRISONER_SLUG))
    assert petition is not None and prisoner is not None
    history.load_history(petition, prisoner)
    pending = make_signature(petition, state=SignatureState.PENDING, country="LT")
    token = make_confirmation_token(pending.id)
    db.session.commit()  # for the live server's threads
    return Demo(petition.id, petition.campaign_id, f"/petitions/{PETITION_SLUG}/confirm/{token}")


def with_language(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def test_sign_is_in_the_first_screen_and_one_tap_away(live_server: LiveServer, page: Page) -> None:
    demo_with_history()
    page.set_viewport_size({"width": live_server.width, "height": PHONE_SCREEN_HEIGHT})
    for language in LANGUAGES:
        page.goto(live_server.url + with_language(f"/petitions/{PETITION_SLUG}", language))
        expect(page.locator("progress#goal-progress")).to_be_in_viewport()
        expect(page.locator("#goal-progress-label")).to_be_in_viewport()
        if live_server.width < 800:
            jump = page.locator(".sign-jump a")
            expect(jump).to_be_in_viewport(ratio=1)  # the whole button, no scrolling
            jump.click()
            expect(page).to_have_url(re.compile(r"/petitions/[^/?#]+(\?lang=\w+)?#sign-heading$"))
            expect(page.locator("#sign-heading")).to_be_in_viewport()
            expect(page.locator("#first_name")).to_be_in_viewport()
        else:
            # Wide screens show the form itself beside the story; no extra button.
            expect(page.locator(".sign-jump a")).to_be_hidden()
            expect(page.locator("#first_name")).to_be_in_viewport()


def test_the_pages_after_signing_lead_on(live_server: LiveServer, page: Page) -> None:
    demo = demo_with_history()
    for path in (f"/petitions/{PETITION_SLUG}/check-email", demo.confirm_path):
        page.goto(live_server.url + with_language(path, "ru"))
        expect(page.locator("#next-heading")).to_have_text("Что дальше")
        expect(page.locator(".share-links a[data-network=telegram]")).to_be_visible()
        write = page.get_by_role("link", name="Написать открытку: Алесь Беляцкий")
        expect(write).to_be_visible()
        expect(page.locator(".date-list a[href*='/letters/write/']").first).to_be_visible()
        expect(page.locator("a[href='/letters/calendar']").last).to_be_visible()
    # One of them, followed: the composer opens for the prisoner.
    write.click()
    expect(page).to_have_url(f"{live_server.url}/letters/write/{PRISONER_SLUG}")


def test_calendar_reads_as_cards_with_dates_and_links(live_server: LiveServer, page: Page) -> None:
    demo_with_history()
    page.goto(live_server.url + "/letters/calendar?lang=be")
    cards = page.locator(".calendar-event")
    assert cards.count() >= 2
    for index in range(cards.count()):
        card = cards.nth(index)
        expect(card.locator(".post-by time")).to_be_visible()
        for link in (card.locator("h3 a"), card.locator(".event-actions a.button")):
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box is not None and box["x"] + box["width"] <= live_server.width
    expect(cards.first.locator("h3 a")).to_have_text("Алесь Бяляцкі")


def test_organiser_tables_and_charts_fit(live_server: LiveServer, page: Page) -> None:
    demo = demo_with_history()
    user = make_user(campaigns=(db.session.get(Petition, demo.petition_id).campaign,))
    db.session.commit()  # for the live server's threads
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/organise/campaigns/{demo.campaign_id}/statistics?lang=ru")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= live_server.width, f"{width} px wide"
    cross = page.locator("#cross-table")
    shown = "chart-narrow" if live_server.width < 800 else "chart-wide"
    hidden = "chart-wide" if shown == "chart-narrow" else "chart-narrow"
    expect(page.locator(f".{shown} svg").first).to_be_visible()
    expect(page.locator(f".{hidden} svg").first).to_be_hidden()
    if live_server.width < 800:
        expect(cross).to_have_class("data-table is-stacked")
        label = cross.locator("td[data-label]").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert label.startswith('"') and label != '""', label
    else:
        expect(cross).not_to_have_class(re.compile(r"\bis-stacked\b"))


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    # A link every one of these pages must offer (where it leads on to).
    leads_to: str


def shots(demo: Demo) -> list[Shot]:
    petition = f"/petitions/{PETITION_SLUG}"
    return [
        Shot("petition", petition, f"a[href='/prisoners/{PRISONER_SLUG}']"),
        Shot("prisoner", f"/prisoners/{PRISONER_SLUG}", f"a[href='{petition}#sign-heading']"),
        Shot("prisoners", "/prisoners/", f"a[href='/prisoners/{PRISONER_SLUG}']"),
        Shot("calendar", "/letters/calendar", f"a[href^='/letters/write/{PRISONER_SLUG}']"),
        Shot("check-email", f"{petition}/check-email", f"a[href='/letters/write/{PRISONER_SLUG}']"),
        Shot("confirmed", demo.confirm_path, f"a[href='/letters/write/{PRISONER_SLUG}']"),
        Shot(
            "composer",
            f"/letters/write/{PRISONER_SLUG}?occasion=birthday",
            f"a[href='{petition}#sign-heading']",
        ),
        Shot(
            "statistics",
            f"/organise/petitions/{demo.petition_id}/statistics",
            f"a[href='/organise/petitions/{demo.petition_id}']",
        ),
        Shot(
            "campaign-statistics",
            f"/organise/campaigns/{demo.campaign_id}/statistics",
            f"a[href='/organise/petitions/{demo.petition_id}/statistics']",
        ),
    ]


def test_journey_pages_in_every_language(live_server: LiveServer, page: Page) -> None:
    """Screenshots for review, and on each page: its language, no sideways scroll, a way on,
    and no serious or critical axe violation (checked in Russian and in Belarusian)."""
    demo = demo_with_history()
    campaign = db.session.get(Petition, demo.petition_id).campaign
    user = make_user(campaigns=(campaign,))
    db.session.commit()  # for the live server's threads
    sign_in(page, live_server, user)
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    for language in LANGUAGES:
        for shot in shots(demo):
            where = f"{shot.name} ({language}, {live_server.width} px)"
            response = page.goto(live_server.url + with_language(shot.path, language))
            assert response is not None
            page.screenshot(
                path=str(ARTIFACTS / f"journey-{shot.name}-{language}-{live_server.width}.png"),
                full_page=True,
            )
            if response.status != 200:
                problems.append(f"{where}: status {response.status}")
            if (lang := page.locator("html").get_attribute("lang")) != language:
                problems.append(f"{where}: <html lang={lang!r}>")
            if (width := page.evaluate("document.documentElement.scrollWidth")) > live_server.width:
                problems.append(f"{where}: scrolls sideways, {width} px wide")
            if not page.locator(shot.leads_to).count():
                problems.append(f"{where}: no link {shot.leads_to}")
            if language in ("ru", "be") and (violations := axe_violations(page)):
                problems.append(f"{where}: axe\n{describe_violations(violations)}")
    assert not problems, "\n".join(problems)
