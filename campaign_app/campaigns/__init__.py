"""Campaigns: the umbrella an organiser runs, holding petitions and prisoners."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the campaign pages of the organiser area."""
    from campaign_app.campaigns.routes import bp

    app.register_blueprint(bp)
