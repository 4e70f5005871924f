"""A petition's texts as a reader of one language reads them: its translation, or the original.

Used by the pages, the e-mails, the share image and the delivery package; it imports only
the models, so that jobs and writers can use it without the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_app.petitions.models import Petition


@dataclass(frozen=True)
class PetitionText:
    """What a visitor reads: the petition in their language, or the original as a fallback."""

    title: str
    summary: str
    body: str
    target: str
    language: str
    # The visitor asked for a language this petition has no translation into.
    is_fallback: bool


def petition_text(petition: Petition, locale: str) -> PetitionText:
    """The title, summary, body and target to show to a reader of ``locale``.

    The original when ``locale`` is the petition's language; its translation when there is
    one; else the original, marked as a fallback (the page says there is no translation).
    """
    if locale != petition.language:
        for translation in petition.translations:
            if translation.locale == locale:
                return PetitionText(
                    translation.title,
                    translation.summary,
                    translation.body,
                    translation.target or petition.target,
                    locale,
                    is_fallback=False,
                )
    return PetitionText(
        petition.title,
        petition.summary,
        petition.body,
        petition.target,
        petition.language,
        is_fallback=locale != petition.language,
    )
