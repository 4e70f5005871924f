"""`flask users ...`: create the first admin and look after accounts from the shell."""

from __future__ import annotations

import click
from sqlalchemy import select

from campaign_app.accounts import bp, service
from campaign_app.accounts.models import Role, User
from campaign_app.accounts.passwords import normalize_account_email
from campaign_app.accounts.users import service as users
from campaign_app.campaigns.models import Campaign
from campaign_app.errors import CampaignError
from campaign_app.extensions import db


def _prompt_password() -> str:
    return str(
        click.prompt(
            "Password (at least 12 characters)",
            hide_input=True,
            confirmation_prompt="Repeat the password",
        )
    )


def _create(email: str, role: Role, campaign_slugs: tuple[str, ...], name: str) -> None:
    campaign_ids = []
    for slug in campaign_slugs:
        campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == slug))
        if campaign_id is None:
            raise click.ClickException(f"No campaign with slug {slug!r}.")
        campaign_ids.append(campaign_id)
    password = _prompt_password()
    try:
        user = users.create_user(
            email, password, role=role, name=name, campaign_ids=campaign_ids, via="cli"
        )
    except CampaignError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role.value} account {user.email}. Sign in at /account/login.")


@bp.cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="The person's name, shown in the audit log.")
def create_admin(email: str, name: str) -> None:
    """Create an admin account; asks for the password twice (never on the command line)."""
    _create(email, Role.ADMIN, (), name)


@bp.cli.command("create")
@click.argument("email")
@click.option("--campaign", "campaigns", multiple=True, metavar="SLUG", help="Repeatable.")
@click.option("--name", default="")
def create_organiser(email: str, campaigns: tuple[str, ...], name: str) -> None:
    """Create an organiser account for the given campaigns; asks for the password."""
    _create(email, Role.ORGANISER, campaigns, name)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalize_account_email(email)))
    if user is None:
        raise click.ClickException(f"No account {email!r}.")
    return user


@bp.cli.command("list")
def list_users() -> None:
    """List accounts: e-mail, role, campaigns, second factor, state."""
    for user in users.list_users():
        campaigns = ", ".join(c.slug for c in user.campaigns) or "-"
        state = "active" if user.is_active else "deactivated"
        totp = "2FA" if user.has_totp else "password only"
        click.echo(f"{user.email}\t{user.role.value}\t{campaigns}\t{totp}\t{state}")


@bp.cli.command("set-password")
@click.argument("email")
def set_password(email: str) -> None:
    """Give an account a new password (asks for it) and end its sessions."""
    user = _user(email)
    try:
        service.set_password(user, _prompt_password(), via="cli")
    except CampaignError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password of {user.email} changed; its sessions are signed out.")


@bp.cli.command("unlock")
@click.argument("email")
def unlock(email: str) -> None:
    """Lift a lock-out after failed sign-ins."""
    user = _user(email)
    users.unlock(user, via="cli")
    click.echo(f"{user.email} unlocked.")


@bp.cli.command("reset-totp")
@click.argument("email")
def reset_totp(email: str) -> None:
    """Switch off an account's second factor (a lost phone)."""
    user = _user(email)
    service.disable_totp(user, via="cli")
    click.echo(f"Two-step sign-in of {user.email} is off.")
