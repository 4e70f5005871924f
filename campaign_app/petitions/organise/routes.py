"""Petition pages of the organiser area: create, edit, preview, state changes, translations."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign_app.accounts.access import (
    campaign_or_403,
    organiser_required,
    petition_or_403,
)
from campaign_app.campaigns.forms import SLUG_TAKEN, StateForm
from campaign_app.campaigns.models import Campaign
from campaign_app.campaigns.service import SlugTaken, StateChangeRefused
from campaign_app.db import utcnow
from campaign_app.field_errors import form_status
from campaign_app.i18n import offered_languages
from campaign_app.labels import state_label
from campaign_app.microcache import microcache
from campaign_app.petitions.models import Petition
from campaign_app.petitions.organise import service
from campaign_app.petitions.organise.forms import PetitionForm, TranslationForm
from campaign_app.security import form_keeps_entries
from campaign_app.translated import CONTENT_LANGUAGES

bp = Blueprint("petitions_organise", __name__, url_prefix="/organise")

SLUG_LOCKED = _l(
    "The web address cannot change once the petition has opened:"
    " confirmation e-mails and shared links use it."
)
FIELD_NEEDED = _l("An open petition needs this; close it first to leave it empty.")
LANGUAGE_TRANSLATED = _l(
    "The petition has a translation into this language: delete that translation first,"
    " then make this the petition's language."
)


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
        "petitions/organise/form.html",
        form=form,
        campaign=campaign,
        petition=petition,
        preview=preview,
        actions=service.petition_actions(petition) if petition else [],
        missing=[str(service.FIELD_LABELS[name]) for name in service.missing_for_opening(petition)]
        if petition
        else [],
        state_form=state_form or StateForm(formdata=None),
    ), status if status is not None else form_status(form)


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
        # Most organisers write in the language of the interface they use.
        locale = str(get_locale())
        if locale in CONTENT_LANGUAGES:
            form.language.data = locale
    if form.validate_on_submit():
        if _wants_preview():
            return _render_petition_form(form, campaign, None, preview=True)
        try:
            petition = service.create_petition(campaign, form.to_input())
        except SlugTaken:
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
        except SlugTaken:
            form.slug.errors = [SLUG_TAKEN]
        except service.SlugLocked:
            form.slug.errors = [SLUG_LOCKED]
        except service.LanguageTranslated:
            form.language.errors = [LANGUAGE_TRANSLATED]
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
    if not form.validate_on_submit() or not form.is_confirmed(petition.slug):
        return _render_petition_form(
            edit_form, petition.campaign, petition, state_form=form, status=400
        )
    try:
        state = service.change_petition_state(petition, form.action.data)
    except StateChangeRefused as refusal:
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


# Translations -------------------------------------------------------------------------


def _locale_or_404(petition: Petition, locale: str) -> str:
    if locale not in offered_languages() or locale == petition.language:
        abort(404)
    return locale


@bp.route("/petitions/<int:petition_id>/translations/<locale>", methods=["GET", "POST"])
@organiser_required
def petition_translation(petition_id: int, locale: str) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    locale = _locale_or_404(petition, locale)
    existing = service.translation_of(petition, locale)
    form = TranslationForm(obj=existing if request.method == "GET" else None)
    if request.method == "POST" and request.form.get("action") == "delete":
        if service.delete_translation(petition, locale):
            flash(_("The translation is deleted; visitors see the original text."), "success")
        return redirect(url_for("organisers.petition", petition_id=petition.id))
    if form.validate_on_submit():
        service.save_translation(petition, locale, form.to_input())
        flash(_("The translation is saved."), "success")
        return redirect(url_for("organisers.petition", petition_id=petition.id))
    return render_template(
        "petitions/organise/translation.html",
        petition=petition,
        locale=locale,
        form=form,
        existing=existing,
    ), form_status(form)
