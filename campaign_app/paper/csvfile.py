"""Reading a CSV file of paper signatures: its encoding, its columns, its rows (pure).

The file has a header row naming its columns (any order, any case): ``first_name``,
``last_name``, ``country`` (an ISO 3166 code such as ``BY`` or ``DE``) and, optionally,
``city``. Commas, semicolons and tabs all work as separators (spreadsheets in Europe save
with semicolons). Cells are kept as text, also those starting with "=", "+", "-" or "@":
the exports neutralise them when they write a spreadsheet's file.

Each problem is reported with the line it is on (the header is line 1), so an organiser can
fix the file; a problem with the whole file (its encoding, a missing column, too many rows)
refuses it at once with a message saying what to do.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

REQUIRED = ("first_name", "last_name", "country")
OPTIONAL = ("city",)
# Longest value of a name or a city (the signing form's limits).
NAME_LENGTH = 80
# How the header may name a column.
ALIASES = {
    "first_name": ("first_name", "first name", "firstname", "given name", "имя", "імя", "prénom"),
    "last_name": (
        "last_name",
        "last name",
        "lastname",
        "surname",
        "family name",
        "фамилия",
        "прозвішча",
        "nom",
    ),
    "city": ("city", "town", "город", "горад", "ville"),
    "country": ("country", "country code", "страна", "краіна", "pays"),
}
ENCODING_NAMES = {
    "utf-8": _l("UTF-8"),
    "utf-8-sig": _l("UTF-8 with a byte order mark (BOM)"),
    "cp1251": _l("Windows-1251 (Cyrillic)"),
}
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileRefused(ValueError):
    """The whole file cannot be read; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PaperRow:
    """One signature of the file, shape-checked."""

    line: int
    first_name: str
    last_name: str
    city: str
    country: str

    def key(self) -> tuple[str, str, str, str]:
        """What makes two rows the same signer: names and city folded, and the country."""
        return (fold(self.first_name), fold(self.last_name), fold(self.city), self.country)


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


@dataclass
class ParsedFile:
    """What a file holds: good rows, and the lines refused with their reasons."""

    encoding: str
    rows: list[PaperRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def encoding_name(self) -> str:
        return encoding_name(self.encoding)


def encoding_name(encoding: str) -> str:
    """The encoding as the preview names it."""
    return str(ENCODING_NAMES.get(encoding, encoding))


def fold(text: str) -> str:
    """A name or city as duplicates are compared: NFKC, case-folded, spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in: UTF-8 (with or without a BOM), else
    Windows-1251 when that reads as Cyrillic text; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise FileRefused(
            str(_l("The file is in UTF-16 (or is not a text file). Save it as CSV in UTF-8."))
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_cyrillic(text):
        return text, "cp1251"
    raise FileRefused(
        str(
            _l(
                "The file is neither UTF-8 nor Windows-1251 (Cyrillic) text: its letters"
                " would come out wrong. Save it as CSV in UTF-8 and upload it again."
            )
        )
    )


def _looks_cyrillic(text: str) -> bool:
    """Whether text read as Windows-1251 is Cyrillic text: no word mixes Latin and Cyrillic
    letters (a Latin-1 "Müller" would read as "Mьller") and no control character shows."""
    if "\x98" in text or _CONTROL.search(text):
        return False
    return not any(_CYRILLIC.search(word) and _LATIN.search(word) for word in _WORD.findall(text))


def _header_map(header: list[str]) -> dict[str, int]:
    names = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = names.get(fold(cell).replace("-", "_"), "")
        if not column:
            column = names.get(fold(cell).replace("_", " "), "")
        if column and column not in found:
            found[column] = index
    return found


def parse(
    data: bytes, *, max_rows: int, country_codes: Iterable[str], default_country: str = ""
) -> ParsedFile:
    """Read the file: its rows and its bad lines. FileRefused for a bad encoding, a missing
    column, no rows, or more than ``max_rows`` rows."""
    text, encoding = decode(data)
    return parse_text(
        text,
        encoding,
        max_rows=max_rows,
        country_codes=country_codes,
        default_country=default_country,
    )


def parse_text(
    text: str,
    encoding: str,
    *,
    max_rows: int,
    country_codes: Iterable[str],
    default_country: str = "",
) -> ParsedFile:
    """``parse`` on text already decoded (the commit re-reads the stored text)."""
    codes = frozenset(country_codes)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise FileRefused(str(_l("The file is empty."))) from None
    columns = _header_map(header)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise FileRefused(
            str(
                _l(
                    "The first line must name the columns; missing: %(columns)s."
                    " Expected: first_name, last_name, city (optional), country.",
                    columns=", ".join(missing),
                )
            )
        )
    parsed = ParsedFile(encoding=encoding)
    seen = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            seen += 1
            if seen > max_rows:
                raise FileRefused(
                    str(
                        _l(
                            "The file has more than %(limit)s rows: split it into files of"
                            " at most %(limit)s rows and import them one after another.",
                            limit=f"{max_rows:,}",
                        )
                    )
                )
            row, problem = _row(cells, columns, line, codes, default_country)
            if row is not None:
                parsed.rows.append(row)
            else:
                parsed.errors.append(LineError(line, problem))
    except csv.Error:
        raise FileRefused(
            str(
                _l(
                    "Line %(line)s cannot be read as CSV (an unclosed quote?).",
                    line=reader.line_num,
                )
            )
        ) from None
    if not parsed.rows and not parsed.errors:
        raise FileRefused(str(_l("The file has a header but no rows.")))
    return parsed


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return _SPACES.sub(" ", cells[index]).strip()


def _row(
    cells: list[str], columns: dict[str, int], line: int, codes: frozenset[str], default: str
) -> tuple[PaperRow | None, str]:
    first = _cell(cells, columns, "first_name")
    last = _cell(cells, columns, "last_name")
    city = _cell(cells, columns, "city")
    country = _cell(cells, columns, "country").upper() or default
    if not first and not last:
        return None, str(_l("No name: a first or last name is needed."))
    if _CONTROL.search(first + last + city):
        return None, str(_l("An invisible control character in a name or city."))
    if max(len(first), len(last), len(city)) > NAME_LENGTH:
        return None, str(
            _l("A name or city is longer than %(length)s characters.", length=NAME_LENGTH)
        )
    if not country:
        return None, str(_l("No country: give its two-letter code, e.g. BY or DE."))
    if country not in codes:
        return None, str(
            _l(
                "“%(country)s” is not a country code: give its two letters, e.g. BY or DE.",
                country=country[:10],
            )
        )
    return PaperRow(line, first, last, city, country), ""
