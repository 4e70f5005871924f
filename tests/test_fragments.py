"""The head links, navigation and footer are rendered once per language and reused: each page
must still mark its own section, link the languages to its own path, and say it in its own
language."""

from __future__ import annotations

import re


def nav(html: str) -> str:
    match = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', html, re.S)
    assert match, "no site navigation"
    return match.group(1)


def test_each_page_marks_its_section_and_links_languages_to_itself(app, client):
    petitions = client.get("/petitions/?lang=en").get_data(as_text=True)
    prisoners = client.get("/prisoners/?lang=en").get_data(as_text=True)
    calendar = client.get("/letters/calendar?lang=ru").get_data(as_text=True)
    home = client.get("/?lang=be").get_data(as_text=True)

    assert '<a href="/petitions/" aria-current="page">Petitions</a>' in nav(petitions)
    assert '<a href="/prisoners/">Prisoners</a>' in nav(petitions)
    assert '<a href="/prisoners/" aria-current="page">Prisoners</a>' in nav(prisoners)
    assert '<a href="/petitions/">Petitions</a>' in nav(prisoners)
    assert 'href="/letters/calendar" aria-current="page">Календарь</a>' in nav(calendar)
    assert "aria-current" not in nav(home) and ">Петыцыі</a>" in nav(home)
    assert 'href="/petitions/?lang=ru"' in petitions
    assert 'href="/prisoners/?lang=ru"' in prisoners
    assert 'href="/letters/calendar?lang=en"' in calendar
    assert 'href="/?lang=ru"' in home
    assert '<span lang="be" aria-current="true">Беларуская</span>' in home
    assert 'href="/static/css/site.css"' in home


def test_the_path_in_the_language_links_is_escaped(app, client):
    response = client.get('/petitions/a"b<c')
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'href="/petitions/a&#34;b&lt;c?lang=ru"' in html
    assert 'a"b<c' not in html
