"""The audit log of organiser actions, and its page."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/organise/audit")

from campaign_app.audit import routes  # noqa: E402, F401
