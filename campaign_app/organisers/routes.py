"""The organiser home page and a petition's hub (statistics, exports, moderation, edit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from campaign_app.accounts.access import current_user, organiser_required, petition_or_403
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.i18n import offered_languages
from campaign_app.organisers import bp, service
from campaign_app.organisers.waiting import waiting_for
from campaign_app.outbox import get_outbox
from campaign_app.petitions.counting import read_counts
from campaign_app.petitions.organise.service import translation_languages


@bp.get("/")
@organiser_required
def dashboard() -> ResponseReturnValue:
    return render_template(
        "organisers/dashboard.html",
        campaigns=service.overview(current_user()),
        waiting=waiting_for(current_user()),
        mail_backlog=get_outbox().backlog(),
        mail_stalled_before=utcnow() - MAIL_STALLED_AFTER,
    )


# E-mail due for longer than this means no dispatcher is running (or the server is down).
MAIL_STALLED_AFTER = timedelta(minutes=10)


@bp.get("/petitions/<int:petition_id>")
@organiser_required
def petition(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    counts = read_counts(db.session, petition.id)
    return render_template(
        "organisers/petition.html",
        petition=petition,
        counts=counts,
        translations=translation_languages(petition, offered_languages()),
    )


# The organiser menus: pages of the installation (admins) and of one petition's hub.
_ADMIN_LINKS: tuple[tuple[str, Any], ...] = (
    ("accounts.users", _l("Accounts")),
    ("letters_organise.reference", _l("Occasions, phrases, postal routes")),
    ("privacy.erase_signer", _l("Erase a signer")),
)
_PETITION_LINKS: tuple[tuple[str, Any], ...] = (
    ("statistics.petition", _l("Statistics")),
    ("exports.index", _l("Exports")),
    ("moderation.index", _l("Moderation")),
    ("deliveries_organise.index", _l("Hand-ins")),
    ("news_organise.index", _l("News to signers")),
    ("paper.index", _l("Paper signatures")),
    ("petitions_organise.edit_petition", _l("Edit")),
    ("privacy.anonymise_petition", _l("Anonymise signers")),
)


@bp.app_context_processor
def _organiser_links() -> dict[str, Any]:
    return {"organiser_admin_links": _ADMIN_LINKS, "petition_links": _PETITION_LINKS}
