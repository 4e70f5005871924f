"""Use cases of managing accounts (admins in the browser, ``flask users`` on the shell)."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from campaign_app.accounts.models import CampaignMembership, Role, User
from campaign_app.accounts.passwords import (
    check_password_rules,
    hash_password,
    normalize_account_email,
)
from campaign_app.audit.service import record
from campaign_app.campaigns.models import Campaign
from campaign_app.errors import CampaignError
from campaign_app.extensions import db

log = logging.getLogger(__name__)


class AccountExists(CampaignError):
    """An account with this e-mail address exists already."""


class LastActiveAdmin(CampaignError):
    """The change would leave no active admin: make another admin first."""


def create_user(
    email: str,
    password: str,
    *,
    role: Role = Role.ORGANISER,
    name: str = "",
    campaign_ids: list[int] | None = None,
    via: str = "web",
) -> User:
    """Create an account (commits); raises AccountExists or WeakPassword."""
    email = normalize_account_email(email)
    check_password_rules(password, email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountExists(_l("An account with this e-mail address exists already."))
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), role=role)
    db.session.add(user)
    try:
        db.session.flush()
        _set_campaigns(user, campaign_ids or [])
        record(
            "account.created",
            via=via,
            target=f"account {user.id}",
            details={"role": role.value, "campaigns": sorted(campaign_ids or [])},
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountExists(_l("An account with this e-mail address exists already.")) from None
    log.info("Account %s created (%s)", user.id, user.role.value)
    return user


def _set_campaigns(user: User, campaign_ids: list[int]) -> None:
    wanted = set(campaign_ids)
    current = set(
        db.session.scalars(
            select(CampaignMembership.campaign_id).where(CampaignMembership.user_id == user.id)
        )
    )
    for campaign_id in current - wanted:
        membership = db.session.get(CampaignMembership, (user.id, campaign_id))
        db.session.delete(membership)
    for campaign_id in sorted(wanted - current):
        db.session.add(CampaignMembership(user_id=user.id, campaign_id=campaign_id))
    db.session.flush()
    db.session.expire(user, ["campaigns"])


def update_user(
    user: User, *, name: str, role: Role, is_active: bool, campaign_ids: list[int]
) -> None:
    """Change an account's name, role, state and campaigns (commits).

    Raises LastActiveAdmin when it would demote or deactivate the last active admin.
    """
    demoting = user.is_admin and (role is not Role.ADMIN or not is_active)
    if demoting and admin_count() <= 1:
        raise LastActiveAdmin()
    user.name = name.strip()
    user.role = role
    if user.is_active and not is_active:
        user.session_version += 1  # ends its sessions
    user.is_active = is_active
    _set_campaigns(user, campaign_ids)
    record(
        "account.updated",
        target=f"account {user.id}",
        details={"role": role.value, "active": is_active, "campaigns": sorted(campaign_ids)},
    )
    db.session.commit()


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def admin_count() -> int:
    """How many active admin accounts there are."""
    return int(
        db.session.scalar(
            select(func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True))
        )
        or 0
    )


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def unlock(user: User, *, via: str = "web") -> None:
    """Lift a lock-out after failed sign-ins (commits)."""
    user.failed_logins = 0
    user.locked_until = None
    record("account.unlocked", via=via, target=f"account {user.id}")
    db.session.commit()


def all_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.name)))
