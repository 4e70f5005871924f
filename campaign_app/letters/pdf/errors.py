"""What the PDF renderers refuse: characters the font cannot draw, text that cannot fit."""

from __future__ import annotations

import unicodedata

from campaign_app.fonts import REGULAR, missing_glyphs


def describe_character(char: str) -> str:
    """'🙂' (U+1F642 SLIGHTLY SMILING FACE): readable in an error message and a log."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{char!r} ({code} {name})" if name else f"{char!r} ({code})"


class MissingGlyphs(ValueError):
    """The text has characters the shipped font has no glyph for (emoji, CJK, ...).

    The renderers refuse such text instead of printing empty boxes; `characters` lists each
    offending character once, in order of appearance, so a form can name them.
    """

    def __init__(self, characters: tuple[str, ...], *, field: str = "text") -> None:
        self.characters = characters
        self.field = field
        listed = ", ".join(describe_character(char) for char in characters)
        super().__init__(f"{field}: the font has no glyph for {listed}")


def check_glyphs(text: str, font_name: str = REGULAR, *, field: str = "text") -> None:
    """Raise MissingGlyphs if font_name cannot draw every character of text (newlines aside)."""
    missing = missing_glyphs(text, font_name)
    if missing:
        raise MissingGlyphs(missing, field=field)


class MessageTooLong(ValueError):
    """The text does not fit its box even at the smallest readable size.

    `excess_chars` is how many characters to cut from the end of `field` so that it fits at
    the minimum size (found by a binary search on the text length, so it is a close estimate,
    not a guess); the text is never truncated or printed outside its box.
    """

    def __init__(self, excess_chars: int, *, field: str = "message", min_size: float = 0.0):
        self.excess_chars = excess_chars
        self.field = field
        self.min_size = min_size
        super().__init__(
            f"{field} is too long: cut about {excess_chars} characters"
            + (f" (it is already at the smallest size, {min_size:g} pt)" if min_size else "")
        )
