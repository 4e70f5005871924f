"""Campaigns in the organiser area: create, edit, open, close, archive; each change audited.

Each public function is one use case and commits once, with its audit event. Audit details
name the changed fields, never their values. The state machine helper (``next_state``) and
the refusals are shared with the petitions a campaign holds.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from campaign_app.audit.service import flush_or_refuse, save_and_record
from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.db import apply_changes
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.labels import state_label
from campaign_app.petitions.models import Petition
from campaign_app.prisoners.models import Prisoner

log = logging.getLogger(__name__)

State = TypeVar("State", bound=enum.Enum)


class SlugTaken(CampaignError):
    """Another campaign or petition already has this web address."""


class StateChangeRefused(CampaignError):
    """The state cannot change this way now; the message says why."""


@dataclass(frozen=True)
class CampaignInput:
    slug: str
    name: str
    organisation: str
    description: str
    # {"ru": {"name": "…", "description": "…"}, …}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignPage:
    """A campaign with what it holds, for its organiser page."""

    campaign: Campaign
    petitions: list[Petition]
    prisoners: list[Prisoner]  # the first PRISONERS_SHOWN by surname
    prisoner_count: int


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


def possible_actions(
    actions: dict[str, tuple[frozenset[State], State]], current: State
) -> list[str]:
    """The names of the ``actions`` possible from the ``current`` state."""
    return [name for name, (sources, _) in actions.items() if current in sources]


def next_state(
    actions: dict[str, tuple[frozenset[State], State]], current: State, action: str, noun: str
) -> State:
    """The state ``action`` leads to from ``current``; StateChangeRefused if it cannot."""
    if action not in actions:
        raise StateChangeRefused(_("Unknown action."))
    sources, new_state = actions[action]
    if current not in sources:
        raise StateChangeRefused(
            _(
                "This is not possible while it is “%(state)s”: reload the page and try again.",
                state=state_label(current.value),
            )
        )
    return new_state


def campaign_actions(campaign: Campaign) -> list[str]:
    """The state actions possible from the campaign's current state."""
    return possible_actions(CAMPAIGN_ACTIONS, campaign.state)


# Queries ------------------------------------------------------------------------------


# The campaign's page names a few prisoners; their own list pages and searches them all.
PRISONERS_SHOWN = 10


def campaign_page(campaign: Campaign) -> CampaignPage:
    """The campaign, its petitions (newest first), its first prisoners (by surname) and how
    many it has."""
    petitions = db.session.scalars(
        select(Petition).where(Petition.campaign_id == campaign.id).order_by(Petition.id.desc())
    )
    prisoners = db.session.scalars(
        select(Prisoner)
        .where(Prisoner.campaign_id == campaign.id)
        .order_by(Prisoner.surname_latin, Prisoner.id)
        .limit(PRISONERS_SHOWN)
    )
    count = db.session.scalar(
        select(func.count(Prisoner.id)).where(Prisoner.campaign_id == campaign.id)
    )
    return CampaignPage(campaign, list(petitions), list(prisoners), int(count or 0))


def _slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(exists().where(Campaign.slug == slug, Campaign.id != (except_id or 0)))
    return bool(db.session.scalar(query))


# Use cases ----------------------------------------------------------------------------


def create_campaign(data: CampaignInput) -> Campaign:
    """A new campaign, in draft until it is opened."""
    if _slug_taken(data.slug):
        raise SlugTaken()
    campaign = Campaign(state=CampaignState.DRAFT, **asdict(data))
    db.session.add(campaign)
    flush_or_refuse(SlugTaken)
    save_and_record(
        "campaign.created",
        campaign_id=campaign.id,
        target=f"campaign {campaign.id}",
        details={"slug": campaign.slug},
    )
    log.info("Campaign %s created", campaign.id)
    return campaign


def update_campaign(campaign: Campaign, data: CampaignInput) -> list[str]:
    """Save the edited fields; returns the names of those that changed."""
    if _slug_taken(data.slug, except_id=campaign.id):
        raise SlugTaken()
    changed = apply_changes(campaign, data)
    if not changed:
        return changed
    save_and_record(
        "campaign.updated",
        refused=SlugTaken,
        campaign_id=campaign.id,
        target=f"campaign {campaign.id}",
        details={"fields": changed},
    )
    return changed


def change_campaign_state(campaign: Campaign, action: str) -> CampaignState:
    """Open, close, archive, reopen or return to draft; returns the new state."""
    new_state = next_state(CAMPAIGN_ACTIONS, campaign.state, action, "campaign")
    old_state = campaign.state
    campaign.state = new_state
    save_and_record(
        "campaign.state_changed",
        campaign_id=campaign.id,
        target=f"campaign {campaign.id}",
        details={"from": old_state.value, "to": new_state.value},
    )
    log.info("Campaign %s is now %s", campaign.id, new_state.value)
    return new_state
