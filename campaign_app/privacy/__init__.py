"""Privacy operations: erase a signer (also on their e-mailed request), anonymise, purge."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, cli_group="privacy")

from campaign_app.privacy import commands, models, routes  # noqa: E402, F401
