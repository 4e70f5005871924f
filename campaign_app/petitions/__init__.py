"""Petitions: signing with e-mail confirmation, exact counts, public pages."""

from flask import Blueprint

bp = Blueprint("petitions", __name__, url_prefix="/petitions", cli_group="petitions")

from campaign_app.petitions import commands, routes  # noqa: E402, F401
