"""Campaign pages of the organiser area: create, show, edit, state changes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.accounts.access import admin_required, campaign_or_403, organiser_required
from campaign_app.campaigns import service
from campaign_app.campaigns.forms import SLUG_TAKEN, CampaignForm, StateForm
from campaign_app.campaigns.models import Campaign
from campaign_app.field_errors import form_status
from campaign_app.labels import state_label
from campaign_app.microcache import microcache
from campaign_app.security import form_keeps_entries

bp = Blueprint("campaigns", __name__, url_prefix="/organise")


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
    return render_template("campaigns/form.html", form=form, campaign=None), form_status(form)


def _render_campaign(
    campaign: Campaign, state_form: StateForm | None = None, status: int = 200
) -> ResponseReturnValue:
    page = service.campaign_page(campaign)
    return render_template(
        "campaigns/show.html",
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
    return render_template("campaigns/form.html", form=form, campaign=campaign), form_status(form)


@bp.post("/campaigns/<int:campaign_id>/state")
@organiser_required
def campaign_state(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = StateForm()
    if not form.validate_on_submit() or not form.is_confirmed(campaign.slug):
        return _render_campaign(campaign, form, 400)
    try:
        state = service.change_campaign_state(campaign, form.action.data)
    except service.StateChangeRefused as refusal:
        flash(str(refusal), "error")
        return _render_campaign(campaign, form, 409)
    _forget_public_pages()
    flash(_("The campaign is now %(state)s.", state=state_label(state.value)), "success")
    return redirect(url_for(".campaign", campaign_id=campaign.id))


def _forget_public_pages() -> None:
    """This worker shows the change at once (others within MICROCACHE_SECONDS)."""
    microcache().clear()
