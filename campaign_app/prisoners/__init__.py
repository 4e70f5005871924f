"""Prisoners: public pages with status, address (as of a date, with source) and how to write."""

from flask import Blueprint, Flask

bp = Blueprint("prisoners", __name__, url_prefix="/prisoners")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.prisoners import routes  # noqa: F401

    app.register_blueprint(bp)
