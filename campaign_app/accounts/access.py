"""Who may see what in the organiser area: sign-in required, then the role and the campaign.

Every organiser view loads its object through one of these helpers. An object that does not
exist and one the organiser may not see give the same 403, so nobody learns what exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask import abort
from flask_login import current_user as _signed_in
from flask_login import login_required
from sqlalchemy import Select, select

from campaign_app.accounts.models import CampaignMembership, User
from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db

if TYPE_CHECKING:
    from campaign_app.petitions.models import Petition
    from campaign_app.prisoners.models import Prisoner

F = TypeVar("F", bound=Callable[..., Any])


def organiser_required(view: F) -> F:
    """Any signed-in account (admin or organiser)."""
    return cast(F, login_required(view))


def admin_required(view: F) -> F:
    """Signed in as an admin; anyone else gets 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return cast(F, login_required(wrapped))


def current_user() -> User:
    """The signed-in account (only call behind organiser_required/admin_required)."""
    return cast(User, _signed_in._get_current_object())


def may_manage(user: User, campaign_id: int) -> bool:
    if user.is_admin:
        return True
    membership = db.session.get(CampaignMembership, (user.id, campaign_id))
    return membership is not None


def _or_403(obj: Any, campaign_id: int | None) -> Any:
    if obj is None or campaign_id is None or not may_manage(current_user(), campaign_id):
        abort(403)
    return obj


def campaign_or_403(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    return cast(Campaign, _or_403(campaign, campaign.id if campaign else None))


# The feature models are imported when first needed: every blueprint imports this module, and
# the petitions package (which loads the exports package) would otherwise import itself.


def petition_or_403(petition_id: int) -> Petition:
    from campaign_app.petitions.models import Petition

    petition = db.session.get(Petition, petition_id)
    return cast(Petition, _or_403(petition, petition.campaign_id if petition else None))


def prisoner_or_403(prisoner_id: int) -> Prisoner:
    from campaign_app.prisoners.models import Prisoner

    prisoner = db.session.get(Prisoner, prisoner_id)
    return cast(Prisoner, _or_403(prisoner, prisoner.campaign_id if prisoner else None))


def visible_campaigns_query(user: User) -> Select[Campaign]:
    """The campaigns ``user`` works on (all of them for an admin), by name."""
    query = select(Campaign).order_by(Campaign.name)
    if not user.is_admin:
        query = query.join(CampaignMembership).where(CampaignMembership.user_id == user.id)
    return query


def visible_campaign_ids(user: User) -> list[int]:
    return [campaign.id for campaign in db.session.scalars(visible_campaigns_query(user))]
