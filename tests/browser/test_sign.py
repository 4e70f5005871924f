"""Sign a petition in the browser, confirm it with the link from the real SMTP server."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from tests.factories import make_petition, make_signature
from tests.support.browser import LiveServer, link_in
from tests.support.mail import unique_email

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]


def petition_with_two_signatures() -> Petition:
    petition = make_petition(title="Free the browser-tested prisoner", goal=100)
    make_signature(petition, country="NL")
    make_signature(petition, country="BE")
    db.session.commit()  # for the live server's threads
    return petition


def check_email_url(live_server: LiveServer, petition: Petition) -> re.Pattern[str]:
    # The form posts to .../<slug>#sign-heading; a redirect keeps the fragment.
    page_url = f"{live_server.url}/petitions/{petition.slug}/check-email"
    return re.compile(re.escape(page_url) + "(#sign-heading)?$")


def fill_and_sign(page: Page, email: str, first_name: str, last_name: str) -> None:
    """Fill the signing form by the controls' ids (the labels may be translated)."""
    page.locator("#first_name").fill(first_name)
    page.locator("#last_name").fill(last_name)
    page.locator("#email").fill(email)
    page.locator("#country").select_option("NL")
    page.locator("#city").fill("Utrecht")
    page.locator("#consent").check()
    page.locator("form:has(#consent) button[type=submit]").click()


def test_sign_and_confirm(live_server: LiveServer, page: Page) -> None:
    petition = petition_with_two_signatures()
    email = unique_email()

    page.goto(f"{live_server.url}/petitions/{petition.slug}")
    expect(page.locator("h1")).to_have_text("Free the browser-tested prisoner")
    expect(page.locator("[data-live-count]")).to_have_text("2")
    # The English labels are tied to their controls.
    expect(page.get_by_label("First name", exact=True)).to_be_visible()
    expect(page.get_by_label("E-mail address", exact=True)).to_be_visible()
    live_server.screenshot(page, "petition")

    fill_and_sign(page, email, "Мария", "Browser")
    expect(page).to_have_url(check_email_url(live_server, petition))
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    live_server.screenshot(page, "check-email")

    message = live_server.wait_for_mail(email)
    page.goto(link_in(message, live_server.url))
    expect(page.locator("h1")).to_have_text("Thank you: your signature is confirmed")
    expect(page.locator(".lead")).to_contain_text("3 people have signed")
    live_server.screenshot(page, "confirmed")

    page.get_by_role("link", name="Back to the petition").click()
    expect(page.locator("[data-live-count]")).to_have_text("3")
    expect(page.locator("ul.signers")).to_contain_text("Мария, Netherlands")


def test_bad_input_keeps_values_and_ties_errors(live_server: LiveServer, page: Page) -> None:
    petition = petition_with_two_signatures()
    page.goto(f"{live_server.url}/petitions/{petition.slug}")
    page.locator("#first_name").fill("Anna")
    page.locator("#email").fill("not-an-address")
    page.locator("form:has(#consent) button[type=submit]").click()

    email = page.get_by_label("E-mail address", exact=True)
    expect(email).to_have_value("not-an-address")
    expect(email).to_have_attribute("aria-invalid", "true")
    error = page.locator("#email-error")
    expect(error).to_contain_text("valid e-mail address")
    assert "email-error" in (email.get_attribute("aria-describedby") or "").split()
    expect(page.get_by_label("First name", exact=True)).to_have_value("Anna")
    expect(page.locator("[data-live-count]")).to_have_text("2")
    live_server.screenshot(page, "sign-errors")


def test_sign_and_confirm_in_russian(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """The journey with a Russian browser: what the Russian interface shows today."""
    petition = petition_with_two_signatures()
    email = unique_email()
    page = new_context(locale="ru-RU", extra_http_headers={"Accept-Language": "ru"}).new_page()

    page.goto(f"{live_server.url}/petitions/{petition.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Country names come from Babel's Russian data.
    expect(page.locator("#country option[value=NL]")).to_have_text("Нидерланды")
    expect(page.locator("#sign-heading")).to_have_text("Подписать петицию")
    expect(page.get_by_label("Имя", exact=True)).to_be_visible()
    live_server.screenshot(page, "petition-ru")

    fill_and_sign(page, email, "Мария", "Браузерова")
    expect(page).to_have_url(check_email_url(live_server, petition))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Проверьте почту")
    live_server.screenshot(page, "check-email-ru")

    message = live_server.wait_for_mail(email)
    # The e-mail is in the signer's language, from the ru catalogue.
    assert message["Subject"] == (
        "Пожалуйста, подтвердите свою подпись: Free the browser-tested prisoner"
    )
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = " ".join(body.get_content().split())
    assert "Здравствуйте, Мария!" in text
    assert "Спасибо, что подписали петицию «Free the browser-tested prisoner»." in text
    assert "Пожалуйста, откройте эту ссылку, чтобы подтвердить свою подпись." in text
    assert "Please open this link" not in text
    html = message.get_body(preferencelist=("html",))
    assert html is not None and "Здравствуйте, Мария!" in html.get_content()

    page.goto(link_in(message, live_server.url))
    expect(page.locator("h1")).to_have_text("Спасибо: ваша подпись подтверждена")
    expect(page.locator(".lead")).to_contain_text("3")
    live_server.screenshot(page, "confirmed-ru")

    page.goto(f"{live_server.url}/petitions/{petition.slug}")
    expect(page.locator("[data-live-count]")).to_have_text("3")
    expect(page.locator("ul.signers")).to_contain_text("Мария, Нидерланды")
