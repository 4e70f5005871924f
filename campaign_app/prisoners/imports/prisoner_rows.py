"""Prisoner lines of an import: names checked, matched with the campaign's prisoners (exactly,
or flagged as possible duplicates under another spelling), changes, transfers, releases."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from campaign_app.field_errors import FieldErrors
from campaign_app.letters.card_text import check_printable
from campaign_app.prisoners.imports.cells import (
    NAME_FIELDS,
    PRISONER_FIELDS,
    parse_choice,
    parse_date,
    shown,
)
from campaign_app.prisoners.imports.entries import (
    Change,
    InstitutionEntry,
    Plan,
    PrisonerEntry,
    Problem,
    TransferEntry,
)
from campaign_app.prisoners.imports.institution_rows import Places
from campaign_app.prisoners.models import AddressLanguage, Prisoner, PrisonerStatus
from campaign_app.prisoners.organise.checks import check_name, field_labels
from campaign_app.prisoners.spelling import skeleton, to_latin


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


def _births_agree(one: date | None, other: date | None) -> bool:
    return one is None or other is None or one == other


Person = Prisoner | PrisonerEntry
_Known = tuple[str, Person, date | None]


class People:
    """The campaign's prisoners, and the file's lines read so far, by name key."""

    def __init__(self, prisoners: list[Prisoner]) -> None:
        self.exact: dict[str, list[_Known]] = {}
        self.folded: dict[str, list[_Known]] = {}
        for prisoner in prisoners:
            values: dict[str, object] = {name: getattr(prisoner, name) for name in NAME_FIELDS}
            self.add(values, prisoner, prisoner.birth_date, prisoner_label(prisoner))

    def add(self, values: dict[str, object], who: Person, birth: date | None, label: str) -> None:
        exact, folded = _name_keys(values)
        for key in exact:
            self.exact.setdefault(key, []).append((label, who, birth))
        for key in folded:
            self.folded.setdefault(key, []).append((label, who, birth))

    def find(self, values: dict[str, object], birth: date | None) -> tuple[list[Person], list[str]]:
        """(people with exactly this name and a compatible birth date, labels of others whose
        name folds to the same skeleton)."""
        exact, folded = _name_keys(values)
        same: dict[int, Person] = {}
        for key in exact:
            for _label, who, their_birth in self.exact.get(key, []):
                if _births_agree(birth, their_birth):
                    same[id(who)] = who
        similar: dict[str, None] = {}
        for key in folded:
            for label, who, their_birth in self.folded.get(key, []):
                if id(who) not in same and _births_agree(birth, their_birth):
                    similar[label] = None
        return list(same.values()), list(similar)


def prisoner_label(prisoner: Prisoner) -> str:
    """A prisoner on record as the preview names them: name as published, birth date, slug."""
    born = f", {prisoner.birth_date.isoformat()}" if prisoner.birth_date else ""
    return f"{prisoner.name_in('ru')}{born} ({prisoner.slug})"


def row_label(line: int, values: dict[str, object]) -> str:
    """A line of the file as the preview names it: the Cyrillic forms of the name (the Latin
    one when there is no other)."""
    names = [
        f"{values.get('given_name_' + form) or ''} {values.get('surname_' + form) or ''}".strip()
        for form in ("ru", "be", "latin")
    ]
    shown_names = [name for name in dict.fromkeys(names[:2]) if name] or names[2:]
    return str(_("line %(line)d: %(name)s", line=line, name=" / ".join(shown_names)))


def _check_names(plan: Plan, line: int, values: dict[str, object]) -> bool:
    """The prisoner form's rules for names: one script each, printable on a card."""
    errors = FieldErrors()
    labels = field_labels()
    for name in (*NAME_FIELDS, "full_name_dative_ru", "full_name_dative_be"):
        text = str(values.get(name) or "")
        check_name(errors, name, text, "LATIN" if name.endswith("_latin") else "CYRILLIC")
        check_printable(errors, name, labels[name], text)
    for messages in errors.errors.values():
        plan.errors.extend(Problem(line, message) for message in messages)
    return not errors.errors


def prisoner_entry(
    line: int, cells: dict[str, str], plan: Plan, today: date
) -> PrisonerEntry | None:
    """A prisoner line read and checked (names, dates, status); None after adding errors."""
    values: dict[str, object] = {
        attribute: cells[column]
        for column, attribute in PRISONER_FIELDS.items()
        if cells.get(column)
    }
    if not any(values.get(f"surname_{form}") for form in ("ru", "be", "latin")):
        plan.errors.append(Problem(line, _("The surname is missing.")))
        return None
    if not any(values.get(f"given_name_{form}") for form in ("ru", "be", "latin")):
        plan.errors.append(Problem(line, _("The given name is missing.")))
        return None
    names_ok = _check_names(plan, line, values)
    birth, birth_ok = parse_date(plan, line, "birth_date", cells.get("birth_date", ""))
    moved_on, moved_ok = parse_date(plan, line, "transferred_on", cells.get("transferred_on", ""))
    released_on, released_ok = parse_date(plan, line, "release_date", cells.get("release_date", ""))
    status, status_ok = parse_choice(plan, line, "status", cells.get("status", ""), PrisonerStatus)
    ok = names_ok and birth_ok and moved_ok and released_ok and status_ok
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
    if released_on is not None:
        values["released_on"] = released_on
        status = status or PrisonerStatus.RELEASED
    if status is not None:
        values["status"] = status
    has_russian = values.get("full_name_dative_ru") or values.get("surname_ru")
    values["address_language"] = (
        AddressLanguage.BELARUSIAN
        if values.get("surname_be") and not has_russian
        else AddressLanguage.RUSSIAN
    )
    return PrisonerEntry(
        line, row_label(line, values), values, None, birth_date=birth, moved_on=moved_on
    )


_COMPARED = (*PRISONER_FIELDS.values(), "birth_date")
_UNITS = ("unit_ru", "unit_be", "unit_latin")


def compare(
    entry: PrisonerEntry, cells: dict[str, str], plan: Plan, places: Places, today: date
) -> bool:
    """Fill the entry's changes (field by field), release and transfer against the prisoner
    it matches (``entry.existing``); False after adding an error."""
    values, existing = entry.values, entry.existing
    status = values.get("status")
    if existing is not None:
        for name in _COMPARED:
            if name in values and getattr(existing, name) != values[name]:
                entry.changes.append(
                    Change(name, shown(getattr(existing, name)), shown(values[name]))
                )
        if status is not None and status is not existing.status:
            if status is PrisonerStatus.RELEASED:
                entry.is_released = True
            else:
                entry.changes.append(Change("status", existing.status.value, shown(status)))
    else:
        entry.is_released = status is PrisonerStatus.RELEASED
    if entry.is_released:
        entry.released_on = entry.values.get("released_on")  # type: ignore[assignment]
        return True
    reference = cells.get("institution", "")
    if not reference:
        return True
    place = places.find(reference)
    if place is None:
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
    target = place.existing or place if isinstance(place, InstitutionEntry) else place
    units = {name: cells.get(name, "") for name in _UNITS}
    if not units["unit_latin"] and (units["unit_be"] or units["unit_ru"]):
        units["unit_latin"] = to_latin(units["unit_be"] or units["unit_ru"])
    moved_on = entry.moved_on or today
    if existing is not None:
        given = [name for name in ("unit_ru", "unit_be") if units[name]]
        if existing.institution is target and all(
            getattr(existing, name) == units[name] for name in given
        ):
            return True
        if existing.placed_on is not None and moved_on < existing.placed_on:
            plan.errors.append(
                Problem(
                    entry.line,
                    _(
                        "The transfer date %(date)s is before the current placement, which"
                        " dates from %(since)s: a transfer must be dated on or after it (an"
                        " empty cell means today).",
                        date=moved_on.isoformat(),
                        since=existing.placed_on.isoformat(),
                    ),
                )
            )
            return False
    here = existing.institution if existing is not None else None
    entry.transfer = TransferEntry(
        on=moved_on, from_code=here.code if here is not None else "", to=target, **units
    )
    return True


def fill_latin_names(values: dict[str, object]) -> None:
    """A new prisoner's Latin names, transliterated from the Cyrillic when the line has none
    (a prisoner on record keeps the spelling the organiser chose)."""
    for part in ("surname", "given_name"):
        cyrillic = values.get(f"{part}_be") or values.get(f"{part}_ru")
        if not values.get(f"{part}_latin") and cyrillic:
            values[f"{part}_latin"] = to_latin(str(cyrillic))
