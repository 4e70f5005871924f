"""Petitions: signing with e-mail confirmation, exact counts, public pages, organiser pages."""

from flask import Blueprint, Flask

bp = Blueprint("petitions", __name__, url_prefix="/petitions", cli_group="petitions")

from campaign_app.petitions import commands, routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Register the public petition pages (and CLI) and the organiser's petition pages."""
    from campaign_app.petitions.organise.routes import bp as organise_bp

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
