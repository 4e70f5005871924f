"""Queue jobs that e-mail organisers (run by the worker, never inside a request)."""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from campaign_app import mail
from campaign_app.accounts.models import User
from campaign_app.accounts.passwords import make_reset_token
from campaign_app.extensions import db

log = logging.getLogger(__name__)


def send_password_reset(user_id: int, locale: str = "en") -> None:
    """Mail a password-reset link to the account (the link works once, for an hour), in
    ``locale``: the language of the page where it was asked for."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    link = f"{base}/account/reset/{make_reset_token(user)}"
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60
    context = {"user": user, "link": link, "minutes": minutes}
    with current_app.test_request_context(base_url=base), force_locale(locale):
        text = render_template("emails/password_reset.txt", **context)
        subject = _("Reset your organiser password")
    mail.send(mail.build_message(user.email, subject, text))
    log.info("Password reset mail for account %s delivered to the transport", user.id)
