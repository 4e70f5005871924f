"""The plan of an import: what is new, changed (field by field), transferred, released, what
may be a duplicate under another spelling, and the errors by line. Reads only."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.prisoners.imports.cells import clean_cells
from campaign_app.prisoners.imports.csvfile import Row, Table
from campaign_app.prisoners.imports.entries import Plan, PrisonerEntry, Problem
from campaign_app.prisoners.imports.institution_rows import Places, institution_entry
from campaign_app.prisoners.imports.prisoner_rows import (
    People,
    compare,
    fill_latin_names,
    prisoner_entry,
    prisoner_label,
    row_label,
)
from campaign_app.prisoners.models import AddressLanguage, Prisoner
from campaign_app.prisoners.spelling import slug_base

__all__ = ["Plan", "build_plan"]


def build_plan(campaign: Campaign, table: Table, source: str) -> Plan:
    """Compare the file with the database: what an import would do (nothing is stored)."""
    plan = Plan()
    for column in table.unknown_columns:
        plan.warnings.append(
            Problem(1, _("Column %(column)s is not known: it is ignored.", column=column))
        )
    rows = [(row, clean_cells(row, plan)) for row in table.rows]
    places = Places(list(db.session.scalars(select(Institution))))
    _plan_institutions(
        plan, [(r, c) for r, c in rows if c is not None and r.is_institution], places, source
    )
    _plan_prisoners(
        plan, campaign, [(r, c) for r, c in rows if c is not None and not r.is_institution], places
    )
    return plan


def _plan_institutions(
    plan: Plan, rows: list[tuple[Row, dict[str, str]]], places: Places, source: str
) -> None:
    for row, cells in rows:
        code = cells.get("code", "")
        earlier = places.in_file.get(code.lower())
        if earlier is not None:
            plan.errors.append(
                Problem(
                    row.line,
                    _(
                        "Institution %(code)s is already on line %(line)d.",
                        code=code,
                        line=earlier.line,
                    ),
                )
            )
            continue
        entry = institution_entry(row, cells, plan, places, source)
        if entry is not None:
            plan.institutions.append(entry)
            places.add(entry)


def _plan_prisoners(
    plan: Plan, campaign: Campaign, rows: list[tuple[Row, dict[str, str]]], places: Places
) -> None:
    today = utcnow().date()
    on_record = list(
        db.session.scalars(select(Prisoner).where(Prisoner.campaign_id == campaign.id))
    )
    by_slug = {prisoner.slug: prisoner for prisoner in on_record}
    taken_slugs = set(db.session.scalars(select(Prisoner.slug)))
    people = People(on_record)
    seen: dict[int, int] = {}
    for row, cells in rows:
        person = prisoner_entry(row.line, cells, plan, today)
        if person is None:
            continue
        slug = cells.get("slug", "")
        match = by_slug.get(slug) if slug else None
        if match is None:
            same, similar = people.find(person.values, person.birth_date)
            if len(same) == 1 and isinstance(same[0], Prisoner):
                match = same[0]
            else:  # several on record, or an earlier line: for the organiser to decide
                names = [
                    p.name if isinstance(p, PrisonerEntry) else prisoner_label(p) for p in same
                ]
                similar = [*names, *similar]
            person.similar = similar
        if match is not None:
            if match.id in seen:
                plan.errors.append(
                    Problem(
                        row.line,
                        _(
                            "%(name)s is on line %(line)d already.",
                            name=prisoner_label(match),
                            line=seen[match.id],
                        ),
                    )
                )
                continue
            seen[match.id] = row.line
        person.existing = match
        people.add(person.values, person, person.birth_date, row_label(row.line, person.values))
        if not compare(person, cells, plan, places, today):
            continue
        if match is None:
            fill_latin_names(person.values)
            person.slug = _new_slug(slug, person, taken_slugs)
            _warn_without_addressee(plan, person)
        plan.prisoners.append(person)


def _new_slug(wanted: str, person: PrisonerEntry, taken: set[str]) -> str:
    """The line's slug, else one from the Latin name; a number added while it is taken."""
    values = person.values
    latin = f"{values.get('given_name_latin', '')} {values.get('surname_latin', '')}"
    base = (wanted or slug_base(latin) or "prisoner")[:70]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _warn_without_addressee(plan: Plan, person: PrisonerEntry) -> None:
    language = AddressLanguage(str(person.values.get("address_language", "ru")))
    if not person.values.get(f"full_name_dative_{language.value}"):
        plan.warnings.append(
            Problem(
                person.line,
                _(
                    "%(name)s has no addressee line (dative): no card can be printed"
                    " until you add it on the prisoner's page.",
                    name=person.name,
                ),
            )
        )
