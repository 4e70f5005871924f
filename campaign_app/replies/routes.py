"""The "I got a reply" report: a box on the prisoner page, and its own page for errors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.db import utcnow
from campaign_app.extensions import limiter
from campaign_app.field_errors import InvalidFields, show_errors
from campaign_app.prisoners import service as prisoners_service
from campaign_app.prisoners.models import Prisoner
from campaign_app.ratelimits import config_limit
from campaign_app.replies import bp, service
from campaign_app.replies.forms import ReplyForm
from campaign_app.security import form_keeps_entries


def _prisoner_or_404(slug: str) -> Prisoner:
    prisoner = prisoners_service.get_prisoner(slug)
    if prisoner is None:
        abort(404)
    return prisoner


def _render(prisoner: Prisoner, form: ReplyForm, status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "replies/report.html",
            prisoner=prisoner,
            reply_form=form,
            replies=service.public_replies(prisoner),
            today=utcnow().date(),
        ),
        status,
    )


@bp.get("/<prisoner_slug>")
def report_form(prisoner_slug: str) -> ResponseReturnValue:
    prisoner = _prisoner_or_404(prisoner_slug)
    return _render(prisoner, ReplyForm(formdata=None))


@bp.post("/<prisoner_slug>")
@form_keeps_entries
@limiter.limit(config_limit("REPLY_RATE_LIMIT_PER_IP"))
def report(prisoner_slug: str) -> ResponseReturnValue:
    prisoner = _prisoner_or_404(prisoner_slug)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render(prisoner, form, 400)
    try:
        service.record_reply(prisoner, form.received(), form.country.data or None)
    except InvalidFields as error:
        show_errors(form, error)
        return _render(prisoner, form, 400)
    flash(_("Thank you: the reply is counted. Nothing about you or the letter is kept."), "success")
    # The top of the page, where the thanks is shown (as after "I sent it" for cards).
    return redirect(url_for("prisoners.show", slug=prisoner.slug), 303)
