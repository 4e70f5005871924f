"""Queue jobs of the petitions feature: folding the counters' shards every minute.

Signers' e-mail no longer goes through the queue: signing records it as due and the mail
dispatcher sends it (campaign_app.petitions.outbox). What is left here is for jobs queued
by a version before the outbox, still waiting in the queue when the site was upgraded.
"""

from __future__ import annotations

import logging

from sqlalchemy import update

from campaign_app import queue
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.models import Signature

log = logging.getLogger(__name__)


def fold_counters() -> int:
    """Periodic job: fold the counters' shards into one row each (see counting.fold_shards),
    so reading a count sums a few rows, however many signatures a surge brought. One worker
    at a time (two folds at once would wait on each other's row locks); returns how many
    shard rows it folded away."""
    with queue.exclusive("fold-counters") as mine:
        if not mine:
            return 0
        folded = counting.fold_shards(db.session, utcnow())
        db.session.commit()
    if folded:
        log.info("Folded %s counter shards", folded)
    return folded


def send_signature_mail(signature_id: int) -> None:
    """Hand a signature's e-mail to the outbox (the dispatcher decides what to send)."""
    db.session.execute(
        update(Signature)
        .where(Signature.id == signature_id, Signature.mail_due_at.is_(None))
        .values(mail_due_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
