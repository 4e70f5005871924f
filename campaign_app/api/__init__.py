"""Read-only JSON API (v1), described by an OpenAPI 3 document."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from campaign_app.api import routes  # noqa: E402, F401
