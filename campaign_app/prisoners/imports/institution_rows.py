"""Institution lines of an import: read, checked like the institution form, compared."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _

from campaign_app.db import utcnow
from campaign_app.field_errors import InvalidFields
from campaign_app.institutions.checks import check_institution
from campaign_app.institutions.inputs import ADDRESS_FIELDS, RULE_FIELDS, InstitutionInput
from campaign_app.institutions.models import Institution, InstitutionKind, MailRule, Region
from campaign_app.prisoners.imports.cells import NO, YES, parse_choice, parse_date, shown
from campaign_app.prisoners.imports.csvfile import Row
from campaign_app.prisoners.imports.entries import Change, InstitutionEntry, Plan, Problem

_COMPARED = (
    "kind", "name_ru", "name_be", "name_latin", "region", "lines_ru", "lines_be", "lines_latin",
    "postcode", "country_line", "mail_rule", "is_ru_be_only", "mail_notes",
)  # fmt: skip
_REQUIRED = ("code", "name_ru", "region", "address_ru", "postcode")


def institution_entry(
    row: Row, cells: dict[str, str], plan: Plan, places: Places, source: str
) -> InstitutionEntry | None:
    """An institution line read, checked and compared with the one on record (by code)."""
    missing = [name for name in _REQUIRED if not cells.get(name)]
    if missing:
        plan.errors.append(
            Problem(row.line, _("Please fill in: %(columns)s.", columns=", ".join(missing)))
        )
        return None
    as_of, date_ok = parse_date(plan, row.line, "as_of", cells.get("as_of", ""))
    kind, kind_ok = parse_choice(plan, row.line, "kind", cells.get("kind", ""), InstitutionKind)
    region, region_ok = parse_choice(plan, row.line, "region", cells.get("region", ""), Region)
    rule, rule_ok = parse_choice(plan, row.line, "mail_rule", cells.get("mail_rule", ""), MailRule)
    only = cells.get("ru_be_only", "").lower()
    if only and only not in YES | NO:
        plan.errors.append(Problem(row.line, _("Column ru_be_only: write yes or no.")))
        return None
    if not (date_ok and kind_ok and region_ok and rule_ok) or region is None:
        return None
    code = cells["code"]
    existing = places.on_record.get(code.lower())
    as_of = as_of or utcnow().date()

    def kept(column: str, attribute: str) -> str:
        """The cell, else (an empty cell changes nothing) the value on record."""
        return cells.get(column, "") or (str(getattr(existing, attribute)) if existing else "")

    data = InstitutionInput(
        code=code,
        kind=kind or (existing.kind if existing else InstitutionKind.COLONY),
        name_ru=cells["name_ru"],
        name_be=kept("name_be", "name_be"),
        name_latin=kept("name_latin", "name_latin"),
        region=region,
        lines_ru=cells["address_ru"],
        lines_be=kept("address_be", "lines_be"),
        lines_latin=kept("address_latin", "lines_latin"),
        postcode=cells["postcode"],
        country_line=kept("country_line", "country_line").upper() or "REPUBLIC OF BELARUS",
        address_as_of=as_of,
        address_source=source,
        mail_rule=rule or (existing.mail_rule if existing else MailRule.UNKNOWN),
        is_ru_be_only=(only not in NO) if only else (existing.is_ru_be_only if existing else True),
        mail_notes=kept("mail_notes", "mail_notes"),
        rules_as_of=as_of,
        rules_source=source,
        notes=existing.notes if existing else "",
    )
    entry = InstitutionEntry(row.line, code, data, existing)
    if existing is not None:
        entry.changes = [
            Change(name, shown(getattr(existing, name)), shown(getattr(data, name)))
            for name in _COMPARED
            if getattr(existing, name) != getattr(data, name)
        ]
        changed = {change.field for change in entry.changes}
        # What did not change keeps its date and source.
        if not changed & set(ADDRESS_FIELDS):
            data = replace(
                data,
                address_as_of=existing.address_as_of,
                address_source=existing.address_source,
            )
        if not changed & set(RULE_FIELDS):
            data = replace(
                data, rules_as_of=existing.rules_as_of, rules_source=existing.rules_source
            )
        entry.data = data
    try:
        check_institution(data, existing)
    except InvalidFields as error:
        for messages in error.errors.values():
            plan.errors.extend(Problem(row.line, message) for message in messages)
        return None
    return entry


class Places:
    """Institutions a prisoner line may name: on record or in the file, by code or name."""

    def __init__(self, institutions: list[Institution]) -> None:
        self.on_record = {institution.code.lower(): institution for institution in institutions}
        self.in_file: dict[str, InstitutionEntry] = {}
        self.by_name: dict[str, Institution | InstitutionEntry] = {}
        for institution in institutions:
            self._add_names(
                institution, (institution.name_ru, institution.name_be, institution.name_latin)
            )

    def _add_names(self, place: Institution | InstitutionEntry, names: tuple[str, ...]) -> None:
        for name in names:
            if name:
                self.by_name[name.casefold()] = place

    def add(self, entry: InstitutionEntry) -> None:
        self.in_file[entry.code.lower()] = entry
        data = entry.data
        self._add_names(entry, (data.name_ru, data.name_be, data.name_latin))

    def find(self, reference: str) -> Institution | InstitutionEntry | None:
        """The institution a line names (its code or one of its names), the file's first."""
        key = reference.strip().lower()
        return (
            self.in_file.get(key)
            or self.on_record.get(key)
            or self.by_name.get(reference.strip().casefold())
        )
