"""Prisoners' records kept by their campaign's organisers: names, dates, status, addresses.

Addresses are never edited: a new one is added with its "as of" date and source, and the
newest date is the current address. Each public use case validates, audits and commits once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign_app.audit.service import record
from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db
from campaign_app.management.reference_service import (
    SLUG,
    FieldErrors,
    InvalidFields,
    changed_fields,
    check_not_future,
    check_printable,
)
from campaign_app.prisoners.models import (
    AddressLanguage,
    Prisoner,
    PrisonerAddress,
    PrisonerStatus,
)

log = logging.getLogger(__name__)

EARLIEST_BIRTH = date(1900, 1, 1)
# Belarus and Russia both use six-digit postcodes ("213807, г. Бобруйск").
POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_NAME_PUNCTUATION = frozenset(" -'’.")
# Letters one language has and the other lacks: a sign the wrong form was typed.
_NOT_RUSSIAN = {"і": "и", "ў": "у"}
_NOT_BELARUSIAN = {"и": "і", "щ": "шч", "ъ": "’"}


@dataclass(frozen=True)
class PrisonerInput:
    """The prisoner form's values, already shape-checked and trimmed."""

    slug: str
    given_name_latin: str
    surname_latin: str
    given_name_ru: str
    patronymic_ru: str
    surname_ru: str
    full_name_dative_ru: str
    given_name_be: str
    patronymic_be: str
    surname_be: str
    full_name_dative_be: str
    birth_date: date | None
    arrest_date: date | None
    status: PrisonerStatus
    address_language: AddressLanguage
    bio: str
    interests: str
    is_mail_getting_through: bool | None
    mail_note: str
    mail_note_as_of: date | None
    photo_url: str


@dataclass(frozen=True)
class AddressInput:
    """A new address version: both Cyrillic forms, the reading aid, the date and the source."""

    lines_ru: str
    lines_be: str
    lines_latin: str
    country_line: str
    as_of: date
    source: str


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


# Queries --------------------------------------------------------------------------------


def list_prisoners(campaign: Campaign) -> list[Prisoner]:
    return list(
        db.session.scalars(
            select(Prisoner)
            .where(Prisoner.campaign_id == campaign.id)
            .order_by(Prisoner.surname_latin, Prisoner.given_name_latin)
        )
    )


# Checks ---------------------------------------------------------------------------------


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _check_name(errors: FieldErrors, name: str, text: str, script: str) -> None:
    """Letters of one script only (Latin or Cyrillic), with spaces, hyphens, apostrophes."""
    if not text:
        return
    label = field_labels()[name]
    wrong = [c for c in dict.fromkeys(text) if c not in _NAME_PUNCTUATION and _script(c) != script]
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


def _check_prisoner(data: PrisonerInput, prisoner: Prisoner | None) -> None:
    errors = FieldErrors()
    if not SLUG.match(data.slug):
        errors.add("slug", _("Use lower-case letters, digits and hyphens, e.g. “ales-bialiatski”."))
    else:
        taken = db.session.scalar(select(Prisoner.id).where(Prisoner.slug == data.slug))
        if taken is not None and (prisoner is None or taken != prisoner.id):
            errors.add("slug", _("Another prisoner has this short name already."))
    for name in _PRINTED_NAMES:
        text = getattr(data, name)
        _check_name(errors, name, text, "LATIN" if name.endswith("_latin") else "CYRILLIC")
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


def _values(data: Any) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


def _slug_taken() -> InvalidFields:
    return InvalidFields({"slug": [_("Another prisoner has this short name already.")]})


# Use cases ------------------------------------------------------------------------------


def create_prisoner(campaign: Campaign, data: PrisonerInput) -> Prisoner:
    """Add a prisoner to ``campaign`` (no address yet); commits."""
    _check_prisoner(data, None)
    prisoner = Prisoner(campaign_id=campaign.id, **_values(data))
    db.session.add(prisoner)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _slug_taken() from None
    record(
        "prisoner.created",
        campaign_id=campaign.id,
        target=f"prisoner {prisoner.slug}",
        details={"prisoner_id": prisoner.id},
    )
    db.session.commit()
    log.info("Prisoner %s created in campaign %s", prisoner.id, campaign.id)
    return prisoner


def update_prisoner(prisoner: Prisoner, data: PrisonerInput) -> list[str]:
    """Save a prisoner's changes; the names of the changed fields (none: nothing stored)."""
    _check_prisoner(data, prisoner)
    changed = changed_fields(prisoner, _values(data))
    if not changed:
        return []
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _slug_taken() from None
    record(
        "prisoner.updated",
        campaign_id=prisoner.campaign_id,
        target=f"prisoner {prisoner.slug}",
        details={"prisoner_id": prisoner.id, "fields": changed},
    )
    db.session.commit()
    return changed


def _check_address(prisoner: Prisoner, data: AddressInput) -> None:
    errors = FieldErrors()
    labels = field_labels()
    printed = f"lines_{prisoner.address_language.value}"
    if not getattr(data, printed):
        errors.add(
            printed,
            _(
                "%(field)s is needed: %(name)s's cards are printed in this language.",
                field=labels[printed],
                name=prisoner.name_latin,
            ),
        )
    for name in ("lines_ru", "lines_be"):
        text = getattr(data, name)
        if not text:
            continue
        latin = [c for c in dict.fromkeys(text) if c.isalpha() and _script(c) != "CYRILLIC"]
        if latin:
            errors.add(
                name,
                _(
                    "%(field)s must be in Cyrillic (only the country line is in Latin"
                    " letters); these are not Cyrillic: %(chars)s.",
                    field=labels[name],
                    chars=" ".join(latin),
                ),
            )
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
    if not country or any(c.isalpha() and _script(c) != "LATIN" for c in country):
        errors.add(
            "country_line",
            _("The country line is written in Latin capitals, e.g. “REPUBLIC OF BELARUS”."),
        )
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


def add_address(prisoner: Prisoner, data: AddressInput) -> PrisonerAddress:
    """Record a new address version (earlier ones stay as history); commits."""
    _check_address(prisoner, data)
    values = _values(data) | {"country_line": data.country_line.upper()}
    address = PrisonerAddress(**values)
    prisoner.addresses.append(address)
    db.session.flush()
    db.session.refresh(prisoner, ["addresses"])
    is_current = prisoner.latest_address is not None and prisoner.latest_address.id == address.id
    record(
        "prisoner.address_added",
        campaign_id=prisoner.campaign_id,
        target=f"prisoner {prisoner.slug}",
        details={
            "prisoner_id": prisoner.id,
            "address_id": address.id,
            "as_of": address.as_of.isoformat(),
            "is_current": is_current,
        },
    )
    db.session.commit()
    log.info("Address %s added to prisoner %s", address.id, prisoner.id)
    return address
