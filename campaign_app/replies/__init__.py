"""Replies: supporters report "I got a reply" (no content, no name); organisers see per
prisoner how many cards were reported sent and how many replies came back."""

from flask import Blueprint, Flask

bp = Blueprint("replies", __name__, url_prefix="/replies")


def init_app(app: Flask) -> None:
    """Register the report pages and the template helpers the prisoner pages use."""
    from campaign_app.replies import routes  # noqa: F401

    app.register_blueprint(bp)
