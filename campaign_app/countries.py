"""ISO 3166-1 countries with names in the current locale (pycountry codes, Babel names)."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale
from markupsafe import escape

from campaign_app.i18n import locale_code


@cache
def country_codes() -> frozenset[str]:
    """Every current ISO 3166-1 alpha-2 code."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def _names(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    english = Locale.parse("en").territories
    pairs = [(code, territories.get(code) or english.get(code) or code) for code in country_codes()]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


@cache
def country_options_html(locale: str, placeholder: str) -> str:
    """All ``<option>`` tags of the country select, built once per language.

    Rendering 250 options through WTForms cost milliseconds on every page view.
    """
    options = [f'<option value="">{escape(placeholder)}</option>']
    options += [f'<option value="{code}">{escape(name)}</option>' for code, name in _names(locale)]
    return "".join(options)


@cache
def _name_map(locale: str) -> dict[str, str]:
    return dict(_names(locale))


@cache
def country_codes_by_name(locale: str) -> dict[str, str]:
    """Country names (case-folded) in ``locale`` and in English, to their ISO codes."""
    names = {name.casefold(): code for code, name in _names("en")}
    names.update({name.casefold(): code for code, name in _names(locale)})
    return names


def country_name(code: str) -> str:
    """The country's name in the current locale, or the code if unknown."""
    return country_name_in(code, locale_code() or "en")


def country_name_in(code: str, locale: str) -> str:
    """The country's name in ``locale``, or the code if unknown."""
    return _name_map(locale).get(code, code)
