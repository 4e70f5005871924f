"""Search keys for prisoners' names: one spelling-blind skeleton for every way a name is written.

One person appears as Bialiatski, Byalyatsky, Bialacki, Bjaljazki, Беляцкий and Бяляцкі.
``skeleton`` folds any of them to the same string of ASCII letters ("balacki"), so that a
search compares skeletons: Cyrillic (Russian and Belarusian) is transliterated; diacritics
(Łacinka, Polish, Czech, German) and case are dropped; the letters that the ru/be spellings
and the English, Polish, German and Łacinka transliterations write differently fall together:

- vowels: a run of vowels becomes one letter: ``u`` if it holds a u (ю, yu, ju, iu), else
  ``a`` if it holds a, e or o (я, е, э, ё, ia, ja, ye, ie: Belarusian akanye writes а where
  Russian writes о), else ``i`` (и, і, ы, й, y, j);
- ў, ŭ, w, v and a u after a, e or o (Ivanou, Ivanow, Ivanov, Іваноў) are ``v``;
- г, х, ч, g, h, kh, ch, č, cz, tsch are one letter ``h`` ("ch" is х in Polish and Łacinka
  but ч in English, and Belarusian г is h where Russian г is g);
- ц, c, ts, tz, з and z are ``c`` (German writes ц as z: Bjaljazki); дз and dz are ``d``
  (Belarusian Дзмітрый is Russian Дмитрий);
- ш, щ, sh, sz, š, sch, shch, szcz are ``x``; ж, zh, ž, ż, dzh, dž are ``z``;
- x is ``ks``; ь, ъ and apostrophes go; a letter written twice is written once;
- a vowel between d or t and a word's final r goes (Alexander, Aliaksandr, Александр).

The skeleton is deliberately coarse: a search for a whole surname still names one or two
people in a registry of thousands, and ``plain_words`` (lower case, without diacritics, in
the script typed) ranks the matches spelled as typed first. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Cyrillic (Russian, Belarusian, Ukrainian letters too) into a Latin spelling that the Latin
# folding below understands.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "io", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "j", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "w", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

# Latin letters with a meaning of their own (the rest only lose their accents).
_LATIN = {
    "š": "sh", "č": "ch", "ž": "zh", "ż": "zh", "ŭ": "w", "ł": "l", "ß": "ss", "æ": "ae",
    "ø": "o", "œ": "oe", "đ": "d", "ð": "d", "þ": "t", "ı": "i",
}  # fmt: skip

# Longest first: each is tried at each position before a shorter one.
_GROUPS = (
    ("schtsch", "x"),
    ("shch", "x"),
    ("szcz", "x"),
    ("tsch", "h"),
    ("dzh", "z"),
    ("sch", "x"),
    ("sh", "x"),
    ("sz", "x"),
    ("zh", "z"),
    ("dz", "d"),
    ("kh", "h"),
    ("ch", "h"),
    ("cz", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("ct", "kt"),  # Victor, Victoria: an English c before t is k
    ("x", "ks"),
    ("q", "k"),
    ("g", "h"),
    ("w", "v"),
    ("z", "c"),
)
_GROUP_PATTERN = re.compile("|".join(re.escape(latin) for latin, _ in _GROUPS))
_GROUP_VALUES = dict(_GROUPS)
_VOWELS = frozenset("aeiouyj")
_OPEN_VOWELS = frozenset("aeo")
_FINAL_R = re.compile(r"([dt])[aiu]r$")
_WORD = re.compile(r"[^\W_]+")
# Names are at most a few words; a longer query is cut here.
MAX_WORDS = 8


def _latin(text: str) -> str:
    """Lower case, Cyrillic transliterated, accents dropped, letters and digits only."""
    out = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char in _LATIN:
            out.append(_LATIN[char])
        else:
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if c.isascii() and c.isalnum()) or " ")
    return "".join(out)


def _fold_word(word: str) -> str:
    """One Latin word (a-z, 0-9) to its skeleton."""
    letters = _GROUP_PATTERN.sub(lambda m: _GROUP_VALUES[m.group(0)], word)
    out: list[str] = []
    run = ""
    for index, char in enumerate(letters):
        if char == "u" and run and run[-1] in _OPEN_VOWELS:
            # Ivanou, Ivanoŭ, Ivanov: the u after a, e or o is a consonant here.
            out.append(_vowel(run))
            run = ""
            out.append("v")
            continue
        if char in _VOWELS and not (char == "j" and index == len(letters) - 1 and not run):
            run += char
            continue
        if run:
            out.append(_vowel(run))
            run = ""
        if char == "j":
            continue  # a word-final j after a consonant: nothing to hear
        out.append(char)
    if run:
        out.append(_vowel(run))
    folded = re.sub(r"(.)\1+", r"\1", "".join(out))
    return _FINAL_R.sub(r"\1r", folded)


def _vowel(run: str) -> str:
    if "u" in run:
        return "u"
    if any(char in _OPEN_VOWELS for char in run):
        return "a"
    return "i"


def skeleton_words(text: str) -> list[str]:
    """The skeleton of each word of ``text``, in order (empty words left out)."""
    words = (_fold_word(word) for word in _WORD.findall(_latin(text)))
    return [word for word in words if word]


def skeleton(text: str) -> str:
    """The words of ``text`` as skeletons, one space between: «Алесь Бяляцкі» -> "alas balacki"."""
    return " ".join(skeleton_words(text))


def plain_words(text: str) -> list[str]:
    """The words of ``text`` in lower case without accents, in the script they were typed in
    (й and ё keep their marks: they are letters of their own)."""
    words = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text.casefold())):
        kept = "".join(
            char
            if char in "йёўї"
            else "".join(c for c in unicodedata.normalize("NFKD", char) if c.isalnum())
            for char in word
        )
        if kept:
            words.append(kept)
    return words


def name_key(names: Iterable[str]) -> str:
    """A prisoner's key: every distinct skeleton word of every name form, each with a space
    before and after (" alas balacki viktaravic "), so that ``LIKE '% bala%'`` finds a word
    that starts with "bala" and nothing in the middle of a word."""
    return _key(word for name in names for word in skeleton_words(name))


def plain_key(names: Iterable[str]) -> str:
    """The same for ``plain_words`` (" алесь бяляцкі bialiatski ")."""
    return _key(word for name in names for word in plain_words(name))


def _key(words: Iterable[str]) -> str:
    distinct = list(dict.fromkeys(words))
    return f" {' '.join(distinct)} " if distinct else ""


def query_words(text: str) -> list[tuple[str, str]]:
    """(skeleton, plain) per word of a search, at most MAX_WORDS; words whose skeleton is
    empty (punctuation, a lone soft sign) are left out."""
    pairs = []
    for word in plain_words(text):
        folded = skeleton(word)
        if folded:
            pairs.append((folded.replace(" ", ""), word))
    return pairs[:MAX_WORDS]
