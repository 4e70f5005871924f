"""Petition translations: the title, summary and body in another interface language."""

from __future__ import annotations

from dataclasses import dataclass

from campaign_app.audit.service import record
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionTranslation


@dataclass(frozen=True)
class TranslationInput:
    title: str
    summary: str
    body: str


def translation_of(petition: Petition, locale: str) -> PetitionTranslation | None:
    return db.session.get(PetitionTranslation, (petition.id, locale))


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
    record(
        action,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details={"locale": locale},
    )
    db.session.commit()


def delete_translation(petition: Petition, locale: str) -> bool:
    """Remove the translation into ``locale``; False when there was none (commits)."""
    translation = translation_of(petition, locale)
    if translation is None:
        return False
    petition.translations.remove(translation)  # delete-orphan removes the row
    record(
        "petition.translation_deleted",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details={"locale": locale},
    )
    db.session.commit()
    return True
