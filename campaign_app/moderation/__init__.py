"""Moderation: search signatures, invalidate in bulk as a job (restorable), abuse reports."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/organise")

from campaign_app.moderation import models, routes  # noqa: E402, F401
