"""Management in the browser: campaigns, petitions, prisoners, occasions, phrases, routes."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/organise")

from campaign_app.management import (  # noqa: E402, F401
    campaigns,
    prisoners,
    reference,
    translations,
)
