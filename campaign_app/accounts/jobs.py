"""Queue jobs that e-mail organisers (run by the worker, never inside a request)."""

from __future__ import annotations

import logging

from flask import current_app, render_template

from campaign_app import mail
from campaign_app.accounts.models import User
from campaign_app.accounts.passwords import make_reset_token
from campaign_app.extensions import db

log = logging.getLogger(__name__)


def send_password_reset(user_id: int) -> None:
    """Mail a password-reset link to the account (the link works once, for an hour)."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    link = f"{base}/account/reset/{make_reset_token(user)}"
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60
    context = {"user": user, "link": link, "minutes": minutes}
    with current_app.test_request_context(base_url=base):
        text = render_template("emails/password_reset.txt", **context)
    mail.send(mail.build_message(user.email, "Reset your organiser password", text))
    log.info("Password reset mail for account %s delivered to the transport", user.id)
