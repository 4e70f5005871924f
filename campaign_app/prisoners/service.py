"""Prisoner queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db
from campaign_app.petitions.service import PUBLIC_CAMPAIGN_STATES
from campaign_app.prisoners.models import Prisoner


def get_prisoner(slug: str) -> Prisoner | None:
    """A prisoner anyone may see: in a campaign that is neither draft nor archived."""
    return db.session.scalar(
        select(Prisoner)
        .join(Campaign)
        .where(Prisoner.slug == slug, Campaign.state.in_(PUBLIC_CAMPAIGN_STATES))
        .options(selectinload(Prisoner.addresses))
    )


def list_prisoners() -> list[Prisoner]:
    """The public prisoners (not of draft or archived campaigns), by surname."""
    return list(
        db.session.scalars(
            select(Prisoner)
            .join(Campaign)
            .where(Campaign.state.in_(PUBLIC_CAMPAIGN_STATES))
            .order_by(Prisoner.surname_latin)
        )
    )
