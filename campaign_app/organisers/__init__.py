"""The organiser area's home: the campaigns and petitions a signed-in organiser works on."""

from flask import Blueprint, Flask

bp = Blueprint("organisers", __name__, url_prefix="/organise")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.organisers import routes  # noqa: F401

    app.register_blueprint(bp)
