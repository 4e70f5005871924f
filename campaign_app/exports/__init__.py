"""Delivery exports of a petition's signatures (CSV, XLSX, PDF, JSON), in one package.

rows.py is the row query, writers/ the formats, write.py the one function that writes a
selection to a file and audits it; it serves jobs.py (files built for the browser, kept by a
store of storage.py: a folder, or the database for several nodes; service.py and routes.py
for the pages) and commands.py (``flask petitions export``).
"""

from flask import Blueprint, Flask

bp = Blueprint("exports", __name__, url_prefix="/organise")

from campaign_app.exports import models  # noqa: E402, F401 (the tables)


def init_app(app: Flask) -> None:
    """Register the pages, the export command, and the jobs that re-queue lost exports and
    delete old files."""
    # Importing the modules attaches the views to this blueprint and the command to the
    # petitions blueprint's CLI group (see exports.commands).
    from campaign_app.exports import commands, routes  # noqa: F401
    from campaign_app.exports.jobs import delete_expired_exports, requeue_lost_exports
    from campaign_app.exports.storage import check_setting
    from campaign_app.queue import every_minute

    check_setting(app)
    app.register_blueprint(bp)
    every_minute(app, delete_expired_exports)
    every_minute(app, requeue_lost_exports)
