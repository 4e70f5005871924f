"""Appeal pages of the organiser area: a campaign's officials and the texts for them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.accounts.access import (
    campaign_or_403,
    current_user,
    may_manage,
    organiser_required,
)
from campaign_app.appeals import service as appeals_service
from campaign_app.appeals.models import AppealTarget, AppealTemplate
from campaign_app.appeals.organise import service
from campaign_app.appeals.organise.forms import TargetForm, TemplateForm
from campaign_app.appeals.text import PLACEHOLDERS
from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db
from campaign_app.field_errors import InvalidFields, form_status, show_errors
from campaign_app.security import form_keeps_entries

bp = Blueprint("appeals_organise", __name__, url_prefix="/organise")


def target_or_403(target_id: int) -> AppealTarget:
    """The target, if the signed-in account works on its campaign; else 403 (missing too)."""
    target = db.session.get(AppealTarget, target_id)
    if target is None or not may_manage(current_user(), target.campaign_id):
        abort(403)
    return target


def template_or_403(template_id: int) -> AppealTemplate:
    template = db.session.get(AppealTemplate, template_id)
    if template is None or not may_manage(current_user(), template.target.campaign_id):
        abort(403)
    return template


@bp.get("/campaigns/<int:campaign_id>/appeals")
@organiser_required
def targets(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    rows = service.list_targets(campaign)
    return render_template(
        "appeals/organise/list.html",
        campaign=campaign,
        targets=rows,
        counts=appeals_service.sent_counts(target.id for target in rows),
    )


def _render_target(
    form: TargetForm, campaign: Campaign, target: AppealTarget | None
) -> ResponseReturnValue:
    return render_template(
        "appeals/organise/target_form.html", form=form, campaign=campaign, target=target
    ), form_status(form)


@bp.route("/campaigns/<int:campaign_id>/appeals/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new_target(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = TargetForm()
    if form.validate_on_submit():
        try:
            target = service.create_target(campaign, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s added. Now write the appeal's text.", name=target.name), "success")
            return redirect(url_for(".new_template", appeal_target_id=target.id))
    return _render_target(form, campaign, None)


@bp.route("/appeal-targets/<int:appeal_target_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit_target(appeal_target_id: int) -> ResponseReturnValue:
    target = target_or_403(appeal_target_id)
    form = TargetForm()
    if request.method == "GET":
        form.fill(target)
    elif form.validate_on_submit():
        try:
            changed = service.update_target(target, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(
                _("%(name)s saved.", name=target.name) if changed else _("Nothing changed."),
                "success" if changed else "info",
            )
            return redirect(url_for(".edit_target", appeal_target_id=target.id))
    return _render_target(form, target.campaign, target)


def _render_template(
    form: TemplateForm, target: AppealTarget, template: AppealTemplate | None
) -> ResponseReturnValue:
    return render_template(
        "appeals/organise/template_form.html",
        form=form,
        target=target,
        template=template,
        placeholders=PLACEHOLDERS,
    ), form_status(form)


@bp.route("/appeal-targets/<int:appeal_target_id>/templates/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new_template(appeal_target_id: int) -> ResponseReturnValue:
    target = target_or_403(appeal_target_id)
    form = TemplateForm()
    if request.method == "GET":
        used = {template.language.value for template in target.templates}
        form.language.data = target.language.value if target.language.value not in used else "en"
    elif form.validate_on_submit():
        try:
            service.create_template(target, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_("The text is saved: supporters can write this appeal now."), "success")
            return redirect(url_for(".edit_target", appeal_target_id=target.id) + "#templates")
    return _render_template(form, target, None)


@bp.route("/appeal-templates/<int:appeal_template_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit_template(appeal_template_id: int) -> ResponseReturnValue:
    template = template_or_403(appeal_template_id)
    form = TemplateForm()
    if request.method == "GET":
        form.fill(template)
    elif form.validate_on_submit():
        try:
            changed = service.update_template(template, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(
                _("The text is saved.") if changed else _("Nothing changed."),
                "success" if changed else "info",
            )
            return redirect(
                url_for(".edit_target", appeal_target_id=template.target_id) + "#templates"
            )
    return _render_template(form, template.target, template)
