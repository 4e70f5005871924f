"""The organiser area's home: the campaigns and petitions a signed-in organiser works on."""

from flask import Blueprint

bp = Blueprint("organisers", __name__, url_prefix="/organise")

from campaign_app.organisers import routes  # noqa: E402, F401
