"""Prisoner queries."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import selectinload

from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.extensions import db
from campaign_app.petitions.service import PUBLIC_CAMPAIGN_STATES
from campaign_app.prisoners.models import Prisoner


def public_prisoners() -> Select[Prisoner]:
    """Prisoners anyone may see and write to: in a campaign that is neither draft nor archived.

    Every public list (pages, calendar, printed stacks) starts from this query.
    """
    return select(Prisoner).join(Campaign).where(Campaign.state.in_(PUBLIC_CAMPAIGN_STATES))


def get_prisoner(slug: str) -> Prisoner | None:
    """A public prisoner by slug, with the address history."""
    return db.session.scalar(
        public_prisoners().where(Prisoner.slug == slug).options(selectinload(Prisoner.addresses))
    )


# Prebuilt with a bound parameter: every petition page and the pages after signing run it.
@cache
def _campaign_prisoners() -> Select[Any]:
    """Built on first use, not at import."""
    return (
        select(Prisoner)
        .join(Campaign)
        .where(
            Prisoner.campaign_id == bindparam("campaign_id"),
            Campaign.state != CampaignState.DRAFT,
            Campaign.state != CampaignState.ARCHIVED,
        )
        .options(selectinload(Prisoner.addresses))
        .order_by(Prisoner.surname_latin, Prisoner.id)
    )


def list_campaign_prisoners(campaign_id: int) -> list[Prisoner]:
    """The public prisoners of one campaign (those a petition of it is about), by surname."""
    return list(db.session.scalars(_campaign_prisoners(), {"campaign_id": campaign_id}))


def list_prisoners() -> list[Prisoner]:
    """The public prisoners, by surname."""
    return list(db.session.scalars(public_prisoners().order_by(Prisoner.surname_latin)))
