"""Demo data: the 2011-2013 campaign for Ales Bialiatski (`flask demo load`)."""

from flask import Blueprint

bp = Blueprint("demo", __name__, cli_group="demo")

from campaign_app.demo import commands  # noqa: E402, F401
