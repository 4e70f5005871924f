"""WTForms validators and text filters shared by the forms of every feature."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# Letters from any script, with spaces, hyphens, apostrophes and dots between them.
_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.\-])*$")
FORMULA_PREFIXES = ("=", "+", "-", "@")
# A short name in links (prisoners, occasions): lower-case letters and digits, single hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def has_control_characters(text: str) -> bool:
    """True if ``text`` holds a control or format character (other than tab/newline)."""
    return any(
        unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in "\t\n\r"
        for char in text
    )


class PlainText:
    """Refuse control characters; with ``single_line``, refuse line breaks too."""

    def __init__(self, single_line: bool = True) -> None:
        self.single_line = single_line

    def __call__(self, form: Any, field: Any) -> None:
        value = field.data or ""
        if has_control_characters(value) or (self.single_line and ("\n" in value or "\r" in value)):
            raise ValidationError(_l("Please remove special or invisible characters."))


class PersonName:
    """A name: letters of any script, spaces, hyphens, apostrophes; starts with a letter."""

    def __call__(self, form: Any, field: Any) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        if value.startswith(FORMULA_PREFIXES):
            raise ValidationError(_l("A name cannot start with = + - or @."))
        if not _NAME.match(value):
            raise ValidationError(
                _l("Please use letters only (spaces, hyphens and apostrophes are fine).")
            )


def strip_filter(value: Any) -> Any:
    """Trim surrounding white space and collapse inner runs to one space."""
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def clean_line(value: Any) -> Any:
    """One line: trimmed, inner spaces collapsed, NFC (a decomposed й becomes one character)."""
    value = strip_filter(value)
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def clean_text(value: Any) -> Any:
    """Several lines: each trimmed and its spaces collapsed, NFC, \\n line ends."""
    if not isinstance(value, str):
        return value
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    return unicodedata.normalize("NFC", "\n".join(lines).strip())


def clean_markdown(value: Any) -> Any:
    """Markdown: one kind of line break, no trailing blanks, NFC; indents and blank lines kept."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", "\n".join(line.rstrip() for line in value.split("\n")))
