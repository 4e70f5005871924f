"""Export jobs in the worker: build a file asked for in the browser, queue again the jobs the
queue lost, delete expired files.

Files get random names and go to the store EXPORT_STORAGE chooses (exports.storage: a folder,
or the database so that any node can serve them); a download never sees half a file, and each
file is deleted EXPORT_KEEP_HOURS after it was built.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from campaign_app import queue
from campaign_app.accounts.models import User
from campaign_app.db import utcnow
from campaign_app.errors import scrub
from campaign_app.exports.models import ExportJob, ExportState
from campaign_app.exports.rows import Selection
from campaign_app.exports.storage import current_store, store_of
from campaign_app.exports.write import write_selection
from campaign_app.exports.writers import EXTENSIONS
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition

log = logging.getLogger(__name__)

# Kept in English with the job; the job's page shows it in the reader's language.
FAILED = "The export failed. Please try again; if it fails again, tell an admin."
_FAILED_TRANSLATED = _l("The export failed. Please try again; if it fails again, tell an admin.")


def build_export(export_id: int) -> None:
    """Queue job: write the export file with progress, audited, and mark the job done."""
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
    name = f"{secrets.token_hex(16)}{EXTENSIONS[job.format]}"
    store = current_store()
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    running = job

    def progress(done: int) -> None:
        running.done = done
        db.session.commit()

    try:
        with store.saving(job.id, name) as path:
            written = write_selection(
                petition,
                Selection.from_dict(job.selection),
                path,
                job.format,
                actor=actor,
                via="web",
                target=f"export {job.id}",
                bom=bool(job.selection.get("bom")),
                progress=progress,
                language=str(job.selection.get("language") or petition.language),
            )
            size = path.stat().st_size
    except Exception as error:
        db.session.rollback()
        log.error("Export %s failed: %r", export_id, scrub(error))
        failed = db.session.get(ExportJob, export_id)
        if failed is not None:
            failed.state = ExportState.FAILED
            failed.error = FAILED
            db.session.commit()
        return
    now = utcnow()
    job.state = ExportState.DONE
    job.done = job.total = written
    job.file_name = name
    job.stored_in = store.name
    job.size_bytes = size
    job.finished_at = now
    job.expires_at = now + timedelta(hours=int(current_app.config["EXPORT_KEEP_HOURS"]))
    db.session.commit()  # the job's end, its audit entry and a file in the database together
    log.info("Export %s of petition %s done: %s rows", job.id, petition.id, written)


def requeue_lost_exports() -> int:
    """Periodic job: queue again the exports still waiting since before queue.lost_before()."""
    lost = db.session.scalars(
        select(ExportJob.id).where(
            ExportJob.state == ExportState.QUEUED, ExportJob.created_at < queue.lost_before()
        )
    ).all()
    return queue.requeue_lost(build_export, lost, "export jobs")


def delete_expired_exports() -> int:
    """Periodic job: delete export files past EXPORT_KEEP_HOURS; returns how many.

    Every node's worker runs it: two at once delete the same files, which is harmless.
    """
    now = utcnow()
    jobs = db.session.scalars(
        select(ExportJob).where(ExportJob.state == ExportState.DONE, ExportJob.expires_at <= now)
    ).all()
    for job in jobs:
        store_of(job).delete(job)
        job.state = ExportState.EXPIRED
        job.file_name = ""
    if jobs:
        db.session.commit()
        log.info("Deleted %s expired export files", len(jobs))
    return len(jobs)
