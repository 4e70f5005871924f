"""WTForms' own messages ("Not a valid choice.") in the reader's language, from our catalogue.

Flask-WTF translates WTForms' built-in messages with the catalogue WTForms ships, which has no
Belarusian and leaves some Russian messages untranslated. The messages are listed here so that
``make messages`` extracts them into our catalogues, and forms read them from ours first, then
from WTForms' (for a message a newer WTForms adds).
"""

from __future__ import annotations

import flask_wtf.form
from flask import Flask
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf.i18n import translations as wtforms_translations

# The messages of WTForms 3 validators and fields that a form of this app can show (the
# CSRF ones never show: the form's summary says the form had expired).
MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _ln(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
)


class _CatalogueFirst:
    """The translations object Flask-WTF hands to WTForms: ours, then WTForms' own."""

    def gettext(self, string: str) -> str:
        translated: str = get_translations().ugettext(string)
        return translated if translated != string else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translated: str = get_translations().ungettext(singular, plural, n)
        if translated not in (singular, plural):
            return translated
        return str(wtforms_translations.ngettext(singular, plural, n))


def init_app(app: Flask) -> None:
    """Have every FlaskForm translate WTForms' messages with our catalogue first."""
    # Flask-WTF's FlaskForm.Meta.get_translations returns this module attribute; it is the
    # one hook it offers (WTF_I18N_ENABLED only switches it off).
    del app  # the hook is Flask-WTF's, the same for every app
    flask_wtf.form.translations = _CatalogueFirst()
