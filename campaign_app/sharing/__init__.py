"""Sharing and embedding: share links, OpenGraph tags and image, an embeddable counter."""

from flask import Blueprint

bp = Blueprint("sharing", __name__)

from campaign_app.sharing import routes  # noqa: E402, F401
