"""Appeals to officials: targets, templates per language, the composer (PDF, mailto) and
"I sent it" counts per target; kept apart from the cards to prisoners."""

from flask import Blueprint, Flask

bp = Blueprint("appeals", __name__, url_prefix="/appeals")


def init_app(app: Flask) -> None:
    """Register the public appeal pages and the organiser's target and template pages."""
    from campaign_app.appeals import routes  # noqa: F401

    app.register_blueprint(bp)
