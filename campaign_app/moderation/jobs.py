"""Queue jobs of moderation: run a bulk invalidation, and restore one (ids only in the queue)."""

from __future__ import annotations

from datetime import timedelta

from campaign_app.moderation import service
from campaign_app.queue import enqueue

# A batch still queued after this long was lost (the queue was down when it was created).
LOST_AFTER = timedelta(minutes=10)


def run_invalidation(batch_id: int) -> None:
    """Invalidate the batch's signatures in chunks (retried by the queue if it fails)."""
    service.run_invalidation(batch_id)


def run_restore(batch_id: int, user_id: int | None) -> None:
    """Restore the batch's signatures in chunks; ``user_id`` is who asked (for the audit)."""
    service.run_restore(batch_id, user_id)


def requeue_lost_batches() -> int:
    """Periodic job: queue again the invalidations the queue lost (it was down)."""
    stale = service.lost_batch_ids(LOST_AFTER)
    for batch_id in stale:
        enqueue(run_invalidation, batch_id)
    return len(stale)
