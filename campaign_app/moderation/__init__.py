"""Moderation: search signatures, invalidate in bulk as a job (restorable), abuse reports."""

from flask import Blueprint, Flask

bp = Blueprint("moderation", __name__, url_prefix="/organise")

from campaign_app.moderation import models  # noqa: E402, F401 (the tables)


def init_app(app: Flask) -> None:
    """Register the pages, and the job that re-queues invalidations the queue lost."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.moderation import routes  # noqa: F401
    from campaign_app.moderation.jobs import requeue_lost_batches
    from campaign_app.queue import every_minute

    app.register_blueprint(bp)
    every_minute(app, requeue_lost_batches)
