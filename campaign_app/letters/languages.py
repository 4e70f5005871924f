"""The language a card is printed in, and the form of the address that goes with it.

A prisoner receives cards in Russian, in Belarusian, or in either (then the sender chooses).
Everything on one card is in that one language: the greeting, the phrases and, when the
organiser entered them, the addressee's name and the address.
"""

from __future__ import annotations

from campaign_app.letters.models import Occasion
from campaign_app.prisoners.models import AddressLanguage, Prisoner


def card_languages(prisoner: Prisoner) -> tuple[str, ...]:
    """The languages a card to ``prisoner`` may be printed in ("ru", "be"), usual one first."""
    return tuple(language.value for language in prisoner.card_language_options)


def choose_card_language(prisoner: Prisoner, wanted: str | None, sender_language: str) -> str:
    """The card's language: the one asked for, else the sender's, else the usual one."""
    options = card_languages(prisoner)
    for candidate in (wanted, sender_language):
        if candidate in options:
            return str(candidate)
    return options[0]


def address_language(prisoner: Prisoner, card_language: str) -> AddressLanguage:
    """The form the address is printed in: the card's language when the organiser entered
    the name and address in it, else the form the organiser chose."""
    language = AddressLanguage(card_language)
    address = prisoner.latest_address
    if prisoner.addressee(language) and address is not None and address.lines(language):
        return language
    return prisoner.address_language


def front_title(occasion: Occasion, card_language: str) -> str:
    """The occasion's greeting in the card's language; none rather than one in the other."""
    return occasion.front_title_be if card_language == "be" else occasion.front_title_ru
