"""Interface languages: which are offered, how a request's language is chosen and kept."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations
from flask import Flask, Response, current_app, has_request_context, request
from flask.globals import _cv_app
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale, get_translations

LANGUAGE_COOKIE = "lang"
# Each language's name in itself, for the switcher.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "be": "Беларуская", "fr": "Français"}


# Russian and Belarusian long dates end in "г." ("25 сентября 2012 г."): inside a sentence
# that ends with a full stop it reads "г..". Dates in running text leave the "г." out, as
# the press does ("25 сентября 2012").
_DATE_PATTERNS = {
    "ru": {"long": "d MMMM y", "medium": "d MMM y"},
    "be": {"long": "d MMMM y", "medium": "d MMM y"},
}


def date_pattern(style: str, locale: str) -> str:
    """The babel pattern for a date ``style`` (short, medium, long or a pattern) in ``locale``."""
    return _DATE_PATTERNS.get(locale.split("_")[0], {}).get(style, style)


def language_name(code: str) -> str:
    """A language's name in the request's language ("английский" for en, to a Russian
    reader), for sentences; the switcher names each language in itself (LANGUAGE_NAMES)."""
    try:
        name = Locale.parse(code).get_display_name(str(get_locale()))
    except (ValueError, UnknownLocaleError):
        return code
    return str(name or code)


def format_date(value: date | datetime | None = None, format: str = "medium") -> str:
    """flask_babel's format_date in the request's language, without the doubled "г.."."""
    pattern = date_pattern(format, str(get_locale()))
    return str(babel_format_date(value, pattern))


@cache
def _languages(setting: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in setting.split(",") if code.strip())


def offered_languages() -> list[str]:
    """The interface languages of this installation (LANGUAGES), first one the fallback."""
    return list(_languages(str(current_app.config["LANGUAGES"])))


def select_locale() -> str | None:
    """``?lang=`` in the URL, then the language chosen before (a cookie), then the browser's
    Accept-Language, then the first offered language. Unknown codes are ignored."""
    offered = _languages(str(current_app.config["LANGUAGES"]))
    if not has_request_context():  # a command or a job: the fallback (jobs force theirs)
        return offered[0] if offered else None
    environ = request.environ
    # Only parsed when sent: most requests have no query string, a first visit no cookie.
    for candidate in (
        request.args.get("lang") if environ.get("QUERY_STRING") else None,
        request.cookies.get(LANGUAGE_COOKIE) if environ.get("HTTP_COOKIE") else None,
    ):
        if candidate in offered:
            return candidate
    if environ.get("HTTP_ACCEPT_LANGUAGE"):
        chosen = request.accept_languages.best_match(offered)
        if chosen:
            return str(chosen)
    return offered[0] if offered else None


@cache
def _parsed_locale(code: str) -> Locale:
    return Locale.parse(code)


def _selected_locale() -> Locale | None:
    """select_locale's language as one babel Locale per code: flask_babel parses the code
    anew on every request otherwise (babel's Locale objects do not change once made)."""
    code = select_locale()
    return None if code is None else _parsed_locale(code)


def remember_language(response: Response) -> Response:
    """A language picked with ``?lang=`` is kept in a cookie for the next pages. A page's
    language follows the browser's Accept-Language (and that cookie): its Vary says so, so
    that no cache in between hands a Russian page to a Belarusian reader."""
    if response.mimetype == "text/html":
        vary = response.headers.get("Vary")
        if not vary:
            response.headers["Vary"] = "Accept-Language"
        elif "accept-language" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Language"
    chosen = request.args.get("lang") if request.environ.get("QUERY_STRING") else None
    if not chosen:  # most requests: nothing to remember
        return response
    if "public" in response.headers.get("Cache-Control", ""):
        return response  # shared caches (the embed, the share image) must get no cookie
    if chosen in offered_languages() and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 86400,
            samesite="Lax",
            httponly=True,
            secure=bool(request.is_secure),
        )
    return response


def _translations() -> NullTranslations:
    """flask_babel's get_translations(), remembered in the app context (flask.g) for as long
    as its language and domain stay the same objects (force_locale and refresh replace them).

    A page calls gettext a few dozen times; flask_babel finds the context, the domain and the
    language anew on each call (three lookups through flask.g and the locale turned into a
    string), about a tenth of a light page's CPU. The answer is the same object every time.
    """
    context = _cv_app.get(None)
    state = None if context is None else context.g.__dict__.get("_flask_babel")
    if state is not None:
        kept = state.__dict__.get("campaign_translations")
        if (
            kept is not None
            and kept[0] is state.__dict__.get("babel_locale")
            and kept[1] is state.__dict__.get("babel_domain")
        ):
            found: NullTranslations = kept[2]
            return found
    translations: NullTranslations = get_translations()
    if context is not None:
        state = context.g.__dict__.get("_flask_babel")
        if state is not None:
            locale = state.__dict__.get("babel_locale")
            state.campaign_translations = (locale, state.__dict__.get("babel_domain"), translations)
    return translations


def _babel_state() -> Any:
    context = _cv_app.get(None)
    return None if context is None else context.g.__dict__.get("_flask_babel")


def current_locale() -> Locale | None:
    """flask_babel's get_locale(), read straight from the app context once chosen: a page
    asks a few dozen times (names, numbers), and flask_babel finds the context anew on each
    call."""
    state = _babel_state()
    if state is not None:
        locale: Locale | None = state.__dict__.get("babel_locale")
        if locale is not None:
            return locale
    chosen: Locale | None = get_locale()
    return chosen


def locale_code() -> str:
    """``str(get_locale())``, or "" outside a request; remembered per language object."""
    locale = current_locale()
    if locale is None:
        return ""
    state = _babel_state()
    kept = None if state is None else state.__dict__.get("campaign_locale_code")
    if kept is not None and kept[0] is locale:
        code: str = kept[1]
        return code
    code = str(locale)
    if state is not None:
        state.campaign_locale_code = (locale, code)
    return code


# Whole numbers in a language's decimal pattern, by str.format: babel's format_decimal
# parses its pattern and works through Decimal on every call (about 20 us; the petition page
# formats a count per country). Used only for a language whose output is checked equal to
# babel's first (groups of three, its group and minus signs); any other gets babel itself.
_INT_CHECKS = (0, 7, 999, 1000, 9999, 12345, 999999, 1234567, 10**12 + 3, -5, -1234567)
_int_formats: dict[str, tuple[str, str] | None] = {}


def _int_format(locale: Locale) -> tuple[str, str] | None:
    key = str(locale)
    if key in _int_formats:
        return _int_formats[key]
    from babel import numbers

    found: tuple[str, str] | None = (
        numbers.get_group_symbol(locale),
        numbers.get_minus_sign_symbol(locale),
    )
    if any(_int_text(n, found) != numbers.format_decimal(n, locale=locale) for n in _INT_CHECKS):  # type: ignore[arg-type]
        found = None
    _int_formats[key] = found
    return found


def _int_text(number: int, signs: tuple[str, str]) -> str:
    group, minus = signs
    text = f"{abs(number):,}".replace(",", group)
    return minus + text if number < 0 else text


def format_number(number: Any) -> str:
    """flask_babel's format_number (the language's decimal pattern), faster for whole
    numbers."""
    locale = current_locale()
    if type(number) is int and locale is not None:
        signs = _int_format(locale)
        if signs is not None:
            return _int_text(number, signs)
    from babel import numbers

    return str(numbers.format_decimal(number, locale=locale))


def init_i18n(app: Flask) -> None:
    """Choose each request's language and keep a chosen one; names for the switcher."""
    from campaign_app.extensions import babel

    babel.init_app(app, locale_selector=_selected_locale)
    # Flask-Babel's template gettext, with the translations looked up once per language.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.after_request(remember_language)
    app.jinja_env.globals.update(
        offered_languages=offered_languages,
        language_names=LANGUAGE_NAMES,
        language_name=language_name,
        format_date=format_date,
        format_number=format_number,
    )
    app.jinja_env.filters["dateformat"] = _date_filter


def _date_filter(value: date | datetime | None, format: Any = "medium") -> str:
    return format_date(value, format)
