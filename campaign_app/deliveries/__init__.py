"""Hand-ins: when, where and to whom a petition's signatures were handed in, what happened,
with photos; public on the petition's page and in the API once published."""

from flask import Blueprint, Flask

bp = Blueprint("deliveries", __name__, url_prefix="/hand-ins")


def init_app(app: Flask) -> None:
    """Register the photo route and the organiser pages."""
    # Importing the modules attaches their views to the blueprints.
    from campaign_app.deliveries import routes  # noqa: F401
    from campaign_app.deliveries.labels import outcome_label
    from campaign_app.deliveries.organise.routes import bp as organise_bp

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    app.jinja_env.globals["hand_in_outcome"] = outcome_label
