"""Prisoners: public pages (status, address as of a date, how to write); organisers' records."""

from flask import Blueprint, Flask

bp = Blueprint("prisoners", __name__, url_prefix="/prisoners")

from campaign_app.prisoners import routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Register the public prisoner pages and the organiser's prisoner pages."""
    from campaign_app.prisoners.organise.routes import bp as organise_bp

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
