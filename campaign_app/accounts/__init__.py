"""Organiser accounts: sign-in with lock-out and an optional TOTP code, password reset, users."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, cli_group="users")

from campaign_app.accounts import commands, routes  # noqa: E402, F401
