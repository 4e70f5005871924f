"""Prisoners: public pages with status, address (as of a date, with source) and how to write."""

from flask import Blueprint

bp = Blueprint("prisoners", __name__, url_prefix="/prisoners")

from campaign_app.prisoners import routes  # noqa: E402, F401
