"""News to signers who asked for it: updates an organiser writes and an admin approves, sent
through the mail outbox in each signer's language; unsubscribing by link or one click."""

from typing import Any

from flask import Blueprint, Flask

from campaign_app.organisers.waiting import register_waiting_source
from campaign_app.petitions.page import register_version_part

bp = Blueprint("news", __name__)

from campaign_app.news import models  # noqa: E402, F401 (the tables)


def init_app(app: Flask) -> None:
    """Register the public pages (updates, unsubscribing), the organiser pages, the updates'
    e-mail as a source of the mail outbox, and the petition page's list of updates."""
    from campaign_app.news import routes  # noqa: F401
    from campaign_app.news.organise.routes import bp as organise_bp
    from campaign_app.news.outbox import NewsMail
    from campaign_app.outbox import register_mail_source

    app.register_blueprint(bp)
    app.register_blueprint(organise_bp)
    register_mail_source(app, NewsMail())
    app.jinja_env.globals["petition_news"] = _petition_news
    register_version_part(app, _petition_page_version)
    register_waiting_source(app, _updates_to_approve)


def _updates_to_approve(user: Any) -> list[Any]:
    """For an admin: the updates whose test went out after their last change (the ones that
    can be approved), on the dashboard."""
    from flask import url_for
    from flask_babel import get_locale
    from flask_babel import gettext as _
    from sqlalchemy import select

    from campaign_app.extensions import db
    from campaign_app.news.models import NewsUpdate, UpdateState
    from campaign_app.organisers.waiting import WaitingItem

    if not user.is_admin:
        return []
    ready = db.session.scalars(
        select(NewsUpdate)
        .where(
            NewsUpdate.state == UpdateState.DRAFT,
            NewsUpdate.test_sent_at >= NewsUpdate.changed_at,
        )
        .order_by(NewsUpdate.test_sent_at)
    )
    items = []
    locale = str(get_locale())
    for update in ready:
        # The subject in the reader's language when the update has it.
        text = next((t for t in update.texts if t.locale == locale), None) or next(
            iter(update.texts), None
        )
        items.append(
            WaitingItem(
                label=_("Update to approve: “%(subject)s”", subject=text.subject if text else "–"),
                url=url_for("news_organise.show", update_id=update.id),
                since=update.test_sent_at,
            )
        )
    return items


def _petition_page_version(petition_id: Any, campaign_id: Any) -> list[Any]:
    """What changes when the petition's public updates do: approving one adds to both (an
    approved update's texts no longer change)."""
    from sqlalchemy import func, or_, select

    from campaign_app.news.models import NewsUpdate
    from campaign_app.news.service import APPROVED_STATES

    # Plain compares rather than IN: an IN list is expanded again on every execution.
    approved = or_(*(NewsUpdate.state == state for state in APPROVED_STATES))
    public = (NewsUpdate.petition_id == petition_id, approved)
    return [
        select(func.count(NewsUpdate.id)).where(*public).scalar_subquery(),
        select(func.max(NewsUpdate.approved_at)).where(*public).scalar_subquery(),
    ]


def _petition_news(petition: object) -> object:
    """Template helper: the petition's approved updates in the page's language."""
    from flask_babel import get_locale

    from campaign_app.news.service import public_updates

    return public_updates(petition, str(get_locale()))  # type: ignore[arg-type]
