"""Read queries for the organiser home page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from campaign_app.accounts.access import visible_campaigns_query
from campaign_app.accounts.models import User
from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db
from campaign_app.petitions.counting import read_counts
from campaign_app.petitions.models import Petition


@dataclass(frozen=True)
class PetitionLine:
    petition: Petition
    confirmed: int


@dataclass(frozen=True)
class CampaignOverview:
    campaign: Campaign
    petitions: list[PetitionLine]


def overview(user: User) -> list[CampaignOverview]:
    """The user's campaigns with their petitions and confirmed counts (cheap sums)."""
    campaigns = list(db.session.scalars(visible_campaigns_query(user)))
    result = []
    for campaign in campaigns:
        petitions = db.session.scalars(
            select(Petition).where(Petition.campaign_id == campaign.id).order_by(Petition.id)
        )
        lines = [PetitionLine(p, read_counts(db.session, p.id).total) for p in petitions]
        result.append(CampaignOverview(campaign, lines))
    return result
