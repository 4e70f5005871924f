"""Prisoners' records kept by their campaign's organisers: names, dates, status, addresses.

Addresses are never edited: a new one is added with its "as of" date and source, and the
newest date is the current address. Each public use case validates, audits and commits once.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign_app.audit.service import flush_or_refuse, save_and_record
from campaign_app.campaigns.models import Campaign
from campaign_app.db import apply_changes
from campaign_app.extensions import db
from campaign_app.field_errors import InvalidFields
from campaign_app.prisoners.models import (
    Prisoner,
    PrisonerAddress,
)
from campaign_app.prisoners.organise.checks import (
    check_address,
    check_prisoner,
    slug_taken_message,
)
from campaign_app.prisoners.organise.inputs import AddressInput, PrisonerInput
from campaign_app.prisoners.service import RegistryFilters, RegistryPage, registry_query

log = logging.getLogger(__name__)


def search_prisoners(
    campaign: Campaign, filters: RegistryFilters, page: int, per_page: int, locale: str
) -> RegistryPage:
    """One page of the campaign's prisoners (drafts and the released included) matching the
    registry's search and filters, in the registry's order, with their addresses."""
    conditions, order = registry_query(filters, locale)
    mine = (Prisoner.campaign_id == campaign.id, *conditions)
    rows = db.session.execute(
        select(Prisoner.id, func.count().over())
        .where(*mine)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if not rows:
        total = db.session.scalar(select(func.count(Prisoner.id)).where(*mine))
        return RegistryPage([], int(total or 0), page, per_page)
    ids = [row[0] for row in rows]
    loaded = {
        prisoner.id: prisoner
        for prisoner in db.session.scalars(
            select(Prisoner).where(Prisoner.id.in_(ids)).options(selectinload(Prisoner.addresses))
        )
    }
    return RegistryPage([loaded[i] for i in ids], int(rows[0][1]), page, per_page)


def _slug_taken() -> InvalidFields:
    return InvalidFields({"slug": [slug_taken_message()]})


def create_prisoner(campaign: Campaign, data: PrisonerInput) -> Prisoner:
    """Add a prisoner to ``campaign`` (no address yet); commits."""
    check_prisoner(data, None)
    prisoner = Prisoner(campaign_id=campaign.id, **asdict(data))
    db.session.add(prisoner)
    flush_or_refuse(_slug_taken)
    save_and_record(
        "prisoner.created",
        campaign_id=campaign.id,
        target=f"prisoner {prisoner.slug}",
        details={"prisoner_id": prisoner.id},
    )
    log.info("Prisoner %s created in campaign %s", prisoner.id, campaign.id)
    return prisoner


def update_prisoner(prisoner: Prisoner, data: PrisonerInput) -> list[str]:
    """Save a prisoner's changes; the names of the changed fields (none: nothing stored)."""
    check_prisoner(data, prisoner)
    changed = apply_changes(prisoner, data)
    if not changed:
        return []
    save_and_record(
        "prisoner.updated",
        refused=_slug_taken,
        campaign_id=prisoner.campaign_id,
        target=f"prisoner {prisoner.slug}",
        details={"prisoner_id": prisoner.id, "fields": changed},
    )
    return changed


def add_address(prisoner: Prisoner, data: AddressInput) -> PrisonerAddress:
    """Record a new address version (earlier ones stay as history); commits."""
    check_address(prisoner, data)
    address = PrisonerAddress(**asdict(data) | {"country_line": data.country_line.upper()})
    prisoner.addresses.append(address)
    details: dict[str, object] = {}
    if prisoner.institution_id is not None and (
        prisoner.placed_on is None or data.as_of >= prisoner.placed_on
    ):
        # A newer hand-typed address: the prisoner is no longer held in the institution (the
        # transfers keep that they were).
        details["left_institution_id"] = prisoner.institution_id
        prisoner.institution = None
        prisoner.unit_ru = prisoner.unit_be = prisoner.unit_latin = ""
    db.session.flush()
    db.session.refresh(prisoner, ["addresses"])
    latest = prisoner.latest_address
    is_current = latest is not None and latest.id == address.id
    save_and_record(
        "prisoner.address_added",
        campaign_id=prisoner.campaign_id,
        target=f"prisoner {prisoner.slug}",
        details={
            "prisoner_id": prisoner.id,
            "address_id": address.id,
            "as_of": address.as_of.isoformat(),
            "is_current": is_current,
            **details,
        },
    )
    log.info("Address %s added to prisoner %s", address.id, prisoner.id)
    return address
