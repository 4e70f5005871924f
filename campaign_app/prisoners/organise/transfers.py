"""Transfers: a prisoner moves into an institution (or another unit) on a date, says who.

The transfer is kept as history; the prisoner's current institution and unit follow it, and
their cards print the institution's address from then on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from campaign_app.audit.service import save_and_record
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors
from campaign_app.institutions.models import Institution
from campaign_app.letters.card_text import check_printable
from campaign_app.prisoners.models import Prisoner, PrisonerStatus, PrisonerTransfer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransferInput:
    institution_id: int
    transferred_on: date
    unit_ru: str
    unit_be: str
    unit_latin: str
    source: str


def transfer_prisoner(prisoner: Prisoner, data: TransferInput) -> PrisonerTransfer:
    """Record a transfer and make it the prisoner's placement; commits. Refuses (InvalidFields)
    a date in the future or before the current placement, and an unknown institution."""
    errors = FieldErrors()
    institution = db.session.get(Institution, data.institution_id)
    if institution is None:
        errors.add("institution_id", _("Please choose an institution."))
    if data.transferred_on > utcnow().date():
        errors.add(
            "transferred_on",
            _(
                "A transfer to a date in the future cannot be recorded: give the day the"
                " prisoner arrived, once it has happened."
            ),
        )
    elif prisoner.placed_on is not None and data.transferred_on < prisoner.placed_on:
        errors.add(
            "transferred_on",
            _(
                "The prisoner's current placement dates from %(date)s: a transfer must be"
                " dated on or after it.",
                date=prisoner.placed_on.isoformat(),
            ),
        )
    for name in ("unit_ru", "unit_be"):
        check_printable(errors, name, _("Unit"), getattr(data, name))
    errors.raise_if_any()
    assert institution is not None
    transfer = PrisonerTransfer(
        transferred_on=data.transferred_on,
        from_institution=prisoner.institution,
        to_institution=institution,
        unit_ru=data.unit_ru,
        unit_be=data.unit_be,
        unit_latin=data.unit_latin,
        source=data.source,
    )
    prisoner.transfers.append(transfer)
    prisoner.institution = institution
    prisoner.unit_ru, prisoner.unit_be, prisoner.unit_latin = (
        data.unit_ru,
        data.unit_be,
        data.unit_latin,
    )
    prisoner.placed_on = data.transferred_on
    prisoner.placement_source = data.source
    if prisoner.status in {PrisonerStatus.UNKNOWN, PrisonerStatus.RELEASED}:
        prisoner.status = PrisonerStatus.IMPRISONED
    save_and_record(
        "prisoner.transferred",
        campaign_id=prisoner.campaign_id,
        target=f"prisoner {prisoner.slug}",
        details={
            "prisoner_id": prisoner.id,
            "institution_id": institution.id,
            "on": data.transferred_on.isoformat(),
        },
    )
    log.info("Prisoner %s transferred to institution %s", prisoner.id, institution.id)
    return transfer
