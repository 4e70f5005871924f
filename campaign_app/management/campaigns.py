"""Management pages: campaigns and their petitions (create, edit, preview, state changes)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign_app.accounts.access import (
    admin_required,
    campaign_or_403,
    organiser_required,
    petition_or_403,
)
from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.labels import state_label
from campaign_app.management import bp
from campaign_app.management import campaign_service as service
from campaign_app.management.campaign_forms import CampaignForm, PetitionForm, StateForm
from campaign_app.microcache import microcache
from campaign_app.petitions.models import Petition
from campaign_app.security import form_keeps_entries

SLUG_TAKEN = _l("This web address is taken already; please choose another.")
SLUG_LOCKED = _l(
    "The web address cannot change once the petition has opened:"
    " confirmation e-mails and shared links use it."
)
FIELD_NEEDED = _l("An open petition needs this; close it first to leave it empty.")
ARCHIVE_CONFIRM = _l("Please type the web address exactly as shown to confirm archiving.")


def _status(form: CampaignForm | PetitionForm | StateForm) -> int:
    return 400 if form.errors else 200


# Campaigns ----------------------------------------------------------------------------


@bp.route("/campaigns/new", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def new_campaign() -> ResponseReturnValue:
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            campaign = service.create_campaign(form.to_input())
        except service.SlugTaken:
            form.slug.errors = [SLUG_TAKEN]
        else:
            flash(_("The campaign is created as a draft. Open it when it is ready."), "success")
            return redirect(url_for(".campaign", campaign_id=campaign.id))
    return render_template("manage/campaign_form.html", form=form, campaign=None), _status(form)


def _render_campaign(
    campaign: Campaign, state_form: StateForm | None = None, status: int = 200
) -> ResponseReturnValue:
    page = service.campaign_page(campaign)
    return render_template(
        "manage/campaign_show.html",
        page=page,
        actions=service.campaign_actions(campaign),
        state_form=state_form or StateForm(formdata=None),
    ), status


@bp.get("/campaigns/<int:campaign_id>")
@organiser_required
def campaign(campaign_id: int) -> ResponseReturnValue:
    return _render_campaign(campaign_or_403(campaign_id))


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit_campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        try:
            changed = service.update_campaign(campaign, form.to_input())
        except service.SlugTaken:
            form.slug.errors = [SLUG_TAKEN]
        else:
            _forget_public_pages()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".campaign", campaign_id=campaign.id))
    return render_template("manage/campaign_form.html", form=form, campaign=campaign), _status(form)


@bp.post("/campaigns/<int:campaign_id>/state")
@organiser_required
def campaign_state(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = StateForm()
    if not form.validate_on_submit():
        return _render_campaign(campaign, form, 400)
    if form.action.data == "archive" and form.confirm.data != campaign.slug:
        form.confirm.errors = [ARCHIVE_CONFIRM]
        return _render_campaign(campaign, form, 400)
    try:
        state = service.change_campaign_state(campaign, form.action.data)
    except service.StateChangeRefused as refusal:
        flash(str(refusal), "error")
        return _render_campaign(campaign, form, 409)
    _forget_public_pages()
    flash(_("The campaign is now %(state)s.", state=state_label(state.value)), "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


# Petitions ----------------------------------------------------------------------------


def _render_petition_form(
    form: PetitionForm,
    campaign: Campaign,
    petition: Petition | None,
    *,
    preview: bool = False,
    state_form: StateForm | None = None,
    status: int | None = None,
) -> ResponseReturnValue:
    return render_template(
        "manage/petition_form.html",
        form=form,
        campaign=campaign,
        petition=petition,
        preview=preview,
        actions=service.petition_actions(petition) if petition else [],
        missing=service.missing_for_opening(petition) if petition else [],
        state_form=state_form or StateForm(formdata=None),
    ), status if status is not None else _status(form)


def _wants_preview() -> bool:
    return "preview" in request.form


@bp.route("/campaigns/<int:campaign_id>/petitions/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new_petition(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = PetitionForm()
    if request.method == "GET":
        form.opens_at.data = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=1)
    if form.validate_on_submit():
        if _wants_preview():
            return _render_petition_form(form, campaign, None, preview=True)
        try:
            petition = service.create_petition(campaign, form.to_input())
        except service.SlugTaken:
            form.slug.errors = [SLUG_TAKEN]
        else:
            flash(_("The petition is saved as a draft. Open it when it is ready."), "success")
            return redirect(url_for(".edit_petition", petition_id=petition.id))
    return _render_petition_form(form, campaign, None)


def _edit_petition(petition: Petition, *, preview: bool) -> ResponseReturnValue:
    form = PetitionForm(obj=petition)
    if form.validate_on_submit():
        if preview:
            return _render_petition_form(form, petition.campaign, petition, preview=True)
        try:
            changed = service.update_petition(petition, form.to_input())
        except service.SlugTaken:
            form.slug.errors = [SLUG_TAKEN]
        except service.SlugLocked:
            form.slug.errors = [SLUG_LOCKED]
        except service.FieldsRequired as required:
            for name in required.names:
                form[name].errors = [FIELD_NEEDED]
        else:
            _forget_public_pages()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".edit_petition", petition_id=petition.id))
    return _render_petition_form(form, petition.campaign, petition)


@bp.route("/petitions/<int:petition_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit_petition(petition_id: int) -> ResponseReturnValue:
    return _edit_petition(petition_or_403(petition_id), preview=_wants_preview())


@bp.post("/petitions/<int:petition_id>/preview")
@form_keeps_entries
@organiser_required
def preview_petition(petition_id: int) -> ResponseReturnValue:
    """The edit form again with the text rendered as the public will see it; saves nothing."""
    return _edit_petition(petition_or_403(petition_id), preview=True)


@bp.post("/petitions/<int:petition_id>/state")
@organiser_required
def petition_state(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = StateForm()
    edit_form = PetitionForm(formdata=None, obj=petition)
    if not form.validate_on_submit():
        return _render_petition_form(
            edit_form, petition.campaign, petition, state_form=form, status=400
        )
    if form.action.data == "archive" and form.confirm.data != petition.slug:
        form.confirm.errors = [ARCHIVE_CONFIRM]
        return _render_petition_form(
            edit_form, petition.campaign, petition, state_form=form, status=400
        )
    try:
        state = service.change_petition_state(petition, form.action.data)
    except service.StateChangeRefused as refusal:
        flash(str(refusal), "error")
        return _render_petition_form(
            edit_form, petition.campaign, petition, state_form=form, status=409
        )
    _forget_public_pages()
    flash(_("The petition is now %(state)s.", state=state_label(state.value)), "success")
    return redirect(url_for(".edit_petition", petition_id=petition.id))


def _forget_public_pages() -> None:
    """This worker shows the change at once (others within MICROCACHE_SECONDS)."""
    microcache().clear()
