"""A petition's paper batches: listing, invalidating and restoring one as a whole."""

from __future__ import annotations

import logging
from collections import Counter

from sqlalchemy import select, update

from campaign_app.accounts.models import User
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.paper.models import PaperBatch, PaperBatchState
from campaign_app.paper.service.rows import record_batch, source_of
from campaign_app.petitions import counting
from campaign_app.petitions.models import Petition, Signature, SignatureState

log = logging.getLogger(__name__)

BATCHES_SHOWN = 50
_OPTIONS = {"synchronize_session": False}


class BatchNotActive(CampaignError):
    """The batch is invalidated already."""


class BatchNotInvalidated(CampaignError):
    """Only an invalidated batch can be restored."""


def get_batch(petition: Petition, batch_id: int) -> PaperBatch | None:
    """A batch of this petition (None for another petition's)."""
    batch = db.session.get(PaperBatch, batch_id)
    return batch if batch is not None and batch.petition_id == petition.id else None


def recent_batches(petition: Petition) -> list[PaperBatch]:
    """The petition's latest batches, newest first."""
    return list(
        db.session.scalars(
            select(PaperBatch)
            .where(PaperBatch.petition_id == petition.id)
            .order_by(PaperBatch.id.desc())
            .limit(BATCHES_SHOWN)
        )
    )


def invalidate_batch(petition: Petition, batch: PaperBatch, reason: str, user: User) -> int:
    """Invalidate every confirmed row of the batch and subtract them; returns how many."""
    claimed = db.session.execute(
        update(PaperBatch)
        .where(PaperBatch.id == batch.id, PaperBatch.state == PaperBatchState.ACTIVE)
        .values(
            state=PaperBatchState.INVALIDATED,
            invalidated_at=utcnow(),
            invalidated_by_id=user.id,
            invalidation_reason=reason,
        )
        .returning(PaperBatch.id),
        execution_options=_OPTIONS,
    ).all()
    if not claimed:
        db.session.rollback()
        raise BatchNotActive
    by_country = _move_rows(batch, SignatureState.CONFIRMED, SignatureState.INVALIDATED)
    counting.subtract_many(db.session, petition.id, by_country, {}, source_of(batch.kind))
    count = by_country.total()
    record_batch("paper.batch_invalidated", petition, batch, count, user)
    db.session.commit()
    db.session.refresh(batch)
    log.info("Paper batch %s invalidated: %s signatures", batch.id, count)
    return count


def restore_batch(petition: Petition, batch: PaperBatch, user: User) -> int:
    """Confirm the batch's rows again and add them back; returns how many."""
    claimed = db.session.execute(
        update(PaperBatch)
        .where(PaperBatch.id == batch.id, PaperBatch.state == PaperBatchState.INVALIDATED)
        .values(state=PaperBatchState.ACTIVE, restored_at=utcnow(), restored_by_id=user.id)
        .returning(PaperBatch.id),
        execution_options=_OPTIONS,
    ).all()
    if not claimed:
        db.session.rollback()
        raise BatchNotInvalidated
    by_country = _move_rows(batch, SignatureState.INVALIDATED, SignatureState.CONFIRMED)
    counting.add_many(db.session, petition.id, by_country, {}, source_of(batch.kind))
    count = by_country.total()
    record_batch("paper.batch_restored", petition, batch, count, user)
    db.session.commit()
    db.session.refresh(batch)
    log.info("Paper batch %s restored: %s signatures", batch.id, count)
    return count


def _move_rows(batch: PaperBatch, before: SignatureState, after: SignatureState) -> Counter[str]:
    """Move the batch's rows in state ``before`` to ``after``; how many, by country."""
    rows = db.session.execute(
        update(Signature)
        .where(Signature.paper_batch_id == batch.id, Signature.state == before)
        .values(state=after)
        .returning(Signature.country),
        execution_options=_OPTIONS,
    ).all()
    return Counter(country for (country,) in rows)
