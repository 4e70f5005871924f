"""Export jobs: ask for an export in the browser, build it in the worker, download it, expire it.

Files are written under EXPORT_FOLDER with random names, to a ".part" file renamed when
complete, so a download never sees half a file. They are deleted EXPORT_KEEP_HOURS later.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.db import as_utc, utcnow
from campaign_app.errors import scrub
from campaign_app.exports import EXTENSIONS, FORMATS, formats
from campaign_app.exports.models import ExportJob, ExportState
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)

RECENT_JOBS = 20


def export_folder() -> Path:
    folder = Path(
        current_app.config["EXPORT_FOLDER"] or Path(current_app.instance_path) / "exports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def request_export(
    petition: Petition, user: User, fmt: str, selection: formats.Selection, *, bom: bool
) -> ExportJob:
    """Record the wish for an export (commits); the caller queues ``build_export``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    job = ExportJob(
        petition_id=petition.id,
        requested_by_id=user.id,
        format=fmt,
        selection={**selection.as_dict(), "bom": bom},
        total=formats.count_rows(petition.id, selection),
    )
    db.session.add(job)
    db.session.commit()
    log.info("Export %s of petition %s queued (%s)", job.id, petition.id, fmt)
    return job


def recent_jobs(petition_id: int) -> list[ExportJob]:
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.petition_id == petition_id)
            .order_by(ExportJob.id.desc())
            .limit(RECENT_JOBS)
        )
    )


def requested_by(job: ExportJob) -> str:
    user = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    return user.email if user else "-"


def build_export(export_id: int) -> None:
    """Queue job: write the export file, with progress, then record it in the audit log."""
    # Claim the job in one statement: a job queued twice (see requeue_lost_exports) runs once.
    claimed = db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == export_id, ExportJob.state == ExportState.QUEUED)
        .values(state=ExportState.RUNNING)
    )
    db.session.commit()
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return
    job = db.session.get(ExportJob, export_id)
    petition = db.session.get(Petition, job.petition_id) if job is not None else None
    if job is None or petition is None:
        return
    selection = formats.Selection.from_dict(job.selection)
    name = f"{secrets.token_hex(16)}{EXTENSIONS[job.format]}"
    final = export_folder() / name
    partial = final.with_name(name + ".part")

    running = job

    def progress(done: int) -> None:
        running.done = done
        db.session.commit()

    try:
        with partial.open("wb") as out:
            written = formats.write_export(
                petition,
                selection,
                job.format,
                out,
                bom=bool(job.selection.get("bom")),
                progress=progress,
            )
        os.replace(partial, final)
    except Exception as error:
        db.session.rollback()
        partial.unlink(missing_ok=True)
        log.error("Export %s failed: %r", export_id, scrub(error))
        job = db.session.get(ExportJob, export_id)
        if job is not None:
            job.state = ExportState.FAILED
            job.error = "The export failed. Please try again; if it fails again, tell an admin."
            db.session.commit()
        return
    now = utcnow()
    job.state = ExportState.DONE
    job.done = job.total = written
    job.file_name = name
    job.size_bytes = final.stat().st_size
    job.finished_at = now
    job.expires_at = now + timedelta(hours=int(current_app.config["EXPORT_KEEP_HOURS"]))
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    record(
        "signatures.exported",
        actor=actor,
        via="job",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"export {job.id}",
        rows=written,
        details={"format": job.format, **job.selection},
    )
    db.session.commit()
    log.info("Export %s of petition %s done: %s rows", job.id, petition.id, written)


def file_of(job: ExportJob) -> Path | None:
    """The finished file of ``job``, or None when not ready, expired or gone."""
    if job.state is not ExportState.DONE or not job.file_name:
        return None
    if job.expires_at is not None and as_utc(job.expires_at) <= utcnow():
        return None
    path = export_folder() / job.file_name
    return path if path.is_file() else None


def record_download(job: ExportJob, petition: Petition) -> None:
    """Downloads are audited too (commits)."""
    record(
        "signatures.export_downloaded",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"export {job.id}",
        rows=job.total,
        details={"format": job.format},
    )
    db.session.commit()


# A job still queued after this long was lost (the queue was down when it was asked for).
LOST_AFTER = timedelta(minutes=10)


def requeue_lost_exports() -> int:
    """Periodic job: queue again the exports that waited too long; returns how many."""
    stale = db.session.scalars(
        select(ExportJob.id).where(
            ExportJob.state == ExportState.QUEUED, ExportJob.created_at < utcnow() - LOST_AFTER
        )
    ).all()
    for export_id in stale:
        enqueue(build_export, export_id)
    if stale:
        log.warning("Queued %s export jobs again that had waited too long", len(stale))
    return len(stale)


def delete_expired_exports() -> int:
    """Periodic job: delete export files past EXPORT_KEEP_HOURS; returns how many."""
    now = utcnow()
    jobs = db.session.scalars(
        select(ExportJob).where(ExportJob.state == ExportState.DONE, ExportJob.expires_at <= now)
    ).all()
    for job in jobs:
        (export_folder() / job.file_name).unlink(missing_ok=True)
        job.state = ExportState.EXPIRED
        job.file_name = ""
    if jobs:
        db.session.commit()
        log.info("Deleted %s expired export files", len(jobs))
    return len(jobs)
