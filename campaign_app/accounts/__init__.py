"""Organiser accounts: sign-in with lock-out and an optional TOTP code, password reset, users."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__, cli_group="users")
# The session key holding this sign-in's token (see accounts.sign_ins).
SIGN_IN_KEY = "sign_in"


def init_app(app: Flask) -> None:
    """Register the pages and CLI, and tell Flask-Login how to load the signed-in account."""
    # Importing the modules attaches their views and commands to the blueprint.
    from campaign_app.accounts import commands, routes  # noqa: F401
    from campaign_app.accounts.users import routes as user_pages  # noqa: F401
    from campaign_app.extensions import login_manager

    app.register_blueprint(bp)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)


def _load_user(user_id: str) -> object:
    """Flask-Login's loader: the account, if this session's sign-in has not been ended."""
    from flask import session

    from campaign_app.accounts import sign_ins
    from campaign_app.accounts.service import load_user

    user = load_user(user_id)
    if user is None or not sign_ins.is_live(user.id, session.get(SIGN_IN_KEY)):
        return None
    return user
