"""The Russian, Belarusian and French catalogues: complete, with the placeholders intact,
and English (never a blank or a message id) for anything they lack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from campaign_app.extensions import db

CATALOGUES = Path(__file__).resolve().parent.parent / "campaign_app" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%")
LANGUAGES = ("ru", "be", "fr")


def _entries(language: str):
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    return [message for message in catalogue if message.id]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_with_its_placeholders(language):
    problems = []
    for message in _entries(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            # A plural form may leave the number out ("одна подпись"), nothing else.
            if set(PLACEHOLDER.findall(text)) - wanted or wanted - set(
                PLACEHOLDER.findall(text)
            ) - {"%(num)d", "%(num)s"}:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert problems == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "политзаключённых"),
        ("be", "палітвязняў"),
        ("fr", "prisonniers politiques"),
    ],
)
def test_home_page_in_each_language(make_app, language, expected):
    client = make_app().test_client()
    page = client.get(f"/?lang={language}").get_data(as_text=True)
    assert expected in page.lower()
    assert "Stand with political prisoners" not in page


def test_a_string_missing_from_a_catalogue_shows_in_english(app):
    with app.test_request_context("/?lang=ru"), force_locale("ru"):
        assert gettext("A sentence nobody has translated yet.") == (
            "A sentence nobody has translated yet."
        )


def test_strings_in_template_macros_are_translated_too(make_app):
    """The macros under templates/_macros/ are extracted like every other template."""
    from tests.factories import make_petition

    app = make_app()
    with app.app_context():
        make_petition(slug="macro-check")
        db.session.commit()  # the requests below run in app contexts of their own
    page = app.test_client().get("/petitions/macro-check?lang=ru").get_data(as_text=True)
    assert "Поделитесь этой петицией" in page
    assert "Share this petition" not in page
