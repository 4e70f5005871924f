"""Sharing and embedding: share links, OpenGraph tags and image, an embeddable counter."""

from flask import Blueprint, Flask

bp = Blueprint("sharing", __name__)


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.sharing import routes  # noqa: F401

    app.register_blueprint(bp)
