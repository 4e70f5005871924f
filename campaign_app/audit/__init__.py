"""The audit log of organiser actions, and its page."""

from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/organise/audit")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.audit import routes  # noqa: F401

    app.register_blueprint(bp)
