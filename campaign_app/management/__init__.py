"""Management in the browser: campaigns, petitions, prisoners, occasions, phrases, routes."""

from flask import Blueprint, Flask

bp = Blueprint("manage", __name__, url_prefix="/organise")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.management import campaigns, prisoners, reference, translations  # noqa: F401

    app.register_blueprint(bp)
