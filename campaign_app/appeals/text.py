"""Appeal texts: the placeholders organisers may use, filling them in, and mailto links.

Pure functions (no Flask, no database). A template is plain text: no Markdown, no HTML; the
placeholders are ``{name}`` and ``{city}`` (the supporter's, typed in the composer, never
stored), ``{prisoner}`` (the prisoner's name, nominative) and ``{prisoner_dative}`` (the
dative form "to whom" the organiser entered for the prisoner: automatic declension is
unreliable, so a template is phrased to need only these two forms).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

PLACEHOLDERS = ("name", "city", "prisoner", "prisoner_dative")
PRISONER_PLACEHOLDERS = frozenset({"prisoner", "prisoner_dative"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Browsers and mail programs handle mailto links up to about 2,000 characters reliably;
# longer ones are cut or refused by some (Outlook, older Windows shells).
MAILTO_MAX = 2000


def placeholders_in(text: str) -> set[str]:
    """The placeholder names used in ``text`` (known or not)."""
    return {match.group(1) for match in _PLACEHOLDER.finditer(text)}


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders that are not in PLACEHOLDERS, and stray braces, as written, in order."""
    problems = [
        match.group(0)
        for match in _PLACEHOLDER.finditer(text)
        if match.group(1) not in PLACEHOLDERS
    ]
    rest = _PLACEHOLDER.sub("", text)
    problems += [char for char in rest if char in "{}"]
    return list(dict.fromkeys(problems))


def needs_prisoner(*texts: str) -> bool:
    """Whether any of ``texts`` names the prisoner."""
    return any(placeholders_in(text) & PRISONER_PLACEHOLDERS for text in texts)


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value (missing ones by "")."""
    return _PLACEHOLDER.sub(
        lambda match: (
            values.get(match.group(1), "") if match.group(1) in PLACEHOLDERS else match.group(0)
        ),
        text,
    )


def mailto(email: str, subject: str, body: str = "") -> str:
    """A ``mailto:`` link (RFC 6068): subject and body percent-encoded as UTF-8, lines
    ending in CRLF, so Cyrillic and line breaks survive every mail program."""
    link = "mailto:" + quote(email, safe="@") + "?subject=" + quote(subject, safe="")
    if body:
        link += "&body=" + quote(body.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")
    return link
