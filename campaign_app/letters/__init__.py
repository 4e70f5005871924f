"""Letters and cards to prisoners: occasions, phrasebook, composer, printable PDFs."""

from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/letters", cli_group="letters")

from campaign_app.letters import commands, printing_routes, routes  # noqa: E402, F401
