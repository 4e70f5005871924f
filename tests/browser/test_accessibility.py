"""axe-core on every public page and the organiser pages: no serious or critical violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from campaign_app.db import utcnow
from campaign_app.demo.data import PETITION_SLUG, PRISONER_SLUG, load_demo
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, SignatureState
from campaign_app.petitions.tokens import make_confirmation_token
from tests.factories import make_appeal_target, make_petition, make_signature, make_user
from tests.support.browser import LiveServer, axe_violations, describe_violations, sign_in
from tests.support.deliveries import make_delivery, make_photo

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]


def check_pages(
    live_server: LiveServer, page: Page, paths: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Open each path and run axe on it; the violations by path."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, (path, response and response.status)
        if violations := axe_violations(page):
            found[path] = violations
    return found


def wider_than_the_screen(live_server: LiveServer, page: Page, paths: list[str]) -> list[str]:
    """Pages that scroll sideways (WCAG 1.4.10 reflow), with their width."""
    wide = []
    for path in paths:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > live_server.width:
            wide.append(f"{path}: {width} px")
    return wide


def report(found: dict[str, list[dict[str, Any]]]) -> str:
    return "\n\n".join(f"{path}\n{describe_violations(v)}" for path, v in found.items())


def demo_petition() -> Petition:
    load_demo()
    petition = db.session.scalar(select(Petition).where(Petition.slug == PETITION_SLUG))
    assert petition is not None
    return petition


def test_public_pages(live_server: LiveServer, page: Page) -> None:
    petition = demo_petition()
    make_signature(petition, country="BY")
    pending = make_signature(petition, state=SignatureState.PENDING)
    db.session.commit()  # for the live server's threads
    confirm = f"/petitions/{PETITION_SLUG}/confirm/{make_confirmation_token(pending.id)}"

    public_pages = [
        "/",
        "/petitions/",
        f"/petitions/{PETITION_SLUG}",
        f"/petitions/{PETITION_SLUG}/check-email",
        confirm,
        "/prisoners/",
        f"/prisoners/{PRISONER_SLUG}",
        f"/letters/write/{PRISONER_SLUG}?occasion=birthday&language=en",
        "/letters/print",
        "/letters/calendar",
        "/privacy",
        "/privacy/erase",
        "/appeals/",
        "/appeals/prosecutor-general",
        f"/replies/{PRISONER_SLUG}",
    ]
    found = check_pages(live_server, page, public_pages)

    # The pages in the states a visitor meets after sending a form: errors and a preview.
    page.goto(f"{live_server.url}/petitions/{PETITION_SLUG}")
    page.locator("form:has(#consent) button[type=submit]").click()
    expect(page.locator("#first_name-error")).to_be_visible()
    if violations := axe_violations(page):
        found["petition page with errors"] = violations
    page.goto(f"{live_server.url}/letters/write/{PRISONER_SLUG}?occasion=birthday&language=en")
    page.get_by_label("We wish you joy and warmth on your birthday.").check()
    page.get_by_label("Sign with a first name or pseudonym").fill("Мария")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator("#preview")).to_be_visible()
    if violations := axe_violations(page):
        found["card preview"] = violations
    live_server.screenshot(page, "axe-card-preview")
    page.goto(f"{live_server.url}/appeals/prosecutor-general")
    page.get_by_label("Your name").fill("Мария")
    page.get_by_role("button", name="Show my appeal").click()
    expect(page.locator("#preview-heading")).to_be_visible()
    if violations := axe_violations(page):
        found["appeal preview"] = violations
    live_server.screenshot(page, "axe-appeal-preview")

    assert not found, "axe found serious or critical problems:\n" + report(found)
    wide = wider_than_the_screen(live_server, page, public_pages)
    assert not wide, f"wider than {live_server.width} px: {wide}"


def test_axe_reports_what_it_finds(browser: Browser) -> None:
    """The check itself: a page with an unlabelled field and an image without text fails."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><input type="text"><img src="x.png"></main>'
    )
    found = {violation["id"] for violation in axe_violations(page)}
    context.close()
    assert {"label", "image-alt"} <= found, found


def test_organiser_pages(live_server: LiveServer, page: Page) -> None:
    # A petition opened yesterday: the demo one opened in 2011, and its statistics page lists
    # every day since (over 1 MB, 33,000 elements; axe needs half a minute there).
    petition = make_petition(title="Free the accessible prisoner")
    make_signature(petition, country="BY")
    organiser = make_user(campaigns=(petition.campaign,))
    petition_id = petition.id
    target = make_appeal_target(campaign=petition.campaign)
    target_id, template_id, campaign_id = target.id, target.templates[0].id, petition.campaign_id
    # A hand-in with a photo: its form and the photo's, each with its translations.
    delivery = make_delivery(petition, published_at=utcnow())
    delivery_id, photo_id = delivery.id, make_photo(delivery).id
    db.session.commit()  # for the live server's threads

    sign_in(page, live_server, organiser)
    found: dict[str, list[dict[str, Any]]] = {}
    if violations := axe_violations(page):
        found["/organise/ (after signing in)"] = violations

    page.goto(f"{live_server.url}/organise/petitions/{petition_id}/exports")
    page.get_by_label("CSV (a table for any spreadsheet or database)").check()
    page.get_by_role("button", name="Build the export").click()
    expect(page.get_by_role("link", name="Download the file")).to_be_visible(timeout=20_000)
    export_page = page.url.removeprefix(live_server.url)

    found |= check_pages(
        live_server,
        page,
        [
            f"/organise/petitions/{petition_id}",
            f"/organise/petitions/{petition_id}/exports",
            export_page,
            f"/organise/petitions/{petition_id}/statistics",
            "/organise/audit/",
            "/account/",
            f"/organise/campaigns/{campaign_id}/appeals",
            f"/organise/appeal-targets/{target_id}/edit",
            f"/organise/appeal-templates/{template_id}/edit",
            f"/organise/hand-ins/{delivery_id}",
            f"/organise/hand-ins/{delivery_id}/photos/{photo_id}",
        ],
    )
    page.context.clear_cookies()
    found |= check_pages(live_server, page, ["/account/login"])

    assert not found, "axe found serious or critical problems:\n" + report(found)
