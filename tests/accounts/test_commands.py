"""`flask users create-admin` asks for a password; the admin can then sign in."""

from __future__ import annotations

from sqlalchemy import select

from campaign_app.accounts.models import Role, User
from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db
from tests.factories import make_campaign
from tests.support.web import log_in

PASSWORD = "a long admin password"


def test_create_admin_prompts_for_the_password(app, runner, client):
    result = runner.invoke(
        args=["users", "create-admin", "Admin@Example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created admin account admin@example.org" in result.output
    assert PASSWORD not in result.output
    user = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert user.role is Role.ADMIN
    log_in(client, user, password=PASSWORD)
    assert client.get("/organise/users/").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.created"))
    assert event.actor_label.startswith("command line")


def test_create_admin_refuses_a_short_password_and_a_duplicate(app, runner):
    short = runner.invoke(args=["users", "create-admin", "a@example.org"], input="short\nshort\n")
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    runner.invoke(
        args=["users", "create-admin", "b@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    again = runner.invoke(
        args=["users", "create-admin", "B@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert again.exit_code != 0
    assert "exists already" in again.output


def test_create_organiser_for_a_campaign_and_list(app, runner):
    campaign = make_campaign(slug="free-ales")
    result = runner.invoke(
        args=["users", "create", "org@example.org", "--campaign", "free-ales"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "org@example.org"))
    assert [c.id for c in user.campaigns] == [campaign.id]
    listing = runner.invoke(args=["users", "list"])
    assert "org@example.org\torganiser\tfree-ales" in listing.output
    unknown = runner.invoke(
        args=["users", "create", "x@example.org", "--campaign", "nope"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert "No campaign with slug 'nope'" in unknown.output
