"""The plan of an import: what is new, changed (field by field), transferred, released, what
may be a duplicate under another spelling, and the errors by line. Reads only."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors, InvalidFields
from campaign_app.institutions.checks import check_institution
from campaign_app.institutions.inputs import InstitutionInput
from campaign_app.institutions.models import Institution, InstitutionKind, MailRule, Region
from campaign_app.prisoners.imports.csvfile import Row, Table
from campaign_app.prisoners.models import AddressLanguage, Prisoner, PrisonerStatus
from campaign_app.prisoners.organise.checks import _check_name, field_labels
from campaign_app.prisoners.spelling import skeleton, slug_base, to_latin

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
_YES = {"yes", "y", "true", "1", "да", "так"}
_NO = {"no", "n", "false", "0", "нет", "не"}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class InstitutionEntry:
    line: int
    code: str
    data: InstitutionInput
    existing: Institution | None
    changes: list[Change] = field(default_factory=list)


@dataclass
class TransferEntry:
    on: date
    from_code: str
    to: Institution | InstitutionEntry
    unit_ru: str
    unit_be: str
    unit_latin: str

    @property
    def to_code(self) -> str:
        return self.to.code


@dataclass
class PrisonerEntry:
    line: int
    name: str
    values: dict[str, object]
    existing: Prisoner | None
    slug: str = ""
    changes: list[Change] = field(default_factory=list)
    transfer: TransferEntry | None = None
    released_on: date | None = None
    is_released: bool = False
    similar: list[str] = field(default_factory=list)


@dataclass
class Plan:
    institutions: list[InstitutionEntry] = field(default_factory=list)
    prisoners: list[PrisonerEntry] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def new_institutions(self) -> list[InstitutionEntry]:
        return [e for e in self.institutions if e.existing is None]

    @property
    def changed_institutions(self) -> list[InstitutionEntry]:
        return [e for e in self.institutions if e.existing is not None and e.changes]

    @property
    def new_prisoners(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.existing is None]

    @property
    def changed_prisoners(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.existing is not None and e.changes]

    @property
    def transferred(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.existing is not None and e.transfer is not None]

    @property
    def released(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.is_released]

    @property
    def similar(self) -> list[PrisonerEntry]:
        return [e for e in self.prisoners if e.similar]

    @property
    def unchanged(self) -> int:
        return sum(
            1
            for e in self.prisoners
            if e.existing is not None and not (e.changes or e.transfer or e.is_released)
        )

    @property
    def has_changes(self) -> bool:
        return bool(
            self.new_institutions
            or self.changed_institutions
            or self.new_prisoners
            or self.changed_prisoners
            or self.transferred
            or self.released
        )

    def summary(self) -> dict[str, int]:
        """The counts, for the audit log and ``--json``."""
        return {
            "new_institutions": len(self.new_institutions),
            "changed_institutions": len(self.changed_institutions),
            "new_prisoners": len(self.new_prisoners),
            "changed_prisoners": len(self.changed_prisoners),
            "transferred": len(self.transferred),
            "released": len(self.released),
            "possible_duplicates": len(self.similar),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }


# Cells -----------------------------------------------------------------------------------


def _clean_cells(row: Row, plan: Plan) -> dict[str, str] | None:
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


def _date(plan: Plan, line: int, column: str, text: str) -> tuple[date | None, bool]:
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


def _choice(plan: Plan, line: int, column: str, text: str, enum: type, default: object) -> object:
    if not text:
        return default
    try:
        return enum(text.strip().lower())
    except ValueError:
        plan.errors.append(
            Problem(
                line,
                _(
                    "Column %(column)s: “%(value)s” is not one of %(choices)s.",
                    column=column,
                    value=text[:40],
                    choices=", ".join(member.value for member in enum),
                ),
            )
        )
        return None


# Institutions ----------------------------------------------------------------------------


def _institution_entry(
    row: Row, cells: dict[str, str], plan: Plan, known: dict[str, Institution], source: str
) -> InstitutionEntry | None:
    today = utcnow().date()
    as_of, ok = _date(plan, row.line, "as_of", cells.get("as_of", ""))
    kind = _choice(
        plan, row.line, "kind", cells.get("kind", ""), InstitutionKind, InstitutionKind.COLONY
    )
    region = _choice(plan, row.line, "region", cells.get("region", ""), Region, None)
    rule = _choice(
        plan, row.line, "mail_rule", cells.get("mail_rule", ""), MailRule, MailRule.UNKNOWN
    )
    only = cells.get("ru_be_only", "").lower()
    if only and only not in _YES | _NO:
        plan.errors.append(Problem(row.line, _("Column ru_be_only: write yes or no.")))
        return None
    if not ok or kind is None or region is None or rule is None:
        return None
    code = cells.get("code", "")
    existing = known.get(code.lower())
    as_of = as_of or today
    data = InstitutionInput(
        code=code,
        kind=kind,  # type: ignore[arg-type]
        name_ru=cells.get("name_ru", ""),
        name_be=cells.get("name_be", "") or (existing.name_be if existing else ""),
        name_latin=cells.get("name_latin", "") or (existing.name_latin if existing else ""),
        region=region,  # type: ignore[arg-type]
        lines_ru=cells.get("address_ru", ""),
        lines_be=cells.get("address_be", "") or (existing.lines_be if existing else ""),
        lines_latin=cells.get("address_latin", "") or (existing.lines_latin if existing else ""),
        postcode=cells.get("postcode", ""),
        country_line=(cells.get("country_line", "") or "REPUBLIC OF BELARUS").upper(),
        address_as_of=as_of,
        address_source=source,
        mail_rule=rule,  # type: ignore[arg-type]
        is_ru_be_only=only not in _NO,
        mail_notes=cells.get("mail_notes", "") or (existing.mail_notes if existing else ""),
        rules_as_of=as_of,
        rules_source=source,
        notes=existing.notes if existing else "",
    )
    missing = [
        name
        for name in ("code", "name_ru", "address_ru", "postcode")
        if not cells.get(name if name != "address_ru" else "address_ru")
    ]
    if missing:
        plan.errors.append(
            Problem(row.line, _("Please fill in: %(columns)s.", columns=", ".join(missing)))
        )
        return None
    try:
        check_institution(data, existing)
    except InvalidFields as error:
        for messages in error.errors.values():
            plan.errors.extend(Problem(row.line, message) for message in messages)
        return None
    entry = InstitutionEntry(row.line, code, data, existing)
    if existing is not None:
        compared = (
            "kind", "name_ru", "name_be", "name_latin", "region", "lines_ru", "lines_be",
            "lines_latin", "postcode", "country_line", "mail_rule", "is_ru_be_only", "mail_notes",
        )  # fmt: skip
        for name in compared:
            old, new = getattr(existing, name), getattr(data, name)
            if old != new:
                entry.changes.append(Change(name, _shown(old), _shown(new)))
    return entry


def _shown(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "value"):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\n", " / ")


# Prisoners -------------------------------------------------------------------------------


def _name_keys(values: dict[str, object]) -> tuple[set[str], set[str]]:
    """The exact (case-folded) and the spelling-folded keys of a person's name forms."""
    exact, folded = set(), set()
    for form in ("ru", "be", "latin"):
        surname = str(values.get(f"surname_{form}") or "")
        given = str(values.get(f"given_name_{form}") or "")
        if surname and given:
            exact.add(f"{surname.casefold()}|{given.casefold()}")
            folded.add(f"{skeleton(surname)}|{skeleton(given)[:2]}")
    return exact, folded


def _births_agree(one: object, other: object) -> bool:
    return one is None or other is None or one == other


class _People:
    """The campaign's prisoners (and the file's earlier lines) by name key."""

    def __init__(self, prisoners: list[Prisoner]) -> None:
        self.exact: dict[str, list[tuple[str, object, object]]] = {}
        self.folded: dict[str, list[tuple[str, object, object]]] = {}
        for prisoner in prisoners:
            values = {name: getattr(prisoner, name) for name in NAME_FIELDS}
            self.add(values, prisoner, prisoner.birth_date, _label(prisoner))

    def add(self, values: dict[str, object], who: object, birth: object, label: str) -> None:
        exact, folded = _name_keys(values)
        for key in exact:
            self.exact.setdefault(key, []).append((label, who, birth))
        for key in folded:
            self.folded.setdefault(key, []).append((label, who, birth))

    def find(self, values: dict[str, object], birth: object) -> tuple[list[object], list[str]]:
        """(people with exactly this name and a compatible birth date, labels of others whose
        name folds to the same skeleton)."""
        exact, folded = _name_keys(values)
        same: dict[int, object] = {}
        for key in exact:
            for _unused, who, their_birth in self.exact.get(key, []):
                if _births_agree(birth, their_birth):
                    same[id(who)] = who
        similar: dict[str, None] = {}
        for key in folded:
            for label, who, their_birth in self.folded.get(key, []):
                if id(who) not in same and _births_agree(birth, their_birth):
                    similar[label] = None
        return list(same.values()), list(similar)


def _label(prisoner: Prisoner) -> str:
    names = [prisoner.name_in("ru"), prisoner.name_latin]
    born = f", {prisoner.birth_date.isoformat()}" if prisoner.birth_date else ""
    return f"{' / '.join(dict.fromkeys(n for n in names if n))}{born} ({prisoner.slug})"


def _row_label(line: int, values: dict[str, object]) -> str:
    names = [
        f"{values.get('given_name_' + form) or ''} {values.get('surname_' + form) or ''}".strip()
        for form in ("ru", "be", "latin")
    ]
    return _("line %(line)d: %(name)s", line=line, name=" / ".join(n for n in names if n))


def _check_names(plan: Plan, line: int, values: dict[str, object]) -> bool:
    errors = FieldErrors()
    labels = field_labels()
    for name in NAME_FIELDS:
        _check_name(
            errors,
            name,
            str(values.get(name) or ""),
            "LATIN" if name.endswith("_latin") else "CYRILLIC",
        )
    for column in ("dative_ru", "dative_be"):
        attribute = PRISONER_FIELDS[column]
        _check_name(errors, attribute, str(values.get(attribute) or ""), "CYRILLIC")
    for name, messages in errors.errors.items():
        plan.errors.extend(Problem(line, message) for message in messages)
        del name
    del labels
    return not errors.errors


def build_plan(campaign: Campaign, table: Table, source: str) -> Plan:
    """Compare the file with the database: what an import would do (nothing is stored)."""
    plan = Plan()
    today = utcnow().date()
    for column in table.unknown_columns:
        plan.warnings.append(
            Problem(1, _("Column %(column)s is not known: it is ignored.", column=column))
        )
    institutions = {i.code.lower(): i for i in db.session.scalars(select(Institution))}
    by_name: dict[str, Institution | InstitutionEntry] = {}
    for institution in institutions.values():
        for name in (institution.name_ru, institution.name_be, institution.name_latin):
            if name:
                by_name[name.casefold()] = institution
    file_codes: dict[str, InstitutionEntry] = {}
    rows = [(row, _clean_cells(row, plan)) for row in table.rows]
    for row, cells in rows:
        if cells is None or not row.is_institution:
            continue
        code = cells.get("code", "")
        if code.lower() in file_codes:
            plan.errors.append(
                Problem(
                    row.line,
                    _(
                        "Institution %(code)s is already on line %(line)d.",
                        code=code,
                        line=file_codes[code.lower()].line,
                    ),
                )
            )
            continue
        entry = _institution_entry(row, cells, plan, institutions, source)
        if entry is not None:
            plan.institutions.append(entry)
            file_codes[code.lower()] = entry
            for name in (entry.data.name_ru, entry.data.name_be, entry.data.name_latin):
                if name:
                    by_name[name.casefold()] = entry

    prisoners = list(
        db.session.scalars(select(Prisoner).where(Prisoner.campaign_id == campaign.id))
    )
    by_slug = {p.slug: p for p in prisoners}
    taken_slugs = set(db.session.scalars(select(Prisoner.slug)))
    people = _People(prisoners)
    seen: set[int] = set()
    for row, cells in rows:
        if cells is None or row.is_institution:
            continue
        person = _prisoner_entry(row.line, cells, plan, today, source)
        if person is None:
            continue
        birth = person.values.get("birth_date")
        slug = cells.get("slug", "")
        match = by_slug.get(slug) if slug else None
        if match is None:
            same, similar = people.find(person.values, birth)
            if len(same) == 1 and isinstance(same[0], Prisoner):
                match = same[0]
            elif same:
                similar = [_("more than one prisoner has exactly this name"), *similar]
            person.similar = similar
        if match is not None:
            if match.id in seen:
                plan.errors.append(
                    Problem(
                        row.line,
                        _("%(name)s is on an earlier line already.", name=_label(match)),
                    )
                )
                continue
            seen.add(match.id)
        person.existing = match
        people.add(person.values, person, birth, _row_label(row.line, person.values))
        if not _compare(person, match, cells, plan, institutions, file_codes, by_name, today):
            continue
        if match is None:
            base = (
                slug
                or slug_base(
                    f"{person.values.get('given_name_latin', '')} {person.values.get('surname_latin', '')}"
                )
                or "prisoner"
            )
            candidate, n = base[:70], 2
            while candidate in taken_slugs:
                candidate, n = f"{base[:70]}-{n}", n + 1
            taken_slugs.add(candidate)
            person.slug = candidate
            language = person.values.get("address_language")
            dative = person.values.get(f"full_name_dative_{language}")
            if not dative:
                plan.warnings.append(
                    Problem(
                        row.line,
                        _(
                            "%(name)s has no addressee line (dative): no card can be printed"
                            " until you add it on the prisoner's page.",
                            name=person.name,
                        ),
                    )
                )
        plan.prisoners.append(person)
    return plan


def _prisoner_entry(
    line: int, cells: dict[str, str], plan: Plan, today: date, source: str
) -> PrisonerEntry | None:
    values: dict[str, object] = {}
    for column, attribute in PRISONER_FIELDS.items():
        if cells.get(column):
            values[attribute] = cells[column]
    if not any(values.get(f"surname_{form}") for form in ("ru", "be", "latin")):
        plan.errors.append(Problem(line, _("The surname is missing.")))
        return None
    for part in ("surname", "given_name"):
        if not values.get(f"{part}_latin"):
            cyrillic = values.get(f"{part}_be") or values.get(f"{part}_ru")
            if cyrillic:
                values[f"{part}_latin"] = to_latin(str(cyrillic))
    if not values.get("given_name_latin"):
        plan.errors.append(Problem(line, _("The given name is missing.")))
        return None
    if not _check_names(plan, line, values):
        return None
    ok = True
    birth, good = _date(plan, line, "birth_date", cells.get("birth_date", ""))
    ok &= good
    moved_on, good = _date(plan, line, "transferred_on", cells.get("transferred_on", ""))
    ok &= good
    released_on, good = _date(plan, line, "release_date", cells.get("release_date", ""))
    ok &= good
    status = _choice(plan, line, "status", cells.get("status", ""), PrisonerStatus, None)
    if cells.get("status") and status is None:
        ok = False
    for column, day in (("birth_date", birth), ("release_date", released_on)):
        if day is not None and day > today:
            plan.errors.append(
                Problem(line, _("Column %(column)s: the date is in the future.", column=column))
            )
            ok = False
    if moved_on is not None and moved_on > today:
        plan.errors.append(
            Problem(
                line,
                _(
                    "A transfer to a date in the future (%(date)s): give the day the prisoner"
                    " arrived, once it has happened.",
                    date=moved_on.isoformat(),
                ),
            )
        )
        ok = False
    if not ok:
        return None
    if birth is not None:
        values["birth_date"] = birth
    if status is not None:
        values["status"] = status
    if released_on is not None:
        values["released_on"] = released_on
        values.setdefault("status", PrisonerStatus.RELEASED)
    has_ru = values.get("full_name_dative_ru") or values.get("surname_ru")
    values["address_language"] = (
        AddressLanguage.RUSSIAN
        if has_ru or not values.get("surname_be")
        else AddressLanguage.BELARUSIAN
    )
    values["_moved_on"] = moved_on
    values["_source"] = source
    entry = PrisonerEntry(line, _row_label(line, values), values, None)
    return entry


def _compare(
    entry: PrisonerEntry,
    existing: Prisoner | None,
    cells: dict[str, str],
    plan: Plan,
    institutions: dict[str, Institution],
    file_codes: dict[str, InstitutionEntry],
    by_name: dict[str, Institution | InstitutionEntry],
    today: date,
) -> bool:
    """Fill the entry's changes, transfer and release; False after adding an error."""
    values = entry.values
    compared = [*PRISONER_FIELDS.values(), "birth_date", "status", "released_on"]
    if existing is not None:
        for name in compared:
            if name in values and getattr(existing, name) != values[name]:
                entry.changes.append(
                    Change(name, _shown(getattr(existing, name)), _shown(values[name]))
                )
        entry.changes = [c for c in entry.changes if c.field not in {"status", "released_on"}]
        if (
            values.get("status") is PrisonerStatus.RELEASED
            and existing.status is not PrisonerStatus.RELEASED
        ):
            entry.is_released = True
        elif "status" in values and values["status"] is not existing.status:
            entry.changes.append(Change("status", existing.status.value, _shown(values["status"])))
    elif values.get("status") is PrisonerStatus.RELEASED:
        entry.is_released = True
    entry.released_on = values.get("released_on")  # type: ignore[assignment]
    reference = cells.get("institution", "")
    if not reference or entry.is_released:
        return True
    target = (
        file_codes.get(reference.lower())
        or institutions.get(reference.lower())
        or by_name.get(reference.casefold())
    )
    if target is None:
        plan.errors.append(
            Problem(
                entry.line,
                _(
                    "Unknown institution “%(name)s”: add it on the institutions page or as an"
                    " institution line of this file.",
                    name=reference[:80],
                ),
            )
        )
        return False
    if isinstance(target, InstitutionEntry) and target.existing is not None:
        target = target.existing
    units = {f: cells.get(f, "") for f in ("unit_ru", "unit_be", "unit_latin")}
    if not units["unit_latin"] and (units["unit_be"] or units["unit_ru"]):
        units["unit_latin"] = to_latin(units["unit_be"] or units["unit_ru"])
    moved_on = values.get("_moved_on") or today
    if existing is not None:
        here = existing.institution
        same_place = here is not None and here is target
        same_unit = (existing.unit_ru, existing.unit_be) == (units["unit_ru"], units["unit_be"])
        if same_place and (same_unit or not (units["unit_ru"] or units["unit_be"])):
            return True
        if existing.placed_on is not None and moved_on < existing.placed_on:  # type: ignore[operator]
            plan.errors.append(
                Problem(
                    entry.line,
                    _(
                        "The transfer date %(date)s is before the current placement (%(since)s).",
                        date=str(moved_on),
                        since=str(existing.placed_on),
                    ),
                )
            )
            return False
    entry.transfer = TransferEntry(
        on=moved_on,  # type: ignore[arg-type]
        from_code=existing.institution.code
        if existing is not None and existing.institution
        else "",
        to=target,
        **units,
    )
    return True
