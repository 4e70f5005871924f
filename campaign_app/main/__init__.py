"""Site-wide pages: home, privacy note, health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from campaign_app.main import routes  # noqa: E402, F401
