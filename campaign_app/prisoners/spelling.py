"""One skeleton for a name however it is spelled: Latin, Russian or Belarusian Cyrillic,
with or without diacritics (Bialiatski, Byalyatsky, Beliatski, Беляцкий, Бяляцкі -> "bltk").

Pure functions, no app. The skeleton is deliberately coarse (consonants only, similar sounds
folded): it finds *possible* duplicates for an organiser to review, never merges on its own.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic (Russian and Belarusian) to a plain Latin spelling, before folding.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ў": "w", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "є": "ye",
}  # fmt: skip
# Belarusian Latin (Łacinka) and Polish/Czech letters whose marks carry a sound.
_MARKED = {
    "č": "ch", "š": "sh", "ž": "zh", "ł": "l", "ŭ": "w", "ć": "ts", "ś": "s", "ź": "z",
    "ń": "n", "ß": "ss", "ø": "o", "æ": "e", "œ": "e", "đ": "d",
}  # fmt: skip
# Folds, in order: digraphs to one symbol, then sounds that spellings swap.
_FOLDS = (
    ("shch", "S"), ("sch", "S"), ("tsch", "C"), ("tch", "C"), ("sh", "S"), ("ch", "C"),
    ("zh", "Z"), ("kh", "g"), ("ph", "f"), ("dz", "d"), ("ts", "t"), ("tz", "t"),
    ("c", "t"), ("x", "ks"), ("w", "v"), ("q", "k"), ("h", "g"),
)  # fmt: skip
_VOWELS = re.compile(r"[aeiouyj]+")
_NOT_LETTER = re.compile(r"[^a-zSCZ]+")
_REPEATS = re.compile(r"(.)\1+")


def plain_latin(text: str) -> str:
    """Lower-case ASCII Latin letters for ``text`` in any of the scripts (marks removed)."""
    out = []
    for char in text.lower():
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char in _MARKED:
            out.append(_MARKED[char])
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def skeleton(text: str) -> str:
    """The spelling-independent skeleton of a name: "Бяляцкі" and "Bialiatski" give "bltk".

    Each word is folded on its own and the words joined by a space; an empty string for a
    text with no letters.
    """
    words = []
    for word in re.split(r"[\s\-]+", plain_latin(text)):
        for before, after in _FOLDS:
            word = word.replace(before, after)
        word = _NOT_LETTER.sub("", _VOWELS.sub("", word))
        word = _REPEATS.sub(r"\1", word)
        if word:
            words.append(word)
    return " ".join(words)


_READABLE = {"w": "u"}


def to_latin(text: str) -> str:
    """A readable Latin spelling of a Cyrillic name (a reading aid: "Бяляцкі" -> "Byalyatski").

    Latin text passes through unchanged.
    """
    out = []
    for char in text:
        lower = char.lower()
        if lower in _CYRILLIC:
            latin = _CYRILLIC[lower]
            latin = _READABLE.get(latin, latin)
            out.append(latin.capitalize() if char.isupper() else latin)
        else:
            out.append(char)
    return "".join(out)


def slug_base(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Алесь Бяляцкі" -> "ales-byalyatski"."""
    latin = plain_latin(to_latin(text))
    return "-".join(re.findall(r"[a-z0-9]+", latin))
