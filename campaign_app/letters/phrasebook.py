"""Which reviewed phrases a card for an occasion may carry, and the varied sets of a stack.

Rules:
- a phrase belongs to one occasion or to any occasion;
- a seasonal phrase ("spring has come to our town") goes only on cards for any time, and only
  in its season (as in Belarus: spring is March to May); never on a birthday, New Year or
  anniversary card, whose date is not the day it is printed;
- the occasion's greeting is printed once, as the card's title: a phrase that repeats it (in
  Russian or in Belarusian) is not offered.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select

from campaign_app.extensions import db
from campaign_app.letters.models import Occasion, OccasionKind, Phrase, Season

SEASONAL_KINDS = frozenset({OccasionKind.GENERAL})
_SEASON_OF_MONTH = {
    12: Season.WINTER,
    1: Season.WINTER,
    2: Season.WINTER,
    3: Season.SPRING,
    4: Season.SPRING,
    5: Season.SPRING,
    6: Season.SUMMER,
    7: Season.SUMMER,
    8: Season.SUMMER,
    9: Season.AUTUMN,
    10: Season.AUTUMN,
    11: Season.AUTUMN,
}
OWN_PER_CARD = 2  # phrases of the occasion's own on a stack's card
ANY_PER_CARD = 2  # phrases for any occasion on a stack's card


def season_of(day: date) -> Season:
    """The season of ``day`` in Belarus."""
    return _SEASON_OF_MONTH[day.month]


def _words(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())


def repeats_greeting(phrase: Phrase, occasion: Occasion) -> bool:
    """Whether the phrase says what the card's title already says."""
    for phrase_text, title in (
        (phrase.text_ru, occasion.front_title_ru),
        (phrase.text_be, occasion.front_title_be),
    ):
        if title.strip() and _words(phrase_text) == _words(title):
            return True
    return False


def fits(phrase: Phrase, occasion: Occasion, day: date) -> bool:
    """Whether the phrase may go on a card for ``occasion`` printed on ``day``."""
    seasonal = phrase.season is not Season.ANY
    if seasonal and (occasion.kind not in SEASONAL_KINDS or phrase.season is not season_of(day)):
        return False
    return not repeats_greeting(phrase, occasion)


def list_phrases(occasion: Occasion, day: date) -> list[Phrase]:
    """Reviewed phrases for ``occasion`` on ``day``: its own first, then those for any."""
    phrases = db.session.scalars(
        select(Phrase)
        .where(
            Phrase.is_reviewed.is_(True),
            or_(Phrase.occasion_id == occasion.id, Phrase.occasion_id.is_(None)),
        )
        .order_by(Phrase.occasion_id.is_(None), Phrase.position, Phrase.id)
    )
    return [phrase for phrase in phrases if fits(phrase, occasion, day)]


def _stride(count: int) -> int:
    """A step through ``count`` sets that reaches every one and keeps neighbours apart."""
    step = max(1, round(count * 0.618))
    while math.gcd(step, count) != 1:
        step += 1
    return step


def phrase_sets(phrases: Sequence[Phrase], occasion: Occasion) -> list[tuple[Phrase, ...]]:
    """Every phrase set of a stack, in a fixed order: up to OWN_PER_CARD of the occasion's own
    phrases and ANY_PER_CARD of those for any occasion, in the phrasebook's order. A stack
    computes them once, then pick_set gives each card its set."""
    own = [p for p in phrases if p.occasion_id == occasion.id]
    general = [p for p in phrases if p.occasion_id != occasion.id]
    own_sets = list(itertools.combinations(own, min(OWN_PER_CARD, len(own))))
    any_count = ANY_PER_CARD if own else ANY_PER_CARD + 1
    any_sets = list(itertools.combinations(general, min(any_count, len(general))))
    return [a + b for a, b in itertools.product(own_sets, any_sets) if a + b]


def pick_set(sets: Sequence[tuple[Phrase, ...]], index: int) -> tuple[Phrase, ...]:
    """The phrases of card ``index`` (from 0) of a stack, from its phrase_sets: neighbouring
    cards differ, and card n of a stack always says the same."""
    if not sets:
        return ()
    return sets[(index * _stride(len(sets))) % len(sets)]
