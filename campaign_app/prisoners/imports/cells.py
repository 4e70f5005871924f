"""The cells of one line: trimmed, checked (length, control characters), read as dates and
choices; problems are added to the plan with the line number."""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import date, datetime
from typing import TypeVar

from flask_babel import gettext as _

from campaign_app.prisoners.imports.csvfile import Row
from campaign_app.prisoners.imports.entries import Plan, Problem

E = TypeVar("E", bound=enum.StrEnum)

MAX_CELL = 1000
NAME_FIELDS = (
    "surname_ru", "given_name_ru", "patronymic_ru", "surname_be", "given_name_be",
    "patronymic_be", "surname_latin", "given_name_latin",
)  # fmt: skip
# CSV column -> Prisoner attribute, for the fields an import may set.
PRISONER_FIELDS = {name: name for name in NAME_FIELDS} | {
    "dative_ru": "full_name_dative_ru",
    "dative_be": "full_name_dative_be",
}
LIMITS = {"dative_ru": 200, "dative_be": 200, "unit_ru": 80, "unit_be": 80, "unit_latin": 80}
MULTILINE = frozenset({"address_ru", "address_be", "address_latin", "mail_notes"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
YES = {"yes", "y", "true", "1", "да", "так"}
NO = {"no", "n", "false", "0", "нет", "не"}


def clean_cells(row: Row, plan: Plan) -> dict[str, str] | None:
    """The row's cells trimmed, or None when one breaks a rule (errors added to the plan)."""
    cells: dict[str, str] = {}
    ok = True
    if "__extra__" in row.cells:
        plan.errors.append(
            Problem(row.line, _("This line has more cells than the first line has columns."))
        )
        ok = False
    for name, raw in row.cells.items():
        if name == "__extra__":
            continue
        limit = LIMITS.get(name, 80 if name in PRISONER_FIELDS else MAX_CELL)
        if len(raw) > limit:
            plan.errors.append(
                Problem(
                    row.line,
                    _(
                        "Column %(column)s is too long (%(length)d characters; at most %(limit)d).",
                        column=name,
                        length=len(raw),
                        limit=limit,
                    ),
                )
            )
            ok = False
            continue
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        if name in MULTILINE:
            text = "\n".join(part.strip() for part in re.split(r"\n|\|", text) if part.strip())
        elif "\n" in text:
            text = " ".join(text.split())
        if _CONTROL.search(text):
            plan.errors.append(
                Problem(
                    row.line,
                    _("Column %(column)s holds invisible control characters.", column=name),
                )
            )
            ok = False
            continue
        cells[name] = unicodedata.normalize("NFC", text.strip())
    return cells if ok else None


def parse_date(plan: Plan, line: int, column: str, text: str) -> tuple[date | None, bool]:
    """The date in a cell (ISO or DD.MM.YYYY); (None, False) after adding an error."""
    if not text:
        return None, True
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date(), True
        except ValueError:
            continue
    plan.errors.append(
        Problem(
            line,
            _(
                "Column %(column)s: “%(value)s” is not a date (write 2024-09-25 or 25.09.2024).",
                column=column,
                value=text[:40],
            ),
        )
    )
    return None, False


def parse_choice(
    plan: Plan, line: int, column: str, text: str, kind: type[E]
) -> tuple[E | None, bool]:
    """The member of ``kind`` a cell names (None when empty); (None, False) after an error."""
    if not text:
        return None, True
    try:
        return kind(text.strip().lower()), True
    except ValueError:
        plan.errors.append(
            Problem(
                line,
                _(
                    "Column %(column)s: “%(value)s” is not one of %(choices)s.",
                    column=column,
                    value=text[:40],
                    choices=", ".join(member.value for member in kind),
                ),
            )
        )
        return None, False


def shown(value: object) -> str:
    """A value as the preview shows it."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\n", " / ")
