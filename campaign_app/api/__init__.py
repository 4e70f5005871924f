"""Read-only JSON API (v1), described by an OpenAPI 3 document."""

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.api import routes  # noqa: F401

    app.register_blueprint(bp)
