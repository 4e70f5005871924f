"""Delivery exports of a petition's signatures in every format (CSV, XLSX, PDF, JSON).

The formats and their file types are defined here, before anything is imported, so that the
petitions CLI can name them while the packages load; exports.formats writes them.
"""

from flask import Blueprint, Flask

FORMATS = ("csv", "xlsx", "pdf", "json")
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
EXTENSIONS: dict[str, str] = {fmt: f".{fmt}" for fmt in FORMATS}

bp = Blueprint("exports", __name__, url_prefix="/organise")

from campaign_app.exports import models  # noqa: E402, F401 (the tables)


def init_app(app: Flask) -> None:
    """Register the pages, and the jobs that re-queue lost exports and delete old files."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.exports import routes  # noqa: F401
    from campaign_app.exports.service import delete_expired_exports, requeue_lost_exports
    from campaign_app.queue import every_minute

    app.register_blueprint(bp)
    every_minute(app, delete_expired_exports)
    every_minute(app, requeue_lost_exports)
