"""Statistics of petitions and cards: charts drawn on the server as SVG, numbers beside."""

from flask import Blueprint, Flask

bp = Blueprint("statistics", __name__, url_prefix="/organise")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.statistics import routes  # noqa: F401

    app.register_blueprint(bp)
