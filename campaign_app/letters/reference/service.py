"""Reference data shared by every campaign: occasions, the phrasebook, postal routes.

Each public use case validates, records an audit event and commits once.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from campaign_app.audit.service import flush_or_refuse, save_and_record
from campaign_app.countries import country_codes
from campaign_app.db import apply_changes
from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors, InvalidFields, check_not_future
from campaign_app.letters.card_text import check_censor, check_printable
from campaign_app.letters.models import (
    Artwork,
    Occasion,
    OccasionKind,
    Phrase,
    PostalRoute,
    Season,
)
from campaign_app.letters.phrasebook import SEASONAL_KINDS
from campaign_app.validators import SLUG

log = logging.getLogger(__name__)

PHRASE_LANGUAGES = ("en", "ru", "be", "fr")
MAX_TRANSIT_DAYS = 120


# Queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseLine:
    """A phrase in the reference list, with the translations it still lacks."""

    phrase: Phrase
    missing: tuple[str, ...]


def list_occasions() -> list[Occasion]:
    """Every occasion, in list order."""
    return list(db.session.scalars(select(Occasion).order_by(Occasion.position, Occasion.id)))


def list_phrases() -> list[PhraseLine]:
    """Every phrase, by occasion (general ones last) and position."""
    phrases = db.session.scalars(
        select(Phrase).order_by(Phrase.occasion_id.is_(None), Phrase.occasion_id, Phrase.position)
    )
    return [
        PhraseLine(p, tuple(lang for lang in PHRASE_LANGUAGES if not getattr(p, f"text_{lang}")))
        for p in phrases
    ]


def list_routes() -> list[PostalRoute]:
    """Every postal route, by sender country."""
    return list(db.session.scalars(select(PostalRoute).order_by(PostalRoute.sender_country)))


def get_occasion(occasion_id: int) -> Occasion | None:
    """The occasion, or None."""
    return db.session.get(Occasion, occasion_id)


def get_phrase(phrase_id: int) -> Phrase | None:
    """The phrase, or None."""
    return db.session.get(Phrase, phrase_id)


def get_route(country: str) -> PostalRoute | None:
    """The postal route from ``country``, or None (also for unknown codes)."""
    return db.session.get(PostalRoute, country) if country in country_codes() else None


# Occasions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccasionInput:
    slug: str
    kind: OccasionKind
    name_en: str
    front_title_ru: str
    front_title_be: str
    artwork: Artwork
    on_date: date | None
    is_active: bool
    position: int
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # {"ru": {"name": …}}


def _occasion_slug_taken() -> InvalidFields:
    return InvalidFields({"slug": [_("Another occasion has this short name already.")]})


def _check_occasion(data: OccasionInput, occasion: Occasion | None) -> None:
    errors = FieldErrors()
    if not SLUG.match(data.slug):
        errors.add("slug", _("Use lower-case letters, digits and hyphens, e.g. “new-year”."))
    else:
        taken = db.session.scalar(select(Occasion.id).where(Occasion.slug == data.slug))
        if taken is not None and (occasion is None or taken != occasion.id):
            errors.add("slug", _("Another occasion has this short name already."))
    check_printable(errors, "name_en", _("Name (English)"), data.name_en)
    for name, label in (
        ("front_title_ru", _("Card title (Russian)")),
        ("front_title_be", _("Card title (Belarusian)")),
    ):
        text = getattr(data, name)
        check_printable(errors, name, label, text)
        check_censor(errors, name, label, text)
    errors.raise_if_any()


def create_occasion(data: OccasionInput) -> Occasion:
    """Add an occasion (admins); commits."""
    _check_occasion(data, None)
    occasion = Occasion(**asdict(data))
    db.session.add(occasion)
    flush_or_refuse(_occasion_slug_taken)
    save_and_record(
        "occasion.created",
        target=f"occasion {occasion.slug}",
        details={"occasion_id": occasion.id},
    )
    log.info("Occasion %s created", occasion.id)
    return occasion


def update_occasion(occasion: Occasion, data: OccasionInput) -> list[str]:
    """Save an occasion's changes (admins); the names of the changed fields. Commits."""
    _check_occasion(data, occasion)
    changed = apply_changes(occasion, data)
    if changed:
        save_and_record(
            "occasion.updated",
            refused=_occasion_slug_taken,
            target=f"occasion {occasion.slug}",
            details={"occasion_id": occasion.id, "fields": changed},
        )
    return changed


# Phrases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseInput:
    occasion_id: int | None
    season: Season
    text_en: str
    text_ru: str
    text_be: str
    text_fr: str
    is_reviewed: bool
    position: int


def _check_phrase(data: PhraseInput) -> None:
    errors = FieldErrors()
    labels = {
        "en": _("English"),
        "ru": _("Russian"),
        "be": _("Belarusian"),
        "fr": _("French"),
    }
    occasion = get_occasion(data.occasion_id) if data.occasion_id is not None else None
    if data.occasion_id is not None and occasion is None:
        errors.add("occasion_id", _("Please choose an occasion from the list."))
    if (
        data.season is not Season.ANY
        and occasion is not None
        and occasion.kind not in SEASONAL_KINDS
    ):
        errors.add(
            "season",
            _(
                "A seasonal phrase is printed only on cards for any time: choose “Any"
                " occasion” or an occasion for any time, or “Any time of year”."
            ),
        )
    for lang in PHRASE_LANGUAGES:
        # Every language is printed: ru/be on the card, en/fr on the sender's translation page.
        check_printable(errors, f"text_{lang}", labels[lang], getattr(data, f"text_{lang}"))
    for lang in ("ru", "be"):
        check_censor(errors, f"text_{lang}", labels[lang], getattr(data, f"text_{lang}"))
    if data.is_reviewed:
        for lang in ("ru", "be"):
            if not getattr(data, f"text_{lang}"):
                errors.add(
                    f"text_{lang}",
                    _(
                        "A reviewed phrase needs its %(language)s text: the composer would"
                        " otherwise print English on the card.",
                        language=labels[lang],
                    ),
                )
    errors.raise_if_any()


def create_phrase(data: PhraseInput) -> Phrase:
    """Add a phrasebook entry (admins); commits."""
    _check_phrase(data)
    phrase = Phrase(**asdict(data))
    db.session.add(phrase)
    db.session.flush()
    save_and_record(
        "phrase.created",
        target=f"phrase {phrase.id}",
        details={"phrase_id": phrase.id, "is_reviewed": phrase.is_reviewed},
    )
    log.info("Phrase %s created", phrase.id)
    return phrase


def update_phrase(phrase: Phrase, data: PhraseInput) -> list[str]:
    """Save a phrase's changes (admins); the names of the changed fields. Commits."""
    _check_phrase(data)
    changed = apply_changes(phrase, data)
    if changed:
        save_and_record(
            "phrase.updated",
            target=f"phrase {phrase.id}",
            details={"phrase_id": phrase.id, "fields": changed, "is_reviewed": phrase.is_reviewed},
        )
    return changed


# Postal routes --------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteInput:
    transit_days: int
    postage_note: str
    is_suspended: bool
    note: str
    as_of: date | None
    # {"ru": {"postage_note": "…", "note": "…"}, …}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def _check_route(data: RouteInput) -> None:
    errors = FieldErrors()
    if not 0 <= data.transit_days <= MAX_TRANSIT_DAYS:
        errors.add(
            "transit_days",
            _("Please give between 0 and %(max)s days.", max=MAX_TRANSIT_DAYS),
        )
    check_not_future(errors, "as_of", _("As of"), data.as_of)
    errors.raise_if_any()


def _route_refused(message: str) -> InvalidFields:
    return InvalidFields({"country": [message]})


def _route_exists() -> InvalidFields:
    return _route_refused(_("There is a route from this country already: edit it instead."))


def create_route(country: str, data: RouteInput) -> PostalRoute:
    """Add the postal route from ``country`` (admins); commits."""
    if country not in country_codes():
        raise _route_refused(_("Please choose a country from the list."))
    _check_route(data)
    if db.session.get(PostalRoute, country) is not None:
        raise _route_exists()
    route = PostalRoute(sender_country=country, **asdict(data))
    db.session.add(route)
    save_and_record(
        "postal_route.created",
        refused=_route_exists,
        target=f"postal route {country}",
        details={"country": country, "is_suspended": route.is_suspended},
    )
    return route


def update_route(route: PostalRoute, data: RouteInput) -> list[str]:
    """Save a postal route's changes (admins); the names of the changed fields. Commits."""
    _check_route(data)
    changed = apply_changes(route, data)
    if changed:
        save_and_record(
            "postal_route.updated",
            target=f"postal route {route.sender_country}",
            details={
                "country": route.sender_country,
                "fields": changed,
                "is_suspended": route.is_suspended,
            },
        )
    return changed
