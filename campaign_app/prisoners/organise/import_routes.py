"""Import pages of the organiser area: upload a CSV list, preview its plan, commit it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.accounts.access import campaign_or_403, current_user, organiser_required
from campaign_app.campaigns.models import Campaign
from campaign_app.prisoners.imports import service
from campaign_app.prisoners.imports.csvfile import (
    INSTITUTION_COLUMNS,
    PRISONER_COLUMNS,
    FileRefused,
)
from campaign_app.prisoners.imports.plan import Plan
from campaign_app.prisoners.organise.forms import CommitImportForm, ImportForm
from campaign_app.prisoners.organise.routes import bp
from campaign_app.security import accepts_upload_of, form_keeps_entries

SHOWN = 200  # lines shown per section of the preview


def _render_upload(campaign: Campaign, form: ImportForm, refusal: str = "") -> ResponseReturnValue:
    return render_template(
        "prisoners/organise/import.html",
        campaign=campaign,
        form=form,
        refusal=refusal,
        prisoner_columns=PRISONER_COLUMNS,
        institution_columns=INSTITUTION_COLUMNS,
    ), (400 if form.errors or refusal else 200)


@bp.route("/campaigns/<int:campaign_id>/prisoners/import", methods=["GET", "POST"])
@form_keeps_entries
@accepts_upload_of("PRISONER_IMPORT_MAX_BYTES")
@organiser_required
def import_prisoners(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_upload(campaign, form)
    upload = form.file.data
    file_name = (upload.filename or "list.csv").rsplit("/", 1)[-1][:200]
    source = form.source.data or file_name
    try:
        stored = service.save_upload(campaign, file_name, upload.read(), source, current_user())
    except FileRefused as error:
        return _render_upload(campaign, form, error.message)
    return redirect(url_for(".import_preview", campaign_id=campaign.id, list_import_id=stored.id))


def _already_imported(campaign: Campaign) -> ResponseReturnValue:
    flash(_("This list has been imported already."), "info")
    return redirect(url_for(".prisoners", campaign_id=campaign.id))


def _render_preview(
    campaign: Campaign, list_import_id: int, plan: Plan, form: CommitImportForm, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "prisoners/organise/import_preview.html",
        campaign=campaign,
        list_import_id=list_import_id,
        plan=plan,
        form=form,
        shown=SHOWN,
    ), status


@bp.get("/campaigns/<int:campaign_id>/prisoners/imports/<int:list_import_id>")
@organiser_required
def import_preview(campaign_id: int, list_import_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    upload = service.get_upload(campaign, list_import_id) or abort(404)
    if upload.committed_at is not None:
        return _already_imported(campaign)
    try:
        plan = service.plan_file(campaign, upload.content, upload.source)
    except FileRefused as error:  # read at upload; kept here for a file stored otherwise
        return _render_upload(campaign, ImportForm(formdata=None), error.message)
    return _render_preview(campaign, upload.id, plan, CommitImportForm(digest=plan.digest()))


@bp.post("/campaigns/<int:campaign_id>/prisoners/imports/<int:list_import_id>/commit")
@form_keeps_entries
@organiser_required
def commit_import(campaign_id: int, list_import_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    upload = service.get_upload(campaign, list_import_id) or abort(404)
    if upload.committed_at is not None:  # a second click on Import
        return _already_imported(campaign)
    form = CommitImportForm()
    try:
        if not form.validate_on_submit():
            plan = service.plan_file(campaign, upload.content, upload.source)
            form.digest.data = plan.digest()
            return _render_preview(campaign, upload.id, plan, form, 400)
        done = service.commit_import(
            campaign,
            upload.content,
            upload.source,
            file_name=upload.file_name,
            accept_similar=bool(form.accept_similar.data),
            expected_digest=form.digest.data or "",
            upload=upload,
        )
    except FileRefused as error:
        return _render_upload(campaign, ImportForm(formdata=None), error.message)
    except service.ImportRefused as refused:
        form.digest.data = refused.plan.digest()
        if refused.reason == "changed":
            flash(
                _(
                    "The records changed since this preview (another import or an edit):"
                    " nothing was imported. Check the preview again, then import."
                ),
                "error",
            )
        elif refused.reason == "similar":
            form.accept_similar.errors = [
                _(
                    "Some lines may be prisoners already on record under another spelling."
                    " Check them; if they are different people, tick this box. Nothing was"
                    " imported."
                )
            ]
        else:
            flash(_("The file has errors: nothing was imported."), "error")
        return _render_preview(campaign, upload.id, refused.plan, form, 400)
    counts = done.summary
    flash(
        _(
            "Imported: %(new)d new, %(changed)d changed, %(moved)d transferred,"
            " %(released)d released; institutions: %(new_places)d new, %(changed_places)d"
            " changed.",
            new_places=counts["new_institutions"],
            changed_places=counts["changed_institutions"],
            new=counts["new_prisoners"],
            changed=counts["changed_prisoners"],
            moved=counts["transferred"],
            released=counts["released"],
        ),
        "success",
    )
    return redirect(url_for(".prisoners", campaign_id=campaign.id))
