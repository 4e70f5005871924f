"""Letters and cards to prisoners: occasions, phrasebook, composer, printable PDFs."""

from flask import Blueprint, Flask

bp = Blueprint("letters", __name__, url_prefix="/letters", cli_group="letters")


def init_app(app: Flask) -> None:
    """Register the letter pages and CLI, the organiser's reference-data pages, and the
    occasion names and "can a card be sent to this prisoner" as template helpers."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.letters import commands, printing_routes, routes  # noqa: F401
    from campaign_app.letters.labels import occasion_name
    from campaign_app.letters.reference.routes import bp as organise_bp
    from campaign_app.letters.service import can_write

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    app.jinja_env.globals.update(occasion_name=occasion_name, can_write=can_write)
