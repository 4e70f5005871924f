"""Queue jobs of moderation: run a bulk invalidation, restore one, re-queue the lost ones.

Jobs receive ids and re-read the rows. They work in chunks of ``CHUNK`` ids taken in id
order, committing per chunk, so progress is visible and a crash loses at most one chunk.
Logs carry ids and counts, never signers' e-mails or names.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, select

from campaign_app import queue
from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.moderation import changes
from campaign_app.moderation.criteria import Criteria, active, name_matches
from campaign_app.moderation.models import BatchState, InvalidationBatch
from campaign_app.petitions.models import Petition, Signature, SignatureState

log = logging.getLogger(__name__)

CHUNK = 1_000


def run_invalidation(batch_id: int) -> None:
    """Invalidate a queued batch chunk by chunk, committing each (retried if it fails)."""
    batch = db.session.get(InvalidationBatch, batch_id)
    if batch is None or batch.state not in (
        BatchState.QUEUED,
        BatchState.RUNNING,
        BatchState.FAILED,
    ):
        log.info("Invalidation batch %s: nothing to run", batch_id)
        return
    batch.state = BatchState.RUNNING
    batch.error = ""
    db.session.commit()
    criteria = Criteria.from_json(batch.criteria).unsealed()
    conditions = active(batch.petition_id, criteria)
    last = 0
    try:
        while chunk := _next_chunk(conditions, criteria.name, last):
            ids, last = chunk
            changed = changes.invalidate_ids(batch, ids) if ids else 0
            batch.done += changed
            batch.invalidated += changed
            db.session.commit()
            db.session.refresh(batch)
            if batch.state is not BatchState.RUNNING:  # restored or stopped meanwhile
                return
    except Exception as error:
        db.session.rollback()
        _fail(batch_id, error)
        raise
    batch.state = BatchState.DONE
    batch.finished_at = utcnow()
    # The job no longer needs a name condition; the record keeps only that one was used.
    batch.criteria = replace(criteria.without_personal(), up_to_id=criteria.up_to_id).to_json()
    creator = db.session.get(User, batch.created_by_id) if batch.created_by_id else None
    changes.record_invalidated(batch, creator, via="job")
    db.session.commit()
    log.info("Invalidation batch %s done: %s signatures", batch.id, batch.invalidated)


def run_restore(batch_id: int, user_id: int | None) -> None:
    """Give a batch's signatures their state back, chunk by chunk, and re-add the counts.

    ``user_id`` is who asked (for the audit).
    """
    batch = db.session.get(InvalidationBatch, batch_id)
    if batch is None or batch.state is not BatchState.RESTORING:
        log.info("Invalidation batch %s: nothing to restore", batch_id)
        return
    query = select(Signature.id).where(
        Signature.invalidation_batch_id == batch.id,
        Signature.state == SignatureState.INVALIDATED,
    )
    last = 0
    restored = batch.done  # a retried job goes on from where it stopped
    while ids := _next_ids(query, last):
        restored += changes.restore_ids(batch, ids)
        batch.done = restored
        last = ids[-1]
        db.session.commit()
    batch.state = BatchState.RESTORED
    batch.restored_at = utcnow()
    petition = db.session.get(Petition, batch.petition_id)
    actor = db.session.get(User, user_id) if user_id is not None else None
    record(
        "signatures.restored",
        actor=actor,
        via="web" if actor is not None else "job",
        campaign_id=petition.campaign_id if petition else None,
        petition_id=batch.petition_id,
        target=f"invalidation batch {batch.id}",
        rows=restored,
        details={"batch": batch.id},
    )
    db.session.commit()
    log.info("Invalidation batch %s restored: %s signatures", batch.id, restored)


def requeue_lost_batches() -> int:
    """Periodic job: queue again the invalidations the queue lost (it was down)."""
    lost = db.session.scalars(
        select(InvalidationBatch.id).where(
            InvalidationBatch.state == BatchState.QUEUED,
            InvalidationBatch.created_at < queue.lost_before(),
        )
    ).all()
    return queue.requeue_lost(run_invalidation, lost, "invalidation batches")


def _next_ids(query: Select[Any], after: int) -> list[int]:
    return list(
        db.session.scalars(query.where(Signature.id > after).order_by(Signature.id).limit(CHUNK))
    )


def _next_chunk(conditions: list[Any], name: str, after: int) -> tuple[list[int], int] | None:
    """The next CHUNK rows after id ``after``: the ids among them that match (a name is
    compared decrypted), and the last id read; None when no rows are left."""
    if not name:
        ids = _next_ids(select(Signature.id).where(*conditions), after)
        return (ids, ids[-1]) if ids else None
    rows = db.session.execute(
        select(Signature.id, Signature.first_name, Signature.last_name)
        .where(*conditions, Signature.id > after)
        .order_by(Signature.id)
        .limit(CHUNK)
    ).all()
    if not rows:
        return None
    ids = [row.id for row in rows if name_matches(name, row.first_name, row.last_name)]
    return ids, rows[-1].id


def _fail(batch_id: int, error: Exception) -> None:
    batch = db.session.get(InvalidationBatch, batch_id)
    if batch is not None:
        batch.state = BatchState.FAILED
        # The class name only: database messages can quote row values.
        batch.error = f"Stopped by {type(error).__name__}; it will be retried."[:300]
        db.session.commit()
    log.warning("Invalidation batch %s stopped by %s", batch_id, type(error).__name__)
