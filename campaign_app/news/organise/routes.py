"""Organiser pages of news updates: the list, writing and editing a draft, its page (preview,
test, approval by an admin, progress)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from campaign_app.accounts.access import (
    admin_required,
    current_user,
    organiser_required,
    petition_or_403,
)
from campaign_app.deliveries import service as deliveries_service
from campaign_app.deliveries.announce import announcement
from campaign_app.extensions import db
from campaign_app.field_errors import form_status
from campaign_app.markdown import render_markdown
from campaign_app.news import service
from campaign_app.news.messages import NAME, UNSUBSCRIBE, render_update
from campaign_app.news.models import NewsUpdate, NewsUpdateText, UpdateState
from campaign_app.news.organise.forms import UpdateForm, fill_from, make_update_form
from campaign_app.petitions.models import Petition
from campaign_app.security import form_keeps_entries

bp = Blueprint("news_organise", __name__, url_prefix="/organise")

ANONYMISED = _l("The signers of this petition were anonymised: nobody can be written to.")
SAVED_AS_DRAFT = _l(
    "The update is saved as a draft. Send yourself a test, then an admin approves it."
)
TEST_FIRST = _l("Send a test of this version first: approval needs one sent after the last change.")


def _update_or_403(update_id: int) -> tuple[NewsUpdate, Petition]:
    update = db.session.get(NewsUpdate, update_id)
    if update is None:
        abort(403)  # the same answer as for an update of another campaign
    return update, petition_or_403(update.petition_id)


def _limit_message() -> str:
    return str(
        ngettext(
            "This petition has sent its %(num)d update: no more can be written.",
            "This petition has sent its %(num)d updates: no more can be written.",
            service.max_updates(),
        )
    )


@bp.get("/petitions/<int:petition_id>/news")
@organiser_required
def index(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    updates = service.list_updates(petition.id)
    return render_template(
        "news/organise/index.html",
        petition=petition,
        updates=updates,
        progress={
            u.id: service.progress(u.id) for u in updates if u.state is not UpdateState.DRAFT
        },
        may_write=service.may_write_more(petition.id),
        limit_message=_limit_message(),
        max_updates=service.max_updates(),
    )


def _render_form(
    form: UpdateForm, petition: Petition, update: NewsUpdate | None, *, preview: bool = False
) -> ResponseReturnValue:
    previews = []
    if preview and not form.errors:
        data = form.to_input()
        # A copy that is never added to the session: what the texts would give.
        draft = NewsUpdate(
            id=update.id if update else 0,
            petition_id=petition.id,
            is_subject_neutral=data.is_subject_neutral,
        )
        draft.texts = [
            NewsUpdateText(
                locale=locale, subject=t.subject, neutral_subject=t.neutral_subject, body=t.body
            )
            for locale, t in data.texts.items()
        ]
        previews = [_preview(draft, petition, locale) for locale in data.texts]
    return render_template(
        "news/organise/form.html",
        form=form,
        petition=petition,
        update=update,
        previews=previews,
    ), form_status(form)


def _preview(update: NewsUpdate, petition: Petition, locale: str) -> dict[str, object]:
    """The e-mail as signers of ``locale`` get it, and the text as the public page shows it."""
    rendered = render_update(update, petition, locale)
    text = update.text_in(locale, petition.language)
    return {
        "locale": rendered.locale,
        "subject": rendered.subject,
        "email_text": rendered.text.replace(NAME, _("(first name)")).replace(
            UNSUBSCRIBE, _("(link to stop the news)")
        ),
        "page_subject": text.subject if text else "",
        "page_html": render_markdown(text.body if text else ""),
    }


def _hand_in_texts(petition: Petition, languages: list[str]) -> dict[str, Any]:
    """``?delivery=<id>``: a published hand-in of this petition, told in each language as
    the update's first draft; anything else: empty texts."""
    delivery_id = request.args.get("delivery", type=int)
    delivery = deliveries_service.get_delivery(delivery_id) if delivery_id else None
    if delivery is None or delivery.petition_id != petition.id or not delivery.is_published:
        return {}
    url = url_for(
        "petitions.show", slug=petition.slug, _external=True, _anchor=f"hand-in-{delivery.id}"
    )
    return {locale: announcement(delivery, url, locale) for locale in languages}


@bp.route("/petitions/<int:petition_id>/news/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    if not service.may_write_more(petition.id):
        flash(_limit_message(), "error")
        return redirect(url_for(".index", petition_id=petition.id))
    form = make_update_form(service.petition_languages(petition))
    if request.method == "GET":
        fill_from(form, _hand_in_texts(petition, form.languages), False)
    if form.validate_on_submit():
        if "preview" in request.form:
            return _render_form(form, petition, None, preview=True)
        try:
            update = service.write_update(petition, form.to_input(), current_user())
        except service.UpdateLimitReached:
            flash(_limit_message(), "error")
            return redirect(url_for(".index", petition_id=petition.id))
        except service.PetitionAnonymised:
            flash(str(ANONYMISED), "error")
            return redirect(url_for(".index", petition_id=petition.id))
        flash(str(SAVED_AS_DRAFT), "success")
        return redirect(url_for(".show", update_id=update.id))
    return _render_form(form, petition, None)


@bp.route("/news/<int:update_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit(update_id: int) -> ResponseReturnValue:
    update, petition = _update_or_403(update_id)
    if update.state is not UpdateState.DRAFT:
        flash(_("This update was approved: it can no longer change."), "error")
        return _show(update, petition, status=409)
    form = make_update_form(service.petition_languages(petition))
    if request.method == "GET":
        fill_from(form, {t.locale: t for t in update.texts}, update.is_subject_neutral)
    if form.validate_on_submit():
        if "preview" in request.form:
            return _render_form(form, petition, update, preview=True)
        try:
            service.edit_update(update, petition, form.to_input(), current_user())
        except service.UpdateNotDraft:
            flash(_("This update was approved: it can no longer change."), "error")
        else:
            flash(_("Saved. Send yourself a new test before it is approved."), "success")
        return redirect(url_for(".show", update_id=update.id))
    return _render_form(form, petition, update)


@bp.get("/news/<int:update_id>")
@organiser_required
def show(update_id: int) -> ResponseReturnValue:
    update, petition = _update_or_403(update_id)
    return _show(update, petition)


def _show(update: NewsUpdate, petition: Petition, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "news/organise/show.html",
        update=update,
        petition=petition,
        previews=[_preview(update, petition, t.locale) for t in update.texts],
        progress=service.progress(update.id) if update.state is not UpdateState.DRAFT else None,
        test_is_current=service.test_is_current(update),
        # Just asked for a test (the worker sends it in a moment): say so, not "send a test".
        test_pending=request.args.get("test") == "sent" and not service.test_is_current(update),
        may_approve=current_user().is_admin,
        may_write_more=service.may_write_more(petition.id),
        limit_message=_limit_message(),
    ), status


@bp.post("/news/<int:update_id>/test")
@organiser_required
def send_test(update_id: int) -> ResponseReturnValue:
    update, _petition = _update_or_403(update_id)
    if service.request_test(update, current_user()):
        address = current_user().email
        flash(
            _("A test is on its way to %(address)s, one e-mail per language.", address=address),
            "success",
        )
        return redirect(url_for(".show", update_id=update.id, test="sent"))
    flash(_("The test could not be queued. Please try again in a minute."), "error")
    return redirect(url_for(".show", update_id=update.id))


@bp.post("/news/<int:update_id>/approve")
@admin_required
def approve(update_id: int) -> ResponseReturnValue:
    update, petition = _update_or_403(update_id)
    try:
        service.approve(update, petition, current_user())
    except service.TestNeeded:
        flash(str(TEST_FIRST), "error")
    except service.UpdateNotDraft:
        flash(_("This update was approved already."), "error")
    except service.UpdateLimitReached:
        flash(_limit_message(), "error")
    except service.PetitionAnonymised:
        flash(str(ANONYMISED), "error")
    except service.ApprovalRefused:
        abort(403)
    else:
        flash(_("Approved: the update is public and being sent."), "success")
    return redirect(url_for(".show", update_id=update.id))
