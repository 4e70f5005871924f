"""Appeals to officials: targets, templates per language, the composer (PDF, mailto) and
"I sent it" counts per target; kept apart from the cards to prisoners."""

from flask import Blueprint, Flask

bp = Blueprint("appeals", __name__, url_prefix="/appeals")


def init_app(app: Flask) -> None:
    """Register the public appeal pages, the organiser's target and template pages, and the
    helper that lists a prisoner's appeal targets (the prisoner and card pages link to them)."""
    # Importing the module attaches its views to the blueprint.
    from campaign_app.appeals import routes  # noqa: F401
    from campaign_app.appeals.organise.routes import bp as organise_bp
    from campaign_app.appeals.service import targets_for_prisoner

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    app.jinja_env.globals["appeal_targets_for"] = targets_for_prisoner
