"""Delivery exports of a petition's signatures in every format (CSV, XLSX, PDF, JSON)."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/organise")

from campaign_app.exports import models, routes  # noqa: E402, F401
