"""Reading an uploaded list: bytes to rows of named cells with their line numbers.

The columns are documented in the README ("Importing prisoners and institutions"). Refusals
of the whole file (encoding, missing columns, size) raise ``FileRefused``; problems of one
cell are the plan's business.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from campaign_app.errors import CampaignError

MAX_ROWS = 20_000
INSTITUTION_COLUMNS = (
    "code", "kind", "name_ru", "name_be", "name_latin", "region", "address_ru", "address_be",
    "address_latin", "postcode", "country_line", "mail_rule", "ru_be_only", "mail_notes",
    "as_of",
)  # fmt: skip
PRISONER_COLUMNS = (
    "slug", "surname_ru", "given_name_ru", "patronymic_ru", "surname_be", "given_name_be",
    "patronymic_be", "surname_latin", "given_name_latin", "dative_ru", "dative_be",
    "birth_date", "institution", "unit_ru", "unit_be", "unit_latin", "transferred_on",
    "status", "release_date",
)  # fmt: skip
KNOWN_COLUMNS = frozenset(("record", *INSTITUTION_COLUMNS, *PRISONER_COLUMNS))
REQUIRED_FOR_INSTITUTIONS = ("code", "name_ru", "region", "address_ru", "postcode")
# At least one column of each group for prisoners.
REQUIRED_FOR_PRISONERS = (
    ("surname_ru", "surname_be", "surname_latin"),
    ("given_name_ru", "given_name_be", "given_name_latin"),
    ("institution",),
)


class FileRefused(CampaignError):
    """The file as a whole cannot be read as a list: the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """One record of the file: its first line number and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    @property
    def is_institution(self) -> bool:
        return self.get("record").strip().lower() in {"institution", "учреждение", "установа"}


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    rows: tuple[Row, ...]


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FileRefused(
            _(
                "The file is not UTF-8 text (line %(line)d cannot be read). Save it again as"
                " “CSV UTF-8” (in LibreOffice: Save As, Text CSV, character set UTF-8).",
                line=line,
            )
        ) from None


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_table(content: bytes) -> Table:
    """The rows of the file (blank lines skipped); raises FileRefused."""
    text = _decode(content)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileRefused(_("Line %(line)d holds a NUL character: is this a CSV file?", line=line))
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise FileRefused(_("The file is empty: the first line must name the columns."))
        columns = tuple(cell.strip().lower().replace(" ", "_") for cell in header)
        rows: list[Row] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise FileRefused(_("The file has more than %(count)d lines.", count=MAX_ROWS))
                named = {
                    column: cells[index] if index < len(cells) else ""
                    for index, column in enumerate(columns)
                    if column in KNOWN_COLUMNS
                }
                if len(cells) > len(columns):
                    named["__extra__"] = str(len(cells) - len(columns))
                rows.append(Row(line, named))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)d is not valid CSV: %(error)s", line=reader.line_num, error=str(error))
        ) from None
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise FileRefused(
            _("These columns appear twice: %(columns)s.", columns=", ".join(duplicates))
        )
    table = Table(
        columns=columns,
        unknown_columns=tuple(c for c in columns if c and c not in KNOWN_COLUMNS),
        rows=tuple(rows),
    )
    _check_columns(table)
    return table


def _check_columns(table: Table) -> None:
    present = set(table.columns)
    missing: list[str] = []
    if any(row.is_institution for row in table.rows):
        missing += [c for c in REQUIRED_FOR_INSTITUTIONS if c not in present]
    if any(not row.is_institution for row in table.rows):
        missing += [
            " / ".join(group) for group in REQUIRED_FOR_PRISONERS if not present & set(group)
        ]
    if missing:
        raise FileRefused(
            _(
                "Columns are missing: %(columns)s. The first line must name the columns"
                " (see the list of columns below).",
                columns=", ".join(missing),
            )
        )
    if not table.rows:
        raise FileRefused(_("The file has column names but no lines to import."))
