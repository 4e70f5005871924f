"""Delivery exports of a petition's signatures in every format (CSV, XLSX, PDF, JSON).

The formats and their file types are defined here, before anything is imported, so that the
petitions CLI can name them while the packages load; exports.formats writes them.
"""

from flask import Blueprint

FORMATS = ("csv", "xlsx", "pdf", "json")
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
EXTENSIONS: dict[str, str] = {fmt: f".{fmt}" for fmt in FORMATS}

bp = Blueprint("exports", __name__, url_prefix="/organise")

from campaign_app.exports import models, routes  # noqa: E402, F401
