"""What the renderers take: an address, a card, and the names of the layouts they offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Artwork = Literal["balloons", "cake", "snowflake", "fir", "candle", "flowers", "ornament", "blank"]
SheetLayout = Literal["a4-4up", "letter-2up"]
SheetMode = Literal["duplex", "message-only", "fronts-only"]
EnvelopeSize = Literal["DL", "C6", "C5"]
PosterSize = Literal["A4", "A3"]

ARTWORKS: tuple[str, ...] = get_args(Artwork)
SHEET_LAYOUTS: tuple[str, ...] = get_args(SheetLayout)
SHEET_MODES: tuple[str, ...] = get_args(SheetMode)
ENVELOPE_SIZES: tuple[str, ...] = get_args(EnvelopeSize)
POSTER_SIZES: tuple[str, ...] = get_args(PosterSize)


def choose(value: str, allowed: tuple[str, ...], what: str) -> None:
    """Raise ValueError unless value is one of allowed (callers pass strings from forms/CLI)."""
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")


@dataclass(frozen=True)
class Address:
    """A prisoner's postal address as printed: Cyrillic lines, country last in Latin capitals.

    `addressee` is the full name in the form the organiser entered (Russian: dative case, e.g.
    "Беляцкому Алесю Викторовичу"); `lines` the institution, street, postcode and town, region;
    `country_line` e.g. "Republic of Belarus", printed upper-cased.
    """

    addressee: str
    lines: tuple[str, ...]
    country_line: str

    def __post_init__(self) -> None:
        if not self.addressee.strip():
            raise ValueError("the address has no addressee")
        if not self.country_line.strip():
            raise ValueError("the address has no country line")

    def printed_lines(self) -> tuple[str, ...]:
        """Addressee first, then the lines, then the country in capitals."""
        lines = tuple(line for line in self.lines if line.strip())
        return (self.addressee, *lines, self.country_line.upper())


@dataclass(frozen=True)
class Card:
    """One postcard: front (artwork + title) and back (message, signature, address)."""

    occasion: str
    front_title: str
    message: str
    signature: str
    address: Address
    return_address: str = ""
    artwork: Artwork = "balloons"

    def __post_init__(self) -> None:
        choose(self.artwork, ARTWORKS, "artwork")
