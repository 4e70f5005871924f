"""Letters and cards to prisoners: occasions, phrasebook, composer, printable PDFs."""

from flask import Blueprint, Flask

bp = Blueprint("letters", __name__, url_prefix="/letters", cli_group="letters")

from campaign_app.letters import commands, printing_routes, routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Register the letter pages (and CLI) and the organiser's reference-data pages."""
    from campaign_app.letters.reference.routes import bp as organise_bp

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
