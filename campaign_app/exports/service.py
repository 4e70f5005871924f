"""Exports asked for in the browser: ask for one, list them, find and audit a download.

The file itself is built by the worker (exports.jobs.build_export), queued here after the
job's row is committed. When the queue is down the organiser gets the same answer: the row
waits as "queued" and the worker's periodic re-queue sends it later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from sqlalchemy import select

from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.db import as_utc, utcnow
from campaign_app.exports import jobs
from campaign_app.exports.models import ExportJob, ExportState
from campaign_app.exports.rows import Selection, count_rows
from campaign_app.exports.storage import store_of
from campaign_app.exports.writers import FORMATS
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)

RECENT_JOBS = 20


def request_export(
    petition: Petition,
    user: User,
    fmt: str,
    selection: Selection,
    *,
    bom: bool,
    language: str | None = None,
) -> ExportJob:
    """Record the wish for an export (commits) and queue the job that builds it; a PDF is
    written in ``language`` (default: the petition's)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    job = ExportJob(
        petition_id=petition.id,
        requested_by_id=user.id,
        format=fmt,
        selection={
            **selection.as_dict(),
            "bom": bom,
            "language": language or petition.language,
        },
        total=count_rows(petition.id, selection),
    )
    db.session.add(job)
    db.session.commit()
    enqueue(jobs.build_export, job.id)  # never raises; a lost job is queued again later
    log.info("Export %s of petition %s asked for (%s)", job.id, petition.id, fmt)
    return job


def recent_jobs(petition_id: int) -> list[ExportJob]:
    """The petition's latest exports, newest first."""
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.petition_id == petition_id)
            .order_by(ExportJob.id.desc())
            .limit(RECENT_JOBS)
        )
    )


def requested_by(job: ExportJob) -> str:
    """The e-mail of the organiser who asked for the export, or "-" once the account is gone."""
    user = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    return user.email if user else "-"


def _downloadable(job: ExportJob) -> bool:
    if job.state is not ExportState.DONE or not job.file_name:
        return False
    return job.expires_at is None or as_utc(job.expires_at) > utcnow()


def file_ready(job: ExportJob) -> bool:
    """Whether the finished file of ``job`` can be downloaded (not expired, not gone)."""
    return _downloadable(job) and store_of(job).has(job)


def open_file(job: ExportJob) -> Iterator[bytes] | None:
    """The file of ``job`` in pieces to stream, read as they are sent (from whichever node's
    store holds it); None when not ready, expired or gone."""
    return store_of(job).read(job) if _downloadable(job) else None


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
