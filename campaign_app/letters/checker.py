"""Flag what prison censors stop in a card's free text (pure: text in, findings out).

Letters into Belarusian and Russian prisons are usually not delivered when they hold words
in the Latin script, emojis or pictographs, codes mixing digits and letters, links or e-mail
addresses, or politically loaded words. The checker cannot promise delivery; it catches the
common reasons a card is stopped, so the sender can remove them before printing.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Reason(enum.StrEnum):
    LINK = "link"
    LATIN = "latin"
    EMOJI = "emoji"
    CODE = "code"
    LISTED_WORD = "listed_word"


# Words that guides advise leaving out (stems match their inflected forms: "свободы",
# "свабоды", "freedoms"). Russian, Belarusian and English. Kept short on purpose: it is a
# reminder of what censors stop, not a filter of everything that could offend them.
LISTED_WORD_STEMS: tuple[str, ...] = (
    # freedom / liberty
    "свобод",
    "свабод",
    "воля",
    "волю",
    "воли",
    "freedom",
    "liberty",
    # fight / struggle
    "борьб",
    "бороть",
    "барацьб",
    "змаган",
    "fight",
    "struggle",
    # politics, regime, protest, war
    "политик",
    "палітык",
    "politic",
    "режим",
    "рэжым",
    "regime",
    "протест",
    "пратэст",
    "protest",
    "революц",
    "рэвалюц",
    "revolution",
    "войн",
    "вайн",
    "war",
    "диктатор",
    "дыктатар",
    "dictator",
    "политзаключ",
    "палітвязн",
    "political prisoner",
    "лукашенк",
    "лукашэнк",
    "lukashenk",
)

_URL = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.(?:com|org|net|by|ru|info|io|eu)\b",
    re.IGNORECASE,
)
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_TOKEN = re.compile(r"[^\s.,;:!?()\"«»„“”'’\-–—]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Finding:
    """One thing the censor would likely stop: the offending text and why."""

    reason: Reason
    text: str


def _is_pictograph(char: str) -> bool:
    code = ord(char)
    if unicodedata.category(char) == "So":
        return True
    return (
        0x1F000 <= code <= 0x1FAFF  # emoji, pictographs, symbols, flags
        or 0x2600 <= code <= 0x27BF  # miscellaneous symbols, dingbats
        or 0xFE00 <= code <= 0xFE0F  # variation selectors (emoji presentation)
        or code == 0x200D  # zero-width joiner (emoji sequences)
    )


def _is_code(token: str) -> bool:
    """Digits mixed with letters (``A7X9``, ``2b``): looks like a cipher to a censor."""
    has_digit = any(char.isdigit() for char in token)
    has_letter = any(char.isalpha() for char in token)
    return has_digit and has_letter


def check(text: str) -> list[Finding]:
    """Every finding in ``text``, in order of reason then appearance, without duplicates."""
    findings: list[Finding] = []
    seen: set[tuple[Reason, str]] = set()

    def add(reason: Reason, found: str) -> None:
        if (reason, found.casefold()) not in seen:
            seen.add((reason, found.casefold()))
            findings.append(Finding(reason, found))

    links = [match.group(0) for match in _URL.finditer(text)]
    for link in links:
        add(Reason.LINK, link)
    rest = _URL.sub(" ", text)
    for char in rest:
        if _is_pictograph(char):
            add(Reason.EMOJI, char)
    for token in _TOKEN.findall(rest):
        if _is_code(token):
            add(Reason.CODE, token)
    for token in _TOKEN.findall(rest):
        if not _is_code(token):
            for word in _LATIN_WORD.findall(token):
                add(Reason.LATIN, word)
    lowered = rest.casefold()
    words = _WORD.findall(lowered)
    for stem in LISTED_WORD_STEMS:
        if " " in stem:
            if stem in lowered:
                add(Reason.LISTED_WORD, stem)
            continue
        for word in words:
            if word.startswith(stem) and _matches_stem(word, stem):
                add(Reason.LISTED_WORD, word)
    return findings


# Short stems would catch innocent words ("war" in "warm"): these match the whole word only.
_WHOLE_WORD_STEMS = frozenset({"воля", "волю", "воли", "war"})


def _matches_stem(word: str, stem: str) -> bool:
    if stem in _WHOLE_WORD_STEMS:
        return word == stem or (stem == "war" and word == "wars")
    return True
