"""Demo data: the 2011-2013 campaign for Ales Bialiatski (`flask demo load`)."""

from flask import Blueprint, Flask

bp = Blueprint("demo", __name__, cli_group="demo")


def init_app(app: Flask) -> None:
    """Register the pages."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.demo import commands  # noqa: F401

    app.register_blueprint(bp)
