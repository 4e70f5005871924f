"""Prisoners: public pages (status, address as of a date, how to write); organisers' records."""

from typing import Any

from flask import Blueprint, Flask

from campaign_app.petitions.page import register_version_part

bp = Blueprint("prisoners", __name__, url_prefix="/prisoners", cli_group="prisoners")


def init_app(app: Flask) -> None:
    """Register the public prisoner pages (the registry), the organiser's prisoner pages,
    the commands, the cards-sent tally, and the name in the reader's language as a template
    helper."""
    # Importing the module attaches its views to the blueprint.
    from campaign_app.prisoners import commands, routes  # noqa: F401
    from campaign_app.prisoners.names import local_name
    from campaign_app.prisoners.organise import import_routes  # noqa: F401
    from campaign_app.prisoners.organise.routes import bp as organise_bp
    from campaign_app.prisoners.tallies import listen

    listen()  # each card report counts on its prisoner (the registry's "fewest cards")

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    # One helper under two names: ``prisoner_name`` (content's templates) and ``local_name``
    # (journeys' templates; it also names calendar events).
    app.jinja_env.globals["prisoner_name"] = local_name
    app.jinja_env.globals["local_name"] = local_name
    register_version_part(app, _petition_page_version)


def _petition_page_version(petition_id: Any, campaign_id: Any) -> list[Any]:
    """What changes when the campaign's prisoners (portrait, names, "write a card") do."""
    from sqlalchemy import func, select

    from campaign_app.prisoners.models import Prisoner, PrisonerAddress

    of_campaign = Prisoner.campaign_id == campaign_id
    return [
        select(func.count(Prisoner.id)).where(of_campaign).scalar_subquery(),
        select(func.max(Prisoner.updated_at)).where(of_campaign).scalar_subquery(),
        # Addresses are added (a new version), never edited.
        select(func.count(PrisonerAddress.id)).join(Prisoner).where(of_campaign).scalar_subquery(),
        select(func.max(PrisonerAddress.id)).join(Prisoner).where(of_campaign).scalar_subquery(),
    ]
