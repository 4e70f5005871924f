"""Institutions kept by organisers: list, create, edit. A change of the address adds a version
to the address history (for "the address on date D"); a change of the address or the mail
rules reaches every prisoner held there at once, since prisoners read it from here."""

from __future__ import annotations

import logging
from dataclasses import asdict, fields, replace
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from campaign_app.audit.service import flush_or_refuse, save_and_record
from campaign_app.db import apply_changes
from campaign_app.extensions import db
from campaign_app.field_errors import InvalidFields
from campaign_app.institutions.checks import check_institution, code_taken_message
from campaign_app.institutions.inputs import ADDRESS_FIELDS, InstitutionInput
from campaign_app.institutions.models import Institution, InstitutionAddress

if TYPE_CHECKING:
    from campaign_app.replies.service import MailSummary

log = logging.getLogger(__name__)


def list_institutions() -> list[tuple[Institution, int]]:
    """Every institution by region and code, with the number of prisoners held there."""
    from campaign_app.prisoners.models import Prisoner

    held = (
        select(Prisoner.institution_id, func.count().label("n"))
        .group_by(Prisoner.institution_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Institution, func.coalesce(held.c.n, 0))
        .outerjoin(held, held.c.institution_id == Institution.id)
        .order_by(Institution.region, Institution.code)
    )
    return [(institution, int(count)) for institution, count in rows]


def get_institution(institution_id: int) -> Institution | None:
    return db.session.get(Institution, institution_id)


def find_by_code(code: str) -> Institution | None:
    return db.session.scalar(
        select(Institution).where(func.lower(Institution.code) == code.strip().lower())
    )


def _code_taken() -> InvalidFields:
    return InvalidFields({"code": [code_taken_message()]})


def address_version(institution: Institution) -> InstitutionAddress:
    """A history row holding the institution's address as it is now."""
    return InstitutionAddress(
        lines_ru=institution.lines_ru,
        lines_be=institution.lines_be,
        lines_latin=institution.lines_latin,
        postcode=institution.postcode,
        country_line=institution.country_line,
        as_of=institution.address_as_of,
        source=institution.address_source,
    )


def apply_institution(
    institution: Institution | None, data: InstitutionInput
) -> tuple[Institution, list[str]]:
    """Create or change an institution (no checks, no commit): the row and the changed fields.

    A changed address (or a newer as-of date) adds a version to the address history.
    """
    data = replace(data, country_line=data.country_line.upper())
    if institution is None:
        institution = Institution(**asdict(data))
        institution.addresses.append(address_version(institution))
        db.session.add(institution)
        return institution, [item.name for item in fields(data)]
    before = tuple(getattr(institution, name) for name in ADDRESS_FIELDS)
    changed = apply_changes(institution, data)
    if tuple(getattr(institution, name) for name in ADDRESS_FIELDS) != before:
        institution.addresses.append(address_version(institution))
    return institution, changed


def create_institution(data: InstitutionInput) -> Institution:
    """Add an institution with its first address version; commits."""
    check_institution(data, None)
    institution, _changed = apply_institution(None, data)
    flush_or_refuse(_code_taken)
    save_and_record(
        "institution.created",
        target=f"institution {institution.code}",
        details={"institution_id": institution.id},
    )
    log.info("Institution %s created", institution.id)
    return institution


def update_institution(institution: Institution, data: InstitutionInput) -> list[str]:
    """Save an institution's changes; the names of the changed fields (none: nothing stored)."""
    check_institution(data, institution)
    _row, changed = apply_institution(institution, data)
    if not changed:
        return []
    save_and_record(
        "institution.updated",
        refused=_code_taken,
        target=f"institution {institution.code}",
        details={"institution_id": institution.id, "fields": changed},
    )
    return changed


def mail_summary(institution: Institution) -> tuple[int, MailSummary]:
    """How many prisoners it holds, and their cards reported sent, replies and last reply
    summed (a hint to review the institution's mail rules). Three queries, whatever the
    number of prisoners."""
    from campaign_app.prisoners.models import Prisoner
    from campaign_app.replies.service import MailSummary, mail_summaries

    ids = db.session.scalars(
        select(Prisoner.id).where(Prisoner.institution_id == institution.id)
    ).all()
    summaries = mail_summaries(ids).values()
    last = max((s.last_reply_on for s in summaries if s.last_reply_on), default=None)
    return len(ids), MailSummary(
        cards_reported=sum(s.cards_reported for s in summaries),
        replies=sum(s.replies for s in summaries),
        last_reply_on=last,
    )
