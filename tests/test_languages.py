"""The interface language: ?lang= (kept in a cookie), then Accept-Language, then English."""

from __future__ import annotations

import re

import pytest

LANG_ATTRIBUTE = re.compile(r'<html lang="([a-z]+)"')


def page_language(response) -> str:
    return LANG_ATTRIBUTE.search(response.get_data(as_text=True)).group(1)


@pytest.fixture
def fresh(make_app):
    """A client outside the test-wide app context, as a browser would be."""
    return make_app().test_client()


def test_english_by_default(fresh):
    assert page_language(fresh.get("/")) == "en"


def test_browser_language_is_used(fresh):
    assert page_language(fresh.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "fr"
    assert page_language(fresh.get("/", headers={"Accept-Language": "be,ru;q=0.5"})) == "be"


def test_chosen_language_is_kept_for_the_next_pages(fresh):
    chosen = fresh.get("/?lang=ru", headers={"Accept-Language": "fr"})
    assert page_language(chosen) == "ru"
    assert "lang=ru" in chosen.headers["Set-Cookie"]
    # The next page, without ?lang, stays in Russian although the browser prefers French.
    assert page_language(fresh.get("/petitions/", headers={"Accept-Language": "fr"})) == "ru"


@pytest.mark.parametrize("code", ["xx", "", "ru-RU'><script>", "../../etc"])
def test_unknown_language_falls_back_to_english(fresh, code):
    response = fresh.get("/", query_string={"lang": code})
    assert response.status_code == 200
    assert page_language(response) == "en"
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_switcher_links_every_language_in_its_own_name(fresh):
    page = fresh.get("/petitions/").get_data(as_text=True)
    for code, name in (("ru", "Русский"), ("be", "Беларуская"), ("fr", "Français")):
        assert f'href="/petitions/?lang={code}" lang="{code}" hreflang="{code}">{name}</a>' in page
