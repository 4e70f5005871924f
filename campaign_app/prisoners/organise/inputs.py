"""What the organiser's prisoner forms hand to the checks and the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from campaign_app.prisoners.models import AddressLanguage, CardLanguages, PrisonerStatus


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
    card_languages: CardLanguages
    bio: str
    interests: str
    is_mail_getting_through: bool | None
    mail_note: str
    mail_note_as_of: date | None
    photo_url: str
    # {"ru": {"bio": "…", "interests": "…", "mail_note": "…"}, …}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class AddressInput:
    """A new address version: both Cyrillic forms, the reading aid, the date and the source."""

    lines_ru: str
    lines_be: str
    lines_latin: str
    country_line: str
    as_of: date
    source: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # the source's
