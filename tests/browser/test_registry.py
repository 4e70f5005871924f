"""The registry on a phone, in Russian, without JavaScript: find a prisoner by a Belarusian
spelling, narrow by birthday month, page through; then axe (a script, so in a second
context with scripts on) finds nothing serious on those pages, and nothing scrolls sideways."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import BrowserContext, expect

from campaign_app.extensions import db
from tests.factories import make_campaign, make_prisoner
from tests.support.browser import LiveServer, axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.commits]


def test_find_by_a_belarusian_spelling_and_filter_by_month(live_server: LiveServer, new_context):
    campaign = make_campaign()
    make_prisoner(
        campaign=campaign,
        slug="ales-bialiatski",
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        given_name_ru="Алесь",
        surname_ru="Беляцкий",
        given_name_be="Алесь",
        surname_be="Бяляцкі",
        birth_date=date(1962, 9, 25),
    )
    for n in range(30):
        make_prisoner(campaign=campaign, slug=f"p-{n}", surname_ru=f"Иванов{n}")
    db.session.commit()  # for the live server's threads
    context: BrowserContext = new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()

    page.goto(f"{live_server.url}/prisoners/?lang=ru")
    page.get_by_label("Имя").fill("Бяляцкі")
    page.get_by_label("Месяц дня рождения").select_option("9")
    page.get_by_role("button", name="Показать").click()

    expect(page.get_by_role("heading", name="1 заключённый")).to_be_visible()
    expect(page.get_by_role("link", name="Алесь Беляцкий", exact=True)).to_be_visible()
    assert "q=" in page.url and "month=9" in page.url  # a link to share
    found = page.url

    page.goto(f"{live_server.url}/prisoners/?lang=ru")
    page.get_by_role("link", name="Следующая страница").click()
    expect(page.get_by_role("heading", name="25–31 из 31 заключённых")).to_be_visible()

    # The same pages with scripts on (axe runs as one): nothing serious, no sideways scroll.
    checker = new_context(locale="ru-RU").new_page()
    for url in (found, page.url):
        checker.goto(url)
        assert checker.evaluate("document.documentElement.scrollWidth") <= live_server.width
        violations = axe_violations(checker)
        assert violations == [], describe_violations(violations)
