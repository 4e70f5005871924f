"""Occasion names in the reader's language (a template helper the letters feature registers)."""

from __future__ import annotations

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from campaign_app.letters.models import Occasion

# The usual occasion names, so that they can be shown in the reader's language; a name an
# organiser typed that is not among them is shown as typed unless it has a translation.
OCCASION_NAMES = (
    _l("Birthday"),
    _l("New Year"),
    _l("Anniversary of the arrest"),
    _l("General support"),
)


def occasion_name(occasion: Occasion | str | None, locale: str | None = None) -> str:
    """An occasion's name in the reader's language (or ``locale``): the organiser's
    translation, else the catalogue's for a usual English name, else the English name.

    Takes the occasion, or (older callers) its English name.
    """
    if occasion is None:
        return ""
    if isinstance(occasion, str):
        return str(gettext(occasion)) if occasion else ""
    locale = locale or str(get_locale())
    typed = ((occasion.translations or {}).get(locale) or {}).get("name", "")
    if typed:
        return typed
    return str(gettext(occasion.name_en)) if occasion.name_en else ""
