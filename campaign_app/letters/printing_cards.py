"""The cards of a batch, once letters/printing.py has chosen who gets each one.

Card n is in a language its prisoner accepts, with the occasion's greeting in that language,
the n-th phrase set (letters/phrasebook.py) and the n-th design (letters/designs.py); the
signature is a line to sign on by hand. A stack gives each prisoner many cards, and the phrase
sets come round again and again: a prisoner's language, greeting and address are found once,
and each phrase set's text once per language, not card by card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from campaign_app.letters import designs, languages, phrasebook
from campaign_app.letters.models import Occasion, Phrase
from campaign_app.prisoners.models import Prisoner

if TYPE_CHECKING:
    from campaign_app.letters.pdf import Address, Card

SIGN_HERE = "— " + "_" * 16  # a dash and a line the activist signs on by hand


def batch_message(phrases: Sequence[Phrase], language: str) -> str:
    """The phrases in ``language``, joined into one text."""
    return " ".join(phrase.text(language).strip() for phrase in phrases).strip()


@dataclass(frozen=True)
class Recipient:
    """What every card of a stack to one prisoner shares."""

    language: str
    title: str
    address: Address


def recipient(prisoner: Prisoner, occasion: Occasion, wanted_language: str) -> Recipient:
    """The card language for ``prisoner`` (the one asked for where accepted), the greeting in
    it and the address in the form that goes with it."""
    from campaign_app.letters.pdf import Address

    language = languages.choose_card_language(prisoner, wanted_language, "")
    address_language = languages.address_language(prisoner, language)
    address = prisoner.latest_address
    assert address is not None  # checked by printing.why_not_printable
    return Recipient(
        language=language,
        title=languages.front_title(occasion, language),
        address=Address(
            addressee=prisoner.addressee(address_language),
            lines=tuple(address.lines(address_language)),
            country_line=address.country_line,
        ),
    )


def build_cards(
    picks: Sequence[Prisoner],
    occasion: Occasion,
    sets: Sequence[tuple[Phrase, ...]],
    *,
    mode: str,
    design: str,
    language: str,
) -> tuple[Card, ...]:
    """Card n for picks[n]: its phrase set, design and the prisoner's language and address."""
    from campaign_app.letters.pdf import Card

    recipients: dict[int, Recipient] = {}
    messages: dict[tuple[tuple[Phrase, ...], str], str] = {}
    cards = []
    for index, prisoner in enumerate(picks):
        to = recipients.get(prisoner.id)
        if to is None:
            to = recipients[prisoner.id] = recipient(prisoner, occasion, language)
        phrases = phrasebook.pick_set(sets, index)
        message = messages.get((phrases, to.language))
        if message is None:
            message = messages[phrases, to.language] = batch_message(phrases, to.language)
        if mode == "message-only" and to.title:
            message = f"{to.title}\n{message}"  # no front is printed: the greeting heads it
        cards.append(
            Card(
                occasion=occasion.name_en,
                front_title=to.title,
                message=message,
                signature=SIGN_HERE,
                address=to.address,
                artwork=designs.stack_design(occasion, index, design).value,
            )
        )
    return tuple(cards)
