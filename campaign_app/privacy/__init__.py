"""Privacy operations: erase a signer (also on their e-mailed request), anonymise, purge."""

from flask import Blueprint, Flask

bp = Blueprint("privacy", __name__, cli_group="privacy")

from campaign_app.privacy import models  # noqa: E402, F401 (the tables)


def init_app(app: Flask) -> None:
    """Register the pages and CLI, the re-queue of lost work and the daily retention purge."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.privacy import commands, routes  # noqa: F401
    from campaign_app.privacy.jobs import (
        purge_if_due,
        requeue_lost_anonymising,
        resend_lost_erasure_links,
    )
    from campaign_app.queue import every_minute

    app.register_blueprint(bp)
    every_minute(app, resend_lost_erasure_links)
    every_minute(app, requeue_lost_anonymising)
    every_minute(app, purge_if_due)  # returns at once unless a day has passed
