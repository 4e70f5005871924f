"""Campaign and petition management: create, edit, open, close, archive; each change audited.

Each public function is one use case and commits once, after writing its audit event.
Audit details name the changed fields, never their values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from campaign_app.audit.service import record
from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState
from campaign_app.prisoners.models import Prisoner

log = logging.getLogger(__name__)


class SlugTaken(CampaignError):
    """Another campaign or petition already has this web address."""


class SlugLocked(CampaignError):
    """A petition's web address stays once it has opened: e-mailed and shared links use it."""


class StateChangeRefused(CampaignError):
    """The state cannot change this way now; the message says why."""


class FieldsRequired(CampaignError):
    """An open petition needs these fields filled in."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


_NEEDED_TO_OPEN = ("title", "target", "body")


@dataclass(frozen=True)
class CampaignInput:
    slug: str
    name: str
    organisation: str
    description: str


@dataclass(frozen=True)
class PetitionInput:
    slug: str
    title: str
    summary: str
    body: str
    target: str
    goal: int
    opens_at: datetime
    closes_at: datetime | None


@dataclass(frozen=True)
class CampaignPage:
    """A campaign with what it holds, for its management page."""

    campaign: Campaign
    petitions: list[Petition]
    prisoners: list[Prisoner]


# action -> (states it may start from, state it leads to)
CAMPAIGN_ACTIONS: dict[str, tuple[frozenset[CampaignState], CampaignState]] = {
    "open": (frozenset({CampaignState.DRAFT}), CampaignState.OPEN),
    "close": (frozenset({CampaignState.OPEN}), CampaignState.CLOSED),
    "archive": (
        frozenset({CampaignState.DRAFT, CampaignState.OPEN, CampaignState.CLOSED}),
        CampaignState.ARCHIVED,
    ),
    "reopen": (frozenset({CampaignState.CLOSED, CampaignState.ARCHIVED}), CampaignState.OPEN),
    "draft": (
        frozenset({CampaignState.OPEN, CampaignState.CLOSED, CampaignState.ARCHIVED}),
        CampaignState.DRAFT,
    ),
}
PETITION_ACTIONS: dict[str, tuple[frozenset[PetitionState], PetitionState]] = {
    "open": (frozenset({PetitionState.DRAFT}), PetitionState.OPEN),
    "close": (frozenset({PetitionState.OPEN}), PetitionState.CLOSED),
    "archive": (
        frozenset({PetitionState.DRAFT, PetitionState.OPEN, PetitionState.CLOSED}),
        PetitionState.ARCHIVED,
    ),
    "reopen": (frozenset({PetitionState.CLOSED, PetitionState.ARCHIVED}), PetitionState.OPEN),
}


def campaign_actions(campaign: Campaign) -> list[str]:
    """The state actions possible from the campaign's current state."""
    return [name for name, (sources, _) in CAMPAIGN_ACTIONS.items() if campaign.state in sources]


def petition_actions(petition: Petition) -> list[str]:
    """The state actions possible from the petition's current state."""
    return [name for name, (sources, _) in PETITION_ACTIONS.items() if petition.state in sources]


# Queries ------------------------------------------------------------------------------


def campaign_page(campaign: Campaign) -> CampaignPage:
    """The campaign, its petitions (newest first) and its prisoners (by surname)."""
    petitions = db.session.scalars(
        select(Petition).where(Petition.campaign_id == campaign.id).order_by(Petition.id.desc())
    )
    prisoners = db.session.scalars(
        select(Prisoner)
        .where(Prisoner.campaign_id == campaign.id)
        .order_by(Prisoner.surname_latin, Prisoner.id)
    )
    return CampaignPage(campaign, list(petitions), list(prisoners))


def _campaign_slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(exists().where(Campaign.slug == slug, Campaign.id != (except_id or 0)))
    return bool(db.session.scalar(query))


def _petition_slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(exists().where(Petition.slug == slug, Petition.id != (except_id or 0)))
    return bool(db.session.scalar(query))


# Use cases ----------------------------------------------------------------------------


def _apply(obj: Any, data: Any) -> list[str]:
    """Copy the input's fields onto ``obj``; the names of those that changed."""
    changed = []
    for item in fields(data):
        value = getattr(data, item.name)
        if getattr(obj, item.name) != value:
            setattr(obj, item.name, value)
            changed.append(item.name)
    return changed


def _commit_or_slug_taken() -> None:
    """Commit; a unique-slug race lost to another request becomes ``SlugTaken``."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise SlugTaken() from None


def create_campaign(data: CampaignInput) -> Campaign:
    """A new campaign, in draft until it is opened."""
    if _campaign_slug_taken(data.slug):
        raise SlugTaken()
    campaign = Campaign(state=CampaignState.DRAFT)
    _apply(campaign, data)
    db.session.add(campaign)
    db.session.flush()
    record(
        "campaign.created",
        campaign_id=campaign.id,
        target=f"campaign {campaign.id}",
        details={"slug": campaign.slug},
    )
    _commit_or_slug_taken()
    log.info("Campaign %s created", campaign.id)
    return campaign


def update_campaign(campaign: Campaign, data: CampaignInput) -> list[str]:
    """Save the edited fields; returns the names of those that changed."""
    if _campaign_slug_taken(data.slug, except_id=campaign.id):
        raise SlugTaken()
    changed = _apply(campaign, data)
    if not changed:
        return changed
    record(
        "campaign.updated",
        campaign_id=campaign.id,
        target=f"campaign {campaign.id}",
        details={"fields": changed},
    )
    _commit_or_slug_taken()
    return changed


def change_campaign_state(campaign: Campaign, action: str) -> CampaignState:
    """Open, close, archive, reopen or return to draft; returns the new state."""
    if action not in CAMPAIGN_ACTIONS:
        raise StateChangeRefused("Unknown action.")
    sources, new_state = CAMPAIGN_ACTIONS[action]
    if campaign.state not in sources:
        raise StateChangeRefused(
            f"A campaign that is {campaign.state.value} cannot be changed this way ({action})."
        )
    old_state = campaign.state
    campaign.state = new_state
    record(
        "campaign.state_changed",
        campaign_id=campaign.id,
        target=f"campaign {campaign.id}",
        details={"from": old_state.value, "to": new_state.value},
    )
    db.session.commit()
    log.info("Campaign %s is now %s", campaign.id, new_state.value)
    return new_state


def create_petition(campaign: Campaign, data: PetitionInput) -> Petition:
    """A new petition of ``campaign``, in draft until it is opened."""
    if _petition_slug_taken(data.slug):
        raise SlugTaken()
    petition = Petition(campaign_id=campaign.id, state=PetitionState.DRAFT)
    _apply(petition, data)
    db.session.add(petition)
    db.session.flush()
    record(
        "petition.created",
        campaign_id=campaign.id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details={"slug": petition.slug},
    )
    _commit_or_slug_taken()
    log.info("Petition %s created in campaign %s", petition.id, campaign.id)
    return petition


def update_petition(petition: Petition, data: PetitionInput) -> list[str]:
    """Save the edited fields; returns the names of those that changed."""
    if data.slug != petition.slug and petition.state is not PetitionState.DRAFT:
        raise SlugLocked()
    if _petition_slug_taken(data.slug, except_id=petition.id):
        raise SlugTaken()
    if petition.state is PetitionState.OPEN:
        missing = [name for name in _NEEDED_TO_OPEN if not getattr(data, name).strip()]
        if missing:
            raise FieldsRequired(missing)
    changed = _apply(petition, data)
    if not changed:
        return changed
    record(
        "petition.updated",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details={"fields": changed},
    )
    _commit_or_slug_taken()
    return changed


def missing_for_opening(petition: Petition) -> list[str]:
    """The fields a petition still needs before it can open (empty: ready)."""
    return [name for name in _NEEDED_TO_OPEN if not getattr(petition, name).strip()]


def change_petition_state(petition: Petition, action: str) -> PetitionState:
    """Open, close, archive or reopen; opening needs a title, a target and a text."""
    if action not in PETITION_ACTIONS:
        raise StateChangeRefused("Unknown action.")
    sources, new_state = PETITION_ACTIONS[action]
    if petition.state not in sources:
        raise StateChangeRefused(
            f"A petition that is {petition.state.value} cannot be changed this way ({action})."
        )
    if new_state is PetitionState.OPEN:
        missing = missing_for_opening(petition)
        if missing:
            raise StateChangeRefused(
                "Before it can open, the petition needs: " + ", ".join(missing) + "."
            )
        if petition.closes_at is not None and petition.closes_at <= utcnow():
            raise StateChangeRefused(
                "The closing date has passed: set a later one (or none) before opening."
            )
    old_state = petition.state
    petition.state = new_state
    record(
        "petition.state_changed",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details={"from": old_state.value, "to": new_state.value},
    )
    db.session.commit()
    log.info("Petition %s is now %s", petition.id, new_state.value)
    return new_state
