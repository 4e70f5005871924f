"""Letters and cards to prisoners: occasions, phrasebook, composer, printable PDFs."""

from flask import Blueprint, Flask

bp = Blueprint("letters", __name__, url_prefix="/letters", cli_group="letters")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.letters import commands, printing_routes, routes  # noqa: F401
    from campaign_app.letters.labels import occasion_name

    app.register_blueprint(bp)
    app.jinja_env.globals["occasion_name"] = occasion_name
