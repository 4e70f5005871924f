"""Site-wide pages: home, privacy note, health check."""

from flask import Blueprint, Flask

bp = Blueprint("main", __name__)


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.main import routes  # noqa: F401

    app.register_blueprint(bp)
