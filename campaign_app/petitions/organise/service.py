"""Petitions in the organiser area: create, edit, open, close, archive, translate; audited.

Each public function is one use case and commits once, with its audit event. Audit details
name the changed fields, never their values.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from campaign_app.audit.service import flush_or_refuse, save_and_record
from campaign_app.campaigns.models import Campaign
from campaign_app.campaigns.service import (
    SlugTaken,
    StateChangeRefused,
    next_state,
    possible_actions,
)
from campaign_app.db import apply_changes, utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState, PetitionTranslation

log = logging.getLogger(__name__)


class SlugLocked(CampaignError):
    """A petition's web address stays once it has opened: e-mailed and shared links use it."""


class LanguageTranslated(CampaignError):
    """The petition has a translation into the language chosen as its own: delete it first."""


class FieldsRequired(CampaignError):
    """An open petition needs these fields filled in."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


_NEEDED_TO_OPEN = ("title", "target", "body")
# The names organisers see for them (the form's labels).
FIELD_LABELS = {
    "title": _l("Title"),
    "target": _l("Addressed to (target)"),
    "body": _l("Text of the petition (Markdown)"),
}


@dataclass(frozen=True)
class PetitionInput:
    slug: str
    language: str
    title: str
    summary: str
    body: str
    target: str
    goal: int
    opens_at: datetime
    closes_at: datetime | None


@dataclass(frozen=True)
class TranslationInput:
    title: str
    summary: str
    body: str
    target: str = ""


# action -> (states it may start from, state it leads to)
PETITION_ACTIONS: dict[str, tuple[frozenset[PetitionState], PetitionState]] = {
    "open": (frozenset({PetitionState.DRAFT}), PetitionState.OPEN),
    "close": (frozenset({PetitionState.OPEN}), PetitionState.CLOSED),
    "archive": (
        frozenset({PetitionState.DRAFT, PetitionState.OPEN, PetitionState.CLOSED}),
        PetitionState.ARCHIVED,
    ),
    "reopen": (frozenset({PetitionState.CLOSED, PetitionState.ARCHIVED}), PetitionState.OPEN),
}


def petition_actions(petition: Petition) -> list[str]:
    """The state actions possible from the petition's current state."""
    return possible_actions(PETITION_ACTIONS, petition.state)


def missing_for_opening(petition: Petition) -> list[str]:
    """The fields a petition still needs before it can open (empty: ready)."""
    return [name for name in _NEEDED_TO_OPEN if not getattr(petition, name).strip()]


def translation_languages(petition: Petition, offered: list[str]) -> list[tuple[str, bool]]:
    """The ``offered`` languages other than the petition's own, each with whether a
    translation into it exists (the hub lists them with links to the editor)."""
    existing = {translation.locale for translation in petition.translations}
    return [(locale, locale in existing) for locale in offered if locale != petition.language]


def translation_of(petition: Petition, locale: str) -> PetitionTranslation | None:
    """The petition's translation into ``locale``, if there is one."""
    return db.session.get(PetitionTranslation, (petition.id, locale))


def _slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(exists().where(Petition.slug == slug, Petition.id != (except_id or 0)))
    return bool(db.session.scalar(query))


def _save_and_record(
    petition: Petition, action: str, details: dict[str, object], *, slug_may_clash: bool = False
) -> None:
    save_and_record(
        action,
        refused=SlugTaken if slug_may_clash else None,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details=details,
    )


# Petitions ----------------------------------------------------------------------------


def create_petition(campaign: Campaign, data: PetitionInput) -> Petition:
    """A new petition of ``campaign``, in draft until it is opened."""
    if _slug_taken(data.slug):
        raise SlugTaken()
    petition = Petition(campaign_id=campaign.id, state=PetitionState.DRAFT, **asdict(data))
    db.session.add(petition)
    flush_or_refuse(SlugTaken)
    _save_and_record(petition, "petition.created", {"slug": petition.slug})
    log.info("Petition %s created in campaign %s", petition.id, campaign.id)
    return petition


def update_petition(petition: Petition, data: PetitionInput) -> list[str]:
    """Save the edited fields; returns the names of those that changed."""
    if data.slug != petition.slug and petition.state is not PetitionState.DRAFT:
        raise SlugLocked()
    if _slug_taken(data.slug, except_id=petition.id):
        raise SlugTaken()
    if data.language != petition.language and translation_of(petition, data.language):
        raise LanguageTranslated(data.language)
    if petition.state is PetitionState.OPEN:
        missing = [name for name in _NEEDED_TO_OPEN if not getattr(data, name).strip()]
        if missing:
            raise FieldsRequired(missing)
    changed = apply_changes(petition, data)
    if changed:
        _save_and_record(petition, "petition.updated", {"fields": changed}, slug_may_clash=True)
    return changed


def change_petition_state(petition: Petition, action: str) -> PetitionState:
    """Open, close, archive or reopen; opening needs a title, a target and a text."""
    new_state = next_state(PETITION_ACTIONS, petition.state, action, "petition")
    if new_state is PetitionState.OPEN:
        missing = missing_for_opening(petition)
        if missing:
            raise StateChangeRefused(
                _(
                    "Before it can open, the petition needs: %(fields)s.",
                    fields=", ".join(str(FIELD_LABELS[name]) for name in missing),
                )
            )
        if petition.closes_at is not None and petition.closes_at <= utcnow():
            raise StateChangeRefused(
                _("The closing date has passed: set a later one (or none) before opening.")
            )
    old_state = petition.state
    petition.state = new_state
    _save_and_record(
        petition, "petition.state_changed", {"from": old_state.value, "to": new_state.value}
    )
    log.info("Petition %s is now %s", petition.id, new_state.value)
    return new_state


# Translations -------------------------------------------------------------------------


def save_translation(petition: Petition, locale: str, data: TranslationInput) -> None:
    """Create or replace the translation into ``locale`` (commits, audited)."""
    translation = translation_of(petition, locale)
    action = "petition.translation_updated" if translation else "petition.translation_added"
    if translation is None:
        translation = PetitionTranslation(locale=locale)
        petition.translations.append(translation)
    translation.title = data.title
    translation.summary = data.summary
    translation.body = data.body
    translation.target = data.target
    _save_and_record(petition, action, {"locale": locale})


def delete_translation(petition: Petition, locale: str) -> bool:
    """Remove the translation into ``locale``; False when there was none (commits)."""
    translation = translation_of(petition, locale)
    if translation is None:
        return False
    petition.translations.remove(translation)  # delete-orphan removes the row
    _save_and_record(petition, "petition.translation_deleted", {"locale": locale})
    return True
