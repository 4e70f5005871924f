"""Exports in the browser: choose, watch the progress, download when ready."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_number
from flask_babel import gettext as _

from campaign_app.accounts.access import current_user, organiser_required, petition_or_403
from campaign_app.exports import bp, service
from campaign_app.exports.forms import ExportForm
from campaign_app.exports.models import ExportJob, ExportState
from campaign_app.exports.writers import EXTENSIONS, MEDIA_TYPES
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from campaign_app.security import form_keeps_entries


def _job_or_403(petition: Petition, export_id: int) -> ExportJob:
    job = db.session.get(ExportJob, export_id)
    if job is None or job.petition_id != petition.id:
        abort(403)
    return job


@bp.route("/petitions/<int:petition_id>/exports", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def index(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = ExportForm()
    if request.method == "GET":
        form.language.data = petition.language
    if form.validate_on_submit():
        job = service.request_export(
            petition,
            current_user(),
            form.format.data,
            form.to_selection(),
            bom=form.bom.data,
            language=form.language.data or petition.language,
        )
        return redirect(url_for(".job", petition_id=petition.id, export_id=job.id))
    return render_template(
        "exports/index.html",
        petition=petition,
        form=form,
        jobs=service.recent_jobs(petition.id),
        requested_by=service.requested_by,
    ), 400 if form.errors else 200


@bp.get("/petitions/<int:petition_id>/exports/<int:export_id>")
@organiser_required
def job(petition_id: int, export_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    export = _job_or_403(petition, export_id)
    return render_template(
        "exports/job.html",
        petition=petition,
        job=export,
        ready=service.file_ready(export),
        finished=export.state not in (ExportState.QUEUED, ExportState.RUNNING),
    )


@bp.get("/petitions/<int:petition_id>/exports/<int:export_id>/status")
@organiser_required
def status(petition_id: int, export_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    export = _job_or_403(petition, export_id)
    ready = service.file_ready(export)
    response = jsonify(
        state=export.state.value,
        done=export.done,
        total=export.total,
        finished=export.state not in (ExportState.QUEUED, ExportState.RUNNING),
        text=_(
            "%(done)s of %(total)s signatures",
            done=format_number(export.done),
            total=format_number(export.total),
        ),
        download_url=url_for(".download", petition_id=petition.id, export_id=export.id)
        if ready
        else None,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/petitions/<int:petition_id>/exports/<int:export_id>/download")
@organiser_required
def download(petition_id: int, export_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    export = _job_or_403(petition, export_id)
    pieces = service.open_file(export)
    if pieces is None:
        abort(404)
    service.record_download(export, petition)
    stamp = export.finished_at.strftime("%Y-%m-%d") if export.finished_at else "export"
    # Streamed as it is read, from the folder or the database (exports.storage): the whole
    # file is never in memory, and any node serves what any node's worker built.
    response = current_app.response_class(
        stream_with_context(pieces), mimetype=MEDIA_TYPES[export.format]
    )
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=f"{petition.slug}-signatures-{stamp}{EXTENSIONS[export.format]}",
    )
    response.content_length = export.size_bytes
    response.headers["Cache-Control"] = "no-store, private"
    return response
