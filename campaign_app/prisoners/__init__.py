"""Prisoners: public pages (status, address as of a date, how to write); organisers' records."""

from flask import Blueprint, Flask

bp = Blueprint("prisoners", __name__, url_prefix="/prisoners")


def init_app(app: Flask) -> None:
    """Register the public prisoner pages and the organiser's prisoner pages."""
    # Importing the module attaches its views to the blueprint.
    from campaign_app.prisoners import routes  # noqa: F401
    from campaign_app.prisoners.organise.routes import bp as organise_bp

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    app.jinja_env.globals["prisoner_name"] = _prisoner_name


def _prisoner_name(prisoner: object) -> str:
    """Template helper: the prisoner's name as a reader of the page's language writes it."""
    from flask_babel import get_locale

    return str(prisoner.name_in(str(get_locale())))  # type: ignore[attr-defined]
