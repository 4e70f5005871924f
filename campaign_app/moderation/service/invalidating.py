"""Invalidating signatures (one at once, or many as a queued batch) and restoring a batch.

A bulk invalidation is recorded as a batch and committed, then queued: if the queue is down,
the batch waits as "queued" and the periodic ``jobs.requeue_lost_batches`` queues it again.
Logs and audit details carry ids, counts and filters; never signers' e-mails or names.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import func, select, update

from campaign_app.accounts.models import User
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.moderation import changes, jobs
from campaign_app.moderation.criteria import Criteria, active, count_where
from campaign_app.moderation.models import BatchState, InvalidationBatch
from campaign_app.petitions.blind_index import email_hash
from campaign_app.petitions.models import Petition, Signature
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)

BATCHES_SHOWN = 20


class NoConditions(CampaignError):
    """A bulk invalidation needs a condition besides the state (never the whole petition)."""


class NothingMatches(CampaignError):
    """No pending or confirmed signature matches: nothing to invalidate."""


class CountChanged(CampaignError):
    """The number of matching signatures changed since the preview."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


class AlreadyInvalidated(CampaignError):
    """The signature is invalidated already."""


class NotRestorable(CampaignError):
    """Only a finished (or failed) invalidation can be restored, once."""


def count_active(petition: Petition, criteria: Criteria) -> int:
    """How many pending or confirmed signatures match: what a bulk invalidation would take.

    A name condition reads the names of the rows the other conditions select: more than
    MODERATION_NAME_SCAN_LIMIT of them raise criteria.NameSearchTooBroad.
    """
    return count_where(active(petition.id, criteria), criteria)


def preview(petition: Petition, criteria: Criteria) -> int:
    """The exact count a bulk invalidation of ``criteria`` would change now."""
    if criteria.is_empty():
        raise NoConditions
    return count_active(petition, criteria)


def _pinned(petition: Petition, criteria: Criteria) -> Criteria:
    """Fix what the batch will take: e-mail -> its one signature, and the newest id now.

    The normalised e-mail is unique per petition, so it matches at most one row; keeping
    that row's id instead keeps the address out of the batch record.
    """
    if criteria.email:
        signature_id = db.session.scalar(
            select(Signature.id).where(
                Signature.petition_id == petition.id,
                Signature.email_hash == email_hash(criteria.email),
            )
        )
        given = tuple(dict.fromkeys((*criteria.given, "email")))
        # -1 matches nothing: the address has not signed this petition.
        criteria = replace(
            criteria,
            email="",
            given=given,
            signature_id=-1 if signature_id is None else signature_id,
        )
    # The newest row the other conditions select: the name condition only narrows them.
    newest = db.session.scalar(select(func.max(Signature.id)).where(*active(petition.id, criteria)))
    return replace(criteria, up_to_id=int(newest) if newest is not None else 0)


def start_invalidation(
    petition: Petition, criteria: Criteria, reason: str, shown: int, user: User
) -> InvalidationBatch:
    """Record a bulk invalidation of what the preview showed and queue it.

    Refused when no condition is given, nothing matches, or the count differs from the
    ``shown`` preview (the organiser must see the number they approve).
    """
    if criteria.is_empty():
        raise NoConditions
    pinned = _pinned(petition, criteria)
    count = count_active(petition, pinned)
    if not count:
        raise NothingMatches
    if count != shown:
        raise CountChanged(count)
    batch = InvalidationBatch(
        petition_id=petition.id,
        created_by_id=user.id,
        # A name condition is kept encrypted until the job is done with it.
        criteria=pinned.sealed().to_json(),
        reason=reason,
        state=BatchState.QUEUED,
        expected=count,
    )
    db.session.add(batch)
    db.session.commit()
    log.info("Invalidation batch %s queued: %s signatures", batch.id, count)
    enqueue(jobs.run_invalidation, batch.id)  # if the queue is down, the batch waits queued
    return batch


def invalidate_signature(
    petition: Petition, signature_id: int, reason: str, user: User
) -> InvalidationBatch:
    """Invalidate one signature now (a batch of one, so it can be restored the same way)."""
    criteria = Criteria(signature_id=signature_id)
    if not count_active(petition, criteria):
        raise AlreadyInvalidated
    batch = InvalidationBatch(
        petition_id=petition.id,
        created_by_id=user.id,
        criteria=criteria.to_json(),
        reason=reason,
        state=BatchState.RUNNING,
        expected=1,
    )
    db.session.add(batch)
    db.session.flush()
    changed = changes.invalidate_ids(batch, [signature_id])
    if not changed:
        db.session.rollback()
        raise AlreadyInvalidated
    batch.done = batch.invalidated = changed
    batch.state = BatchState.DONE
    batch.finished_at = utcnow()
    changes.record_invalidated(batch, user, via="web")
    db.session.commit()
    log.info("Signature %s invalidated (batch %s)", signature_id, batch.id)
    return batch


def start_restore(batch: InvalidationBatch, user: User) -> None:
    """Mark the batch as being restored and queue the job that does it."""
    restored = db.session.execute(
        update(InvalidationBatch)
        .where(
            InvalidationBatch.id == batch.id,
            InvalidationBatch.state.in_((BatchState.DONE, BatchState.FAILED)),
        )
        .values(state=BatchState.RESTORING, done=0, error="")
        .returning(InvalidationBatch.id),
        execution_options={"synchronize_session": False},
    ).all()
    if not restored:
        db.session.rollback()
        raise NotRestorable
    db.session.commit()
    db.session.refresh(batch)
    log.info("Invalidation batch %s: restore queued", batch.id)
    enqueue(jobs.run_restore, batch.id, user.id)


# Batches ----------------------------------------------------------------------------------


def get_batch(petition: Petition, batch_id: int) -> InvalidationBatch | None:
    """A batch of this petition (None for another petition's)."""
    batch = db.session.get(InvalidationBatch, batch_id)
    return batch if batch is not None and batch.petition_id == petition.id else None


def recent_batches(petition: Petition) -> list[InvalidationBatch]:
    """The petition's latest batches, newest first."""
    return list(
        db.session.scalars(
            select(InvalidationBatch)
            .where(InvalidationBatch.petition_id == petition.id)
            .order_by(InvalidationBatch.id.desc())
            .limit(BATCHES_SHOWN)
        )
    )


def progress_of(batch: InvalidationBatch) -> tuple[int, int]:
    """(done, total) of the work the batch is doing now (invalidating or restoring)."""
    if batch.state in (BatchState.RESTORING, BatchState.RESTORED):
        return batch.done, max(batch.invalidated, batch.done)
    return batch.done, max(batch.expected, batch.done)


def is_busy(batch: InvalidationBatch) -> bool:
    """Whether a job is (or should be) working on the batch now."""
    return batch.state in (BatchState.QUEUED, BatchState.RUNNING, BatchState.RESTORING)
