"""Organiser pages of paper signatures: the sheet to print, the three ways of entering a
batch (counts, rows, CSV import with a preview), and a batch's invalidation and restoring."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign_app.accounts.access import current_user, organiser_required, petition_or_403
from campaign_app.extensions import db
from campaign_app.i18n import LANGUAGE_NAMES
from campaign_app.paper import bp
from campaign_app.paper.csvfile import FileRefused
from campaign_app.paper.forms import (
    MAX_FORM_ROWS,
    ROWS_SHOWN,
    CountsForm,
    ImportForm,
    SheetForm,
    UploadForm,
    rows_form,
)
from campaign_app.paper.models import PaperBatch
from campaign_app.paper.service import batches, entering, importing
from campaign_app.paper.sheet_texts import sheet_languages
from campaign_app.petitions.counting import read_counts
from campaign_app.petitions.models import Petition
from campaign_app.security import accepts_files, form_keeps_entries, takes_large_body


def _sheet_form(petition: Petition, formdata: Any = None) -> SheetForm:
    form = SheetForm(formdata=formdata)
    # Each language named in itself, marked with its lang (screen readers, the language gate).
    form.language.choices = [
        (code, LANGUAGE_NAMES.get(code, code), {"lang": code}) for code in sheet_languages(petition)
    ]
    if formdata is None:
        form.language.data = petition.language
    return form


def _index(petition: Petition, sheet_form: SheetForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "paper/index.html",
        petition=petition,
        counts=read_counts(db.session, petition.id),
        batches=batches.recent_batches(petition),
        sheet_form=sheet_form,
    ), status


@bp.get("/petitions/<int:petition_id>/paper")
@organiser_required
def index(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    return _index(petition, _sheet_form(petition))


@bp.get("/petitions/<int:petition_id>/paper/sheet.pdf")
@organiser_required
def sheet(petition_id: int) -> ResponseReturnValue:
    """The signature sheet as a PDF (reportlab loads here, on first use)."""
    petition = petition_or_403(petition_id)
    form = _sheet_form(petition, request.args)
    if not form.validate():
        return _index(petition, form, 400)
    from campaign_app.paper.sheet import sheet_pdf
    from campaign_app.paper.sheet_texts import sheet_texts

    first, sheets = form.first.data or 1, form.sheets.data or 1
    data = sheet_pdf(sheet_texts(petition, form.language.data), first, sheets)
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=f"{petition.slug}-sheets-{form.language.data}-{first:04d}.pdf",
    )
    return response


def _refused_petition(form: Any) -> None:
    form.event.errors = [
        *form.event.errors,
        _("The signers of this petition were anonymised: no signatures can be added."),
    ]


@bp.route("/petitions/<int:petition_id>/paper/counts", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def counts(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = CountsForm()
    if form.validate_on_submit():
        try:
            batch = entering.enter_counts(
                petition, form.batch_input(), form.signatures.data, current_user()
            )
        except entering.TooManySignatures as error:
            form.signatures.errors = [
                _("At most %(limit)s signatures at once.", limit=f"{error.limit:,}")
            ]
        except entering.PetitionAnonymised:
            _refused_petition(form)
        else:
            flash(_entered(batch), "success")
            return redirect(url_for(".batch", petition_id=petition.id, paper_batch_id=batch.id))
    return render_template("paper/counts.html", petition=petition, form=form), (
        400 if form.errors else 200
    )


@bp.route("/petitions/<int:petition_id>/paper/rows", methods=["GET", "POST"])
@form_keeps_entries
@takes_large_body("PAPER_ROWS_MAX_BYTES")
@organiser_required
def rows(petition_id: int) -> ResponseReturnValue:
    """Rows typed in from the sheets. Without JavaScript the form has a fixed number of rows
    and an "add more rows" button, which keeps what was typed."""
    petition = petition_or_403(petition_id)
    if request.method == "GET":
        shown = request.args.get("rows", type=int) or ROWS_SHOWN
        return render_template("paper/rows.html", petition=petition, form=rows_form(shown))
    posted = len([key for key in request.form if key.endswith("-first_name")])
    if posted > MAX_FORM_ROWS:
        form = rows_form(MAX_FORM_ROWS, request.form)
        form.validate()
        form.event.errors = [
            *form.event.errors,
            _(
                "At most %(rows)s rows in one form: enter the rest as another batch.",
                rows=MAX_FORM_ROWS,
            ),
        ]
        return render_template("paper/rows.html", petition=petition, form=form), 400
    if "more" in request.form:
        form = rows_form(posted + ROWS_SHOWN, request.form)
        form.validate()  # shows the marks; nothing is stored
        return render_template("paper/rows.html", petition=petition, form=form, added=True)
    form = rows_form(posted, request.form)
    if form.validate_on_submit():
        try:
            signers = form.signers()
            batch = entering.enter_rows(petition, form.batch_input(), signers, current_user())
        except entering.NoRows:
            form.rows[0].first_name.errors.append(_("Type at least one signature (a name)."))
        except entering.TooManySignatures as error:
            form.event.errors = [
                _("At most %(limit)s signatures at once.", limit=f"{error.limit:,}")
            ]
        except entering.PetitionAnonymised:
            _refused_petition(form)
        else:
            flash(_entered(batch), "success")
            return redirect(url_for(".batch", petition_id=petition.id, paper_batch_id=batch.id))
    return render_template("paper/rows.html", petition=petition, form=form), 400


@bp.route("/petitions/<int:petition_id>/paper/import", methods=["GET", "POST"])
@form_keeps_entries
@accepts_files
@takes_large_body("PAPER_IMPORT_MAX_BYTES")
@organiser_required
def upload(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        if file is None or not getattr(file, "filename", ""):
            form.file.errors = [_("Please choose a CSV file.")]
        else:
            try:
                kept = importing.upload(petition, file.read(), form.batch_input(), current_user())
            except FileRefused as refusal:
                form.file.errors = [refusal.message]
            except entering.PetitionAnonymised:
                _refused_petition(form)
            else:
                return redirect(url_for(".preview", petition_id=petition.id, import_id=kept.id))
    return render_template("paper/upload.html", petition=petition, form=form), (
        400 if form.errors else 200
    )


@bp.route("/petitions/<int:petition_id>/paper/import/<int:import_id>", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def preview(petition_id: int, import_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    try:
        kept = importing.get_import(petition, import_id, current_user())
    except importing.ImportGone:
        return render_template("paper/import_gone.html", petition=petition), 404
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        try:
            batch = importing.commit_import(
                petition,
                kept,
                sha256=form.sha256.data or "",
                expected=form.expected_rows(),
                include_duplicates=form.include_duplicates.data,
                user=current_user(),
            )
        except importing.ImportGone:
            return render_template("paper/import_gone.html", petition=petition), 404
        except importing.ImportFailed:
            form.expected.errors = [
                _("The import failed and nothing was imported. Please try again in a moment.")
            ]
            status = 503
            kept = importing.get_import(petition, import_id, current_user())
        except importing.ImportChanged as changed:
            form.expected.errors = [
                _(
                    "The file now gives %(count)s signatures to import, not the number shown"
                    " before (a batch was entered meanwhile). Check the preview again.",
                    count=changed.count,
                )
            ]
            status = 409
        except entering.PetitionAnonymised:
            form.expected.errors = [
                _("The signers of this petition were anonymised: no signatures can be added.")
            ]
            status = 400
        else:
            flash(_entered(batch), "success")
            return redirect(url_for(".batch", petition_id=petition.id, paper_batch_id=batch.id))
    elif request.method == "POST":
        status = 400
    result = importing.preview(petition, kept)
    if request.method == "GET" or not form.sha256.data:
        form.sha256.data = kept.sha256
    return render_template(
        "paper/preview.html", petition=petition, kept=kept, preview=result, form=form
    ), status


@bp.post("/petitions/<int:petition_id>/paper/import/<int:import_id>/cancel")
@organiser_required
def cancel(petition_id: int, import_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    try:
        kept = importing.get_import(petition, import_id, current_user())
    except importing.ImportGone:
        return redirect(url_for(".index", petition_id=petition.id))
    importing.cancel_import(petition, kept)
    flash(_("The uploaded file was deleted; nothing was imported."), "success")
    return redirect(url_for(".index", petition_id=petition.id))


def _batch_or_403(petition: Petition, paper_batch_id: int) -> PaperBatch:
    batch = batches.get_batch(petition, paper_batch_id)
    if batch is None:
        abort(403)
    return batch


@bp.get("/petitions/<int:petition_id>/paper/batches/<int:paper_batch_id>")
@organiser_required
def batch(petition_id: int, paper_batch_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    found = _batch_or_403(petition, paper_batch_id)
    return render_template("paper/batch.html", petition=petition, batch=found)


@bp.post("/petitions/<int:petition_id>/paper/batches/<int:paper_batch_id>/invalidate")
@organiser_required
def invalidate(petition_id: int, paper_batch_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    found = _batch_or_403(petition, paper_batch_id)
    reason = " ".join(str(request.form.get("reason", "")).split())[:300]
    try:
        changed = batches.invalidate_batch(petition, found, reason, current_user())
    except batches.BatchNotActive:
        flash(_("This batch is invalidated already."), "error")
    else:
        flash(
            ngettext(
                "%(num)s signature invalidated; the counts no longer include it.",
                "%(num)s signatures invalidated; the counts no longer include them.",
                changed,
            ),
            "success",
        )
    return redirect(url_for(".batch", petition_id=petition.id, paper_batch_id=found.id))


@bp.post("/petitions/<int:petition_id>/paper/batches/<int:paper_batch_id>/restore")
@organiser_required
def restore(petition_id: int, paper_batch_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    found = _batch_or_403(petition, paper_batch_id)
    try:
        changed = batches.restore_batch(petition, found, current_user())
    except batches.BatchNotInvalidated:
        flash(_("Only an invalidated batch can be restored."), "error")
    else:
        flash(
            ngettext(
                "%(num)s signature restored; the counts include it again.",
                "%(num)s signatures restored; the counts include them again.",
                changed,
            ),
            "success",
        )
    return redirect(url_for(".batch", petition_id=petition.id, paper_batch_id=found.id))


def _entered(batch: PaperBatch) -> str:
    return str(
        ngettext(
            "Batch entered: %(num)s signature.",
            "Batch entered: %(num)s signatures.",
            batch.signatures,
        )
    )
