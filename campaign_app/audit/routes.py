"""The audit log page: admins see everything, organisers their campaigns' events."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from campaign_app.accounts.access import current_user, organiser_required, visible_campaign_ids
from campaign_app.audit import bp, service


@bp.get("/")
@organiser_required
def index() -> ResponseReturnValue:
    user = current_user()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    action = request.args.get("action", "", type=str)[:60]
    campaign_ids = None if user.is_admin else visible_campaign_ids(user)
    events, has_next = service.page_of_events(campaign_ids, page=page, action=action)
    return render_template(
        "audit/index.html", events=events, page=page, has_next=has_next, action=action
    )
