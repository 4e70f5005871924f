"""Replies: supporters report "I got a reply" (no content, no name); organisers see per
prisoner how many cards were reported sent and how many replies came back."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask

bp = Blueprint("replies", __name__, url_prefix="/replies")


def _reply_form() -> Any:
    from campaign_app.replies.forms import ReplyForm

    return ReplyForm(formdata=None)


def init_app(app: Flask) -> None:
    """Register the report pages, and the helpers the prisoner pages' templates use: the
    empty report form, the public count, and the organisers' summaries."""
    from campaign_app.replies import routes  # noqa: F401
    from campaign_app.replies.service import mail_summaries, mail_summary, public_replies

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        new_reply_form=_reply_form,
        public_replies=public_replies,
        mail_summary=mail_summary,
        mail_summaries=lambda prisoners: mail_summaries(p.id for p in prisoners),
    )
