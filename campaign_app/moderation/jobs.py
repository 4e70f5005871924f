"""Queue jobs of moderation: run a bulk invalidation, and restore one (ids only in the queue)."""

from __future__ import annotations

from campaign_app.moderation import service


def run_invalidation(batch_id: int) -> None:
    """Invalidate the batch's signatures in chunks (retried by the queue if it fails)."""
    service.run_invalidation(batch_id)


def run_restore(batch_id: int, user_id: int | None) -> None:
    """Restore the batch's signatures in chunks; ``user_id`` is who asked (for the audit)."""
    service.run_restore(batch_id, user_id)
