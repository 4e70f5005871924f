"""The rules a prisoner's record and a new address must meet before they are stored.

Names and addresses are printed on cards and envelopes: each is in one script, in the
language it claims, with characters the card font has; dates are plausible and not future.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors, check_not_future
from campaign_app.letters.card_text import (
    check_country_line,
    check_cyrillic_address,
    check_printable,
    script_of,
)
from campaign_app.prisoners.models import Prisoner
from campaign_app.prisoners.organise.inputs import AddressInput, PrisonerInput
from campaign_app.validators import SLUG

EARLIEST_BIRTH = date(1900, 1, 1)
# Belarus and Russia both use six-digit postcodes ("213807, г. Бобруйск").
POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_NAME_PUNCTUATION = frozenset(" -'’.")
# Letters one language has and the other lacks: a sign the wrong form was typed.
_NOT_RUSSIAN = {"і": "и", "ў": "у"}
_NOT_BELARUSIAN = {"и": "і", "щ": "шч", "ъ": "’"}
_PRINTED_NAMES = (
    "given_name_latin",
    "surname_latin",
    "given_name_ru",
    "patronymic_ru",
    "surname_ru",
    "full_name_dative_ru",
    "given_name_be",
    "patronymic_be",
    "surname_be",
    "full_name_dative_be",
)


def field_labels() -> dict[str, str]:
    """The names organisers see for the fields messages are about."""
    return {
        "given_name_latin": _("Given name (Latin)"),
        "surname_latin": _("Surname (Latin)"),
        "given_name_ru": _("Given name (Russian)"),
        "patronymic_ru": _("Patronymic (Russian)"),
        "surname_ru": _("Surname (Russian)"),
        "full_name_dative_ru": _("Full name, dative (Russian)"),
        "given_name_be": _("Given name (Belarusian)"),
        "patronymic_be": _("Patronymic (Belarusian)"),
        "surname_be": _("Surname (Belarusian)"),
        "full_name_dative_be": _("Full name, dative (Belarusian)"),
        "lines_ru": _("Address (Russian)"),
        "lines_be": _("Address (Belarusian)"),
        "country_line": _("Country line"),
    }


def slug_taken_message() -> str:
    """The refusal of a short name another prisoner has."""
    return str(_("Another prisoner has this short name already."))


def check_name(errors: FieldErrors, name: str, text: str, script: str) -> None:
    """Letters of one script only (Latin or Cyrillic), with spaces, hyphens, apostrophes."""
    if not text:
        return
    label = field_labels()[name]
    wrong = [
        c for c in dict.fromkeys(text) if c not in _NAME_PUNCTUATION and script_of(c) != script
    ]
    if wrong and script == "CYRILLIC":
        errors.add(
            name,
            _(
                "%(field)s must be typed in Cyrillic letters; these are not: %(chars)s.",
                field=label,
                chars=" ".join(wrong),
            ),
        )
        return
    if wrong:
        errors.add(
            name,
            _(
                "%(field)s must be typed in Latin letters; these are not: %(chars)s.",
                field=label,
                chars=" ".join(wrong),
            ),
        )
        return
    if script == "CYRILLIC":
        foreign = _NOT_BELARUSIAN if name.endswith("_be") else _NOT_RUSSIAN
        found = [c for c in dict.fromkeys(text.lower()) if c in foreign]
        if found:
            language = _("Belarusian") if name.endswith("_be") else _("Russian")
            errors.add(
                name,
                _(
                    "%(field)s: %(chars)s is not a %(language)s letter (use %(instead)s).",
                    field=label,
                    chars=" ".join(found),
                    language=language,
                    instead=", ".join(foreign[c] for c in found),
                ),
            )


def _check_photo_url(errors: FieldErrors, url: str) -> None:
    """A photo on this site only: pages load nothing from other hosts (visitors' privacy, CSP)."""
    if not url:
        return
    parts = urlsplit(url)
    own_host = urlsplit(str(current_app.config["BASE_URL"])).netloc
    is_path = not parts.scheme and not parts.netloc and url.startswith("/")
    is_own = parts.scheme == "https" and parts.netloc == own_host
    if any(c.isspace() for c in url) or not (is_path or is_own):
        errors.add(
            "photo_url",
            _(
                "The photo must be on this site, e.g. /static/img/prisoners/name.jpg: pages "
                "load nothing from other sites, so that visitors are not tracked."
            ),
        )


def check_prisoner(data: PrisonerInput, prisoner: Prisoner | None) -> None:
    """Refuse (InvalidFields) a record that breaks the rules; ``prisoner`` when editing."""
    errors = FieldErrors()
    if not SLUG.match(data.slug):
        errors.add("slug", _("Use lower-case letters, digits and hyphens, e.g. “ales-bialiatski”."))
    else:
        taken = db.session.scalar(select(Prisoner.id).where(Prisoner.slug == data.slug))
        if taken is not None and (prisoner is None or taken != prisoner.id):
            errors.add("slug", slug_taken_message())
    for name in _PRINTED_NAMES:
        text = getattr(data, name)
        check_name(errors, name, text, "LATIN" if name.endswith("_latin") else "CYRILLIC")
        check_printable(errors, name, field_labels()[name], text)
    printed = f"full_name_dative_{data.address_language.value}"
    if not getattr(data, printed):
        errors.add(
            printed,
            _(
                "%(field)s is needed: it is the addressee line of every card and envelope.",
                field=field_labels()[printed],
            ),
        )
    _check_dates(errors, data)
    _check_photo_url(errors, data.photo_url)
    current = prisoner.latest_address if prisoner is not None else None
    if current is not None and not current.lines(data.address_language):
        errors.add(
            "address_language",
            _("The current address has no form in this language: add an address with it first."),
        )
    errors.raise_if_any()


def _check_dates(errors: FieldErrors, data: PrisonerInput) -> None:
    check_not_future(errors, "birth_date", _("Date of birth"), data.birth_date)
    check_not_future(errors, "arrest_date", _("Date of arrest"), data.arrest_date)
    check_not_future(errors, "mail_note_as_of", _("Mail note as of"), data.mail_note_as_of)
    if data.birth_date is not None and data.birth_date < EARLIEST_BIRTH:
        errors.add("birth_date", _("Please check the year of birth."))
    if data.birth_date and data.arrest_date and data.arrest_date <= data.birth_date:
        errors.add("arrest_date", _("The date of arrest must be after the date of birth."))
    if data.mail_note_as_of is None and (
        data.mail_note or data.is_mail_getting_through is not None
    ):
        errors.add(
            "mail_note_as_of",
            _("Please say as of when this is known: the prisoner page shows the date."),
        )


def check_address(prisoner: Prisoner, data: AddressInput) -> None:
    """Refuse (InvalidFields) an address that cannot be printed or would blur the history."""
    errors = FieldErrors()
    labels = field_labels()
    printed = f"lines_{prisoner.address_language.value}"
    if not getattr(data, printed):
        errors.add(
            printed,
            _(
                "%(field)s is needed: %(name)s's cards are printed in this language.",
                field=labels[printed],
                name=prisoner.name_in(str(get_locale())),
            ),
        )
    for name in ("lines_ru", "lines_be"):
        text = getattr(data, name)
        if not text:
            continue
        check_cyrillic_address(errors, name, labels[name], text)
        if not POSTCODE.search(text):
            errors.add(
                name,
                _(
                    "%(field)s: no postcode found. Postcodes in Belarus and Russia have six"
                    " digits, e.g. “213807, г. Бобруйск”.",
                    field=labels[name],
                ),
            )
        check_printable(errors, name, labels[name], text)
    country = data.country_line
    check_country_line(errors, country)
    check_printable(errors, "country_line", labels["country_line"], country)
    check_not_future(errors, "as_of", _("As of"), data.as_of)
    if any(address.as_of == data.as_of for address in prisoner.addresses):
        errors.add(
            "as_of",
            _(
                "There is an address as of this date already: which one is current would be"
                " unclear. Use the date this address was confirmed."
            ),
        )
    errors.raise_if_any()
