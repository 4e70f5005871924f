"""Reference data shared by every campaign: occasions, the phrasebook, postal routes.

Also the text checks the prisoner pages share: what the card font can print, what censors
stop. Each public use case validates, records an audit event and commits once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign_app.audit.service import record
from campaign_app.countries import country_codes
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.letters import checker
from campaign_app.letters.models import Artwork, Occasion, OccasionKind, Phrase, PostalRoute

log = logging.getLogger(__name__)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHRASE_LANGUAGES = ("en", "ru", "be", "fr")
MAX_TRANSIT_DAYS = 120


class InvalidFields(CampaignError):
    """Input the rules refuse: a message per form field name, shown next to that field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


class FieldErrors:
    """Collects messages per field; ``raise_if_any`` turns them into InvalidFields."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidFields(self.errors)


# Shared text checks ---------------------------------------------------------------------


def unprintable(text: str) -> tuple[str, ...]:
    """Characters of ``text`` the card font (DejaVu Sans) has no glyph for, each once."""
    try:
        from campaign_app.letters.pdf.fonts import missing_glyphs
    except ImportError:  # a build without the PDF renderers prints nothing to check against
        return ()
    return missing_glyphs(text)


def check_printable(errors: FieldErrors, name: str, label: str, text: str) -> None:
    """Refuse characters the PDF would have to draw as boxes."""
    missing = unprintable(text)
    if missing:
        errors.add(
            name,
            _(
                "%(field)s: these characters cannot be printed on a card: %(chars)s."
                " Please remove them.",
                field=label,
                chars=" ".join(missing),
            ),
        )


def censor_reason(reason: checker.Reason) -> str:
    """The composer's explanation of why a censor stops a finding."""
    messages = {
        checker.Reason.LINK: _("links and e-mail addresses are not delivered"),
        checker.Reason.LATIN: _("words in Latin letters: write in Russian or Belarusian"),
        checker.Reason.EMOJI: _("emojis and pictures are not allowed"),
        checker.Reason.CODE: _("a mix of digits and letters looks like a code"),
        checker.Reason.LISTED_WORD: _("a word censors stop (politics, freedom, fight...)"),
    }
    return str(messages[reason])


def check_censor(errors: FieldErrors, name: str, label: str, text: str) -> None:
    """Refuse what the letters checker says a prison censor stops."""
    for finding in checker.check(text):
        errors.add(
            name,
            _(
                "%(field)s: “%(text)s”: %(reason)s.",
                field=label,
                text=finding.text,
                reason=censor_reason(finding.reason),
            ),
        )


def check_not_future(errors: FieldErrors, name: str, label: str, day: date | None) -> None:
    if day is not None and day > utcnow().date():
        errors.add(name, _("%(field)s cannot be in the future.", field=label))


def changed_fields(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``obj``; the names of the attributes whose value changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# Queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseLine:
    """A phrase in the reference list, with the translations it still lacks."""

    phrase: Phrase
    missing: tuple[str, ...]


def list_occasions() -> list[Occasion]:
    return list(db.session.scalars(select(Occasion).order_by(Occasion.position, Occasion.id)))


def list_phrases() -> list[PhraseLine]:
    phrases = db.session.scalars(
        select(Phrase).order_by(Phrase.occasion_id.is_(None), Phrase.occasion_id, Phrase.position)
    )
    return [
        PhraseLine(p, tuple(lang for lang in PHRASE_LANGUAGES if not getattr(p, f"text_{lang}")))
        for p in phrases
    ]


def list_routes() -> list[PostalRoute]:
    return list(db.session.scalars(select(PostalRoute).order_by(PostalRoute.sender_country)))


def get_occasion(occasion_id: int) -> Occasion | None:
    return db.session.get(Occasion, occasion_id)


def get_phrase(phrase_id: int) -> Phrase | None:
    return db.session.get(Phrase, phrase_id)


def get_route(country: str) -> PostalRoute | None:
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


def _check_occasion(data: OccasionInput, occasion: Occasion | None) -> None:
    errors = FieldErrors()
    if not SLUG.match(data.slug):
        errors.add("slug", _("Use lower-case letters, digits and hyphens, e.g. “new-year”."))
    else:
        taken = db.session.scalar(select(Occasion.id).where(Occasion.slug == data.slug))
        if taken is not None and (occasion is None or taken != occasion.id):
            errors.add("slug", _("Another occasion has this short name already."))
    check_printable(errors, "name_en", _("Name"), data.name_en)
    for name, label in (
        ("front_title_ru", _("Card title (Russian)")),
        ("front_title_be", _("Card title (Belarusian)")),
    ):
        text = getattr(data, name)
        check_printable(errors, name, label, text)
        check_censor(errors, name, label, text)
    errors.raise_if_any()


def _values(data: Any) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


def create_occasion(data: OccasionInput) -> Occasion:
    """Add an occasion (admins); commits."""
    _check_occasion(data, None)
    occasion = Occasion(**_values(data))
    db.session.add(occasion)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise InvalidFields(
            {"slug": [_("Another occasion has this short name already.")]}
        ) from None
    record(
        "occasion.created",
        target=f"occasion {occasion.slug}",
        details={"occasion_id": occasion.id},
    )
    db.session.commit()
    log.info("Occasion %s created", occasion.id)
    return occasion


def update_occasion(occasion: Occasion, data: OccasionInput) -> list[str]:
    """Save an occasion's changes (admins); the names of the changed fields. Commits."""
    _check_occasion(data, occasion)
    changed = changed_fields(occasion, _values(data))
    if not changed:
        return []
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise InvalidFields(
            {"slug": [_("Another occasion has this short name already.")]}
        ) from None
    record(
        "occasion.updated",
        target=f"occasion {occasion.slug}",
        details={"occasion_id": occasion.id, "fields": changed},
    )
    db.session.commit()
    return changed


# Phrases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseInput:
    occasion_id: int | None
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
    if data.occasion_id is not None and get_occasion(data.occasion_id) is None:
        errors.add("occasion_id", _("Please choose an occasion from the list."))
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
    phrase = Phrase(**_values(data))
    db.session.add(phrase)
    db.session.flush()
    record(
        "phrase.created",
        target=f"phrase {phrase.id}",
        details={"phrase_id": phrase.id, "is_reviewed": phrase.is_reviewed},
    )
    db.session.commit()
    log.info("Phrase %s created", phrase.id)
    return phrase


def update_phrase(phrase: Phrase, data: PhraseInput) -> list[str]:
    """Save a phrase's changes (admins); the names of the changed fields. Commits."""
    _check_phrase(data)
    changed = changed_fields(phrase, _values(data))
    if not changed:
        return []
    db.session.flush()
    record(
        "phrase.updated",
        target=f"phrase {phrase.id}",
        details={"phrase_id": phrase.id, "fields": changed, "is_reviewed": phrase.is_reviewed},
    )
    db.session.commit()
    return changed


# Postal routes --------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteInput:
    transit_days: int
    postage_note: str
    is_suspended: bool
    note: str
    as_of: date | None


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


def create_route(country: str, data: RouteInput) -> PostalRoute:
    """Add the postal route from ``country`` (admins); commits."""
    if country not in country_codes():
        raise _route_refused(_("Please choose a country from the list."))
    _check_route(data)
    if db.session.get(PostalRoute, country) is not None:
        raise _route_refused(_("There is a route from this country already: edit it instead."))
    route = PostalRoute(sender_country=country, **_values(data))
    db.session.add(route)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _route_refused(
            _("There is a route from this country already: edit it instead.")
        ) from None
    record(
        "postal_route.created",
        target=f"postal route {country}",
        details={"country": country, "is_suspended": route.is_suspended},
    )
    db.session.commit()
    return route


def update_route(route: PostalRoute, data: RouteInput) -> list[str]:
    """Save a postal route's changes (admins); the names of the changed fields. Commits."""
    _check_route(data)
    changed = changed_fields(route, _values(data))
    if not changed:
        return []
    db.session.flush()
    record(
        "postal_route.updated",
        target=f"postal route {route.sender_country}",
        details={
            "country": route.sender_country,
            "fields": changed,
            "is_suspended": route.is_suspended,
        },
    )
    db.session.commit()
    return changed
