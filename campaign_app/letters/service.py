"""Letters use cases: occasions and phrases to compose with, card PDFs, "I sent it" counts.

Nothing a sender writes is stored or logged: a card is composed from the posted form, turned
into a PDF and returned. Only "I sent it" reports (counts, no personal data) are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.letters import checker, phrasebook
from campaign_app.letters.languages import address_language, choose_card_language, front_title
from campaign_app.letters.models import Artwork, CardSent, Occasion, Phrase, PostalRoute
from campaign_app.prisoners.models import (
    AddressLanguage,
    PlacementAddress,
    Prisoner,
    PrisonerAddress,
)

if TYPE_CHECKING:
    # The renderers (reportlab) load on the first PDF, not when the app starts.
    from campaign_app.letters import pdf

log = logging.getLogger(__name__)

SENDER_LANGUAGES = ("en", "ru", "be", "fr")
MAX_SENT_PER_REPORT = 50


class PrisonerNotWritable(CampaignError):
    """The prisoner was released, or no current address is known: no card can be posted."""


class EmptyMessage(CampaignError):
    """Neither a phrase nor any text was chosen."""


class MessageFlagged(CampaignError):
    """The free text holds what censors stop; it must be removed before printing."""

    def __init__(self, findings: Sequence[checker.Finding]) -> None:
        super().__init__("the message holds text a censor would stop")
        self.findings = tuple(findings)


class UnsupportedCharacters(CampaignError):
    """The card's font lacks glyphs for some characters."""

    def __init__(self, characters: tuple[str, ...], field: str = "") -> None:
        super().__init__("characters the font cannot print")
        self.characters = characters
        self.field = field


class CardTooLong(CampaignError):
    """The message does not fit on the card even at the smallest readable size."""

    def __init__(self, excess_chars: int) -> None:
        super().__init__(f"cut {excess_chars} characters")
        self.excess_chars = excess_chars


@dataclass(frozen=True)
class CompositionInput:
    """What the sender chose in the composer, already shape-checked."""

    phrase_ids: tuple[int, ...]
    sender_language: str
    free_text: str
    signature: str
    return_address: str
    card_language: str = ""  # "" or one the prisoner does not accept: the usual one
    design: str = ""  # "" or unknown: the occasion's own


@dataclass(frozen=True)
class TranslationRow:
    """One line of the side-by-side table: the sender's language and the card's language."""

    sender_text: str
    card_text: str


@dataclass(frozen=True)
class Composition:
    """A card's content, all in one language the prisoner accepts.

    ``translation`` pairs each phrase in the sender's language with the card's; it is empty
    when the sender reads the card's language.
    """

    prisoner: Prisoner
    occasion: Occasion
    sender_language: str
    card_language: str
    address_language: AddressLanguage
    design: Artwork
    front_title: str
    message: str
    signature: str
    return_address: str
    translation: tuple[TranslationRow, ...]
    findings: tuple[checker.Finding, ...] = field(default=())

    @property
    def is_printable(self) -> bool:
        return bool(self.message) and not self.findings


@dataclass(frozen=True)
class CardCounts:
    """Cards reported sent to one prisoner: the total and per occasion."""

    total: int
    # (the occasion, or None for reports that named none, and its count)
    by_occasion: tuple[tuple[Occasion | None, int], ...]


# Queries --------------------------------------------------------------------------------


def list_active_occasions() -> list[Occasion]:
    return list(
        db.session.scalars(
            select(Occasion)
            .where(Occasion.is_active.is_(True))
            .order_by(Occasion.position, Occasion.id)
        )
    )


def get_active_occasion(slug: str) -> Occasion | None:
    return db.session.scalar(
        select(Occasion).where(Occasion.slug == slug, Occasion.is_active.is_(True))
    )


def list_phrases(occasion: Occasion) -> list[Phrase]:
    """Reviewed phrases a card for ``occasion`` may carry today: its own first, then any."""
    return phrasebook.list_phrases(occasion, utcnow().date())


def get_postal_route(country: str) -> PostalRoute | None:
    return db.session.get(PostalRoute, country) if country else None


def count_cards_sent(prisoner: Prisoner) -> CardCounts:
    rows = db.session.execute(
        select(CardSent.occasion_id, func.sum(CardSent.count))
        .where(CardSent.prisoner_id == prisoner.id)
        .group_by(CardSent.occasion_id)
    ).all()
    occasions = {
        occasion.id: occasion
        for occasion in db.session.scalars(
            select(Occasion).where(Occasion.id.in_([i for i, _count in rows if i is not None]))
        )
    }
    by_occasion = tuple(
        sorted(
            ((occasions.get(i) if i is not None else None, int(n or 0)) for i, n in rows),
            key=lambda item: (item[0] is None, item[0].position if item[0] else 0),
        )
    )
    return CardCounts(total=sum(n for _, n in by_occasion), by_occasion=by_occasion)


def current_address(prisoner: Prisoner) -> PrisonerAddress | PlacementAddress | None:
    """The address to print, or None when no card can be posted to this prisoner."""
    address = prisoner.latest_address
    if not prisoner.accepts_mail or address is None or not prisoner.addressee():
        return None
    if not address.lines(prisoner.address_language):
        return None
    return address


def can_write(prisoner: Prisoner) -> bool:
    """Whether the composer can make a card for ``prisoner`` (pages link to it only then)."""
    return current_address(prisoner) is not None


# Use cases ------------------------------------------------------------------------------


def compose(prisoner: Prisoner, occasion: Occasion, data: CompositionInput) -> Composition:
    """Build the card's text in one language the prisoner accepts, from the chosen phrases."""
    if current_address(prisoner) is None:
        raise PrisonerNotWritable(prisoner.slug)
    sender_language = data.sender_language if data.sender_language in SENDER_LANGUAGES else "en"
    card_language = choose_card_language(prisoner, data.card_language, sender_language)
    wanted = set(data.phrase_ids)
    phrases = [phrase for phrase in list_phrases(occasion) if phrase.id in wanted]
    rows = [TranslationRow(p.text(sender_language), p.text(card_language)) for p in phrases]
    parts = [" ".join(row.card_text for row in rows)] if rows else []
    free_text = data.free_text.strip()
    if free_text:
        parts.append(free_text)
        rows.append(TranslationRow("", free_text))
    design = data.design if data.design in {a.value for a in Artwork} else occasion.artwork
    return Composition(
        prisoner=prisoner,
        occasion=occasion,
        sender_language=sender_language,
        card_language=card_language,
        address_language=address_language(prisoner, card_language),
        design=Artwork(design),
        front_title=front_title(occasion, card_language),
        message="\n\n".join(parts),
        signature=data.signature.strip(),
        return_address=data.return_address.strip(),
        translation=tuple(rows) if sender_language != card_language else (),
        findings=tuple(checker.check(free_text)),
    )


def _printable(composition: Composition) -> None:
    if not composition.message:
        raise EmptyMessage
    if composition.findings:
        raise MessageFlagged(composition.findings)


def _address(prisoner: Prisoner, language: AddressLanguage) -> pdf.Address:
    from campaign_app.letters import pdf

    address = current_address(prisoner)
    if address is None:
        raise PrisonerNotWritable(prisoner.slug)
    return pdf.Address(
        addressee=prisoner.addressee(language),
        lines=tuple(address.lines(language)),
        country_line=address.country_line,
    )


def _card(composition: Composition) -> pdf.Card:
    from campaign_app.letters import pdf

    return pdf.Card(
        occasion=composition.occasion.name_en,
        front_title=composition.front_title,
        message=composition.message,
        signature=composition.signature,
        address=_address(composition.prisoner, composition.address_language),
        return_address=composition.return_address,
        artwork=composition.design.value,
    )


def _render(draw: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
    """Run a renderer, turning its refusals into domain exceptions (never a half PDF)."""
    from campaign_app.letters import pdf

    try:
        data = draw(*args, **kwargs)
    except pdf.MissingGlyphs as error:
        characters = tuple(getattr(error, "characters", ()) or ())
        raise UnsupportedCharacters(characters, str(getattr(error, "field", ""))) from None
    except pdf.MessageTooLong as error:
        raise CardTooLong(int(getattr(error, "excess_chars", 0) or 0)) from None
    return data


def postcard_pdf(composition: Composition) -> bytes:
    """The A6 postcard: front and back, two pages."""
    from campaign_app.letters import pdf

    _printable(composition)
    return _render(pdf.postcard_pdf, _card(composition))


def letter_pdf(composition: Composition, sender_language_label: str) -> bytes:
    """The A4 letter, with an appendix page translating it for the sender only when the
    sender reads another language than the letter's."""
    from campaign_app.letters import pdf

    _printable(composition)
    if not composition.translation:
        return _render(pdf.letter_pdf, _card(composition), None, sender_language_label)
    translation = "\n".join(
        f"{row.sender_text} = {row.card_text}" if row.sender_text else row.card_text
        for row in composition.translation
    )
    return _render(
        pdf.letter_pdf,
        _card(composition),
        translation,
        sender_language_label,
        sender_heading=_("For you, the sender — do not post this page"),
        translation_label=_("Translation (%(language)s)", language=sender_language_label),
        post_note=_("Page 1 is the letter: post only page 1."),
    )


def envelope_pdf(prisoner: Prisoner, size: str, return_address: str, card_language: str) -> bytes:
    """An envelope (DL or C6) addressed to the prisoner, in the form that suits the card."""
    from campaign_app.letters import pdf

    language = address_language(prisoner, choose_card_language(prisoner, card_language, ""))
    return _render(
        pdf.envelope_pdf,
        _address(prisoner, language),
        size=size,
        return_address=return_address.strip(),
    )


def poster_pdf(prisoner: Prisoner, size: str) -> bytes:
    """The "Happy birthday" poster in Belarusian, English and Russian for photo actions."""
    from campaign_app.letters import pdf

    return _render(
        pdf.poster_pdf,
        prisoner.given_name_be or prisoner.given_name_ru or prisoner.given_name_latin,
        prisoner.given_name_latin,
        prisoner.given_name_ru or prisoner.given_name_be or prisoner.given_name_latin,
        size=size,
    )


def record_card_sent(
    prisoner: Prisoner, occasion: Occasion | None, count: int, sender_country: str | None
) -> CardSent:
    """Record a supporter's "I sent it" (no personal data); commits."""
    if not 1 <= count <= MAX_SENT_PER_REPORT:
        raise ValueError(f"count must be 1..{MAX_SENT_PER_REPORT}")
    report = CardSent(
        prisoner_id=prisoner.id,
        occasion_id=occasion.id if occasion else None,
        count=count,
        sender_country=sender_country or None,
    )
    db.session.add(report)
    db.session.commit()
    log.info(
        "Cards reported sent: prisoner %s, occasion %s, count %s",
        prisoner.id,
        occasion.id if occasion else None,
        count,
    )
    return report
