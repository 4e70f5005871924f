"""Statistics of petitions and cards: charts drawn on the server as SVG, numbers beside."""

from flask import Blueprint

bp = Blueprint("statistics", __name__, url_prefix="/organise")

from campaign_app.statistics import routes  # noqa: E402, F401
