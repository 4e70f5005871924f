"""Texts organisers type (a biography, a postage note, a campaign's name) in every language.

A row keeps its texts in the columns as the organiser first wrote them, and their
translations in one JSON column, ``{"ru": {"bio": "…"}, "be": {…}}``. A reader gets the text
in their interface language when there is one, else the original. Forms edit the
translations with one sub-form per language (translations_field); templates read them with
the ``translated(row, "field")`` helper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Form, FormField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from campaign_app.db import Translatable
from campaign_app.validators import PlainText, clean_line, clean_markdown, clean_text

# The languages the interface has catalogues for, in the switcher's order.
CONTENT_LANGUAGES = ("en", "ru", "be", "fr")

Translations = dict[str, dict[str, str]]


def clean_translations(data: Mapping[str, Mapping[str, Any]] | None) -> Translations:
    """The sub-forms' data without empty texts and languages (what is stored)."""
    cleaned: Translations = {}
    for locale, texts in (data or {}).items():
        kept = {
            name: str(value).strip() for name, value in texts.items() if str(value or "").strip()
        }
        if kept:
            cleaned[locale] = kept
    return cleaned


# One sub-form per language; field: (label, multi-line, maximum length). Multi-line is True,
# False or MARKDOWN: several lines whose indents and blank lines are kept (nested lists).
MARKDOWN = "markdown"
FieldSpec = tuple[Any, bool | str, int]


def translations_field(
    fields: Mapping[str, FieldSpec],
    label: Any = None,
    languages: tuple[str, ...] = CONTENT_LANGUAGES,
) -> FormField:
    """A form field holding one sub-form per language with ``fields`` in each.

    Its ``data`` is ``{"ru": {"bio": "…"}, …}``; pass it through clean_translations. Fill it
    from a row with ``form.translations.process(None, row.translations)``.
    """

    def text_field(field_label: Any, multiline: bool | str, length: int) -> Any:
        validators = [Optional(), Length(max=length), PlainText(single_line=not multiline)]
        if multiline == MARKDOWN:
            return TextAreaField(field_label, validators, [clean_markdown], render_kw={"rows": 8})
        if multiline:
            return TextAreaField(field_label, validators, [clean_text], render_kw={"rows": 4})
        return StringField(field_label, validators, [clean_line])

    language_form = type(
        "LanguageTexts",
        (Form,),
        {name: text_field(*spec) for name, spec in fields.items()},
    )
    all_languages = type(
        "TranslationsForm",
        (Form,),
        {locale: FormField(language_form, label=locale) for locale in languages},
    )
    return FormField(all_languages, label=label or _l("Translations"))


def reader_text(row: Translatable | None, name: str) -> str:
    """Template helper: the field in the reader's interface language."""
    if row is None:
        return ""
    return row.translated(name, str(get_locale()))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(translated=reader_text, content_languages=CONTENT_LANGUAGES)
