"""Card front designs: their names in the reader's language and which suit which occasion.

A stack of cards varies its designs among those that suit the occasion, card by card, in a
fixed order (card n always gets the same design), starting with the occasion's own.
The frame for a child's drawing is never mixed into a stack: it is chosen on purpose.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from campaign_app.letters.models import Artwork, Occasion, OccasionKind

DESIGN_NAMES = {
    Artwork.BALLOONS: _l("Balloons"),
    Artwork.CAKE: _l("Birthday cake"),
    Artwork.SNOWFLAKE: _l("Snowflakes"),
    Artwork.FIR: _l("New Year fir"),
    Artwork.CANDLE: _l("Candle"),
    Artwork.FLOWERS: _l("Spring flowers"),
    Artwork.ORNAMENT: _l("Belarusian ornament"),
    Artwork.BLANK: _l("Frame for a child's drawing"),
}

SUITED = {
    OccasionKind.BIRTHDAY: (Artwork.BALLOONS, Artwork.CAKE, Artwork.FLOWERS, Artwork.ORNAMENT),
    OccasionKind.NEW_YEAR: (Artwork.FIR, Artwork.SNOWFLAKE, Artwork.ORNAMENT),
    OccasionKind.ARREST_ANNIVERSARY: (Artwork.CANDLE, Artwork.ORNAMENT, Artwork.FLOWERS),
    OccasionKind.GENERAL: (Artwork.FLOWERS, Artwork.ORNAMENT, Artwork.CANDLE),
    OccasionKind.CUSTOM: (Artwork.FLOWERS, Artwork.ORNAMENT),
}

VARIED = "varied"  # the stack's choice "vary the designs that suit the occasion"


def design_name(design: Artwork | str) -> str:
    """A design's name in the reader's language."""
    return str(DESIGN_NAMES[Artwork(design)])


def design_choices() -> list[SelectChoice]:
    """Every design, for a select (value, name in the reader's language)."""
    return [SelectChoice(design.value, design_name(design)) for design in DESIGN_NAMES]


def suited_designs(occasion: Occasion) -> tuple[Artwork, ...]:
    """The designs that suit the occasion, its own first."""
    suited = SUITED.get(occasion.kind, ())
    return (occasion.artwork, *(design for design in suited if design != occasion.artwork))


def stack_design(occasion: Occasion, index: int, chosen: str = VARIED) -> Artwork:
    """The design of card ``index`` (from 0) of a stack: the chosen one, or varied."""
    if chosen != VARIED:
        return Artwork(chosen)
    designs = suited_designs(occasion)
    count = len(designs)
    if count <= 2:
        return designs[index % count]
    # Each round through the designs starts one further on, so that sheets of four do not
    # repeat one another: 0 1 2 3 | 1 2 3 0 | 2 3 0 1 ... (neighbours always differ).
    return designs[(index + index // count) % count]
