"""Checks of organisers' text that ends up on cards: glyphs the card font lacks, what censors stop.

The reference data (occasions, phrases) and the prisoners' names and addresses share them.
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from campaign_app.field_errors import FieldErrors
from campaign_app.fonts import missing_glyphs
from campaign_app.letters import checker


def unprintable(text: str) -> tuple[str, ...]:
    """Characters of ``text`` the card font (DejaVu Sans) has no glyph for, each once."""
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


def script_of(char: str) -> str:
    """The script a character belongs to, as Unicode names it ("CYRILLIC", "LATIN")."""
    return unicodedata.name(char, "").split(" ", 1)[0]


def check_cyrillic_address(errors: FieldErrors, name: str, label: str, text: str) -> None:
    """Refuse letters other than Cyrillic in an address's lines (a prisoner's, a prison's)."""
    latin = [c for c in dict.fromkeys(text) if c.isalpha() and script_of(c) != "CYRILLIC"]
    if latin:
        errors.add(
            name,
            _(
                "%(field)s must be in Cyrillic (only the country line is in Latin"
                " letters); these are not Cyrillic: %(chars)s.",
                field=label,
                chars=" ".join(latin),
            ),
        )


def check_country_line(errors: FieldErrors, country: str) -> None:
    """Refuse a blank country line or one with letters other than Latin."""
    if not country or any(c.isalpha() and script_of(c) != "LATIN" for c in country):
        errors.add(
            "country_line",
            _("The country line is written in Latin capitals, e.g. “REPUBLIC OF BELARUS”."),
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
