"""Paper jobs in the worker: delete CSV uploads that waited too long for their import."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.paper.models import PaperImport

log = logging.getLogger(__name__)


def delete_expired_imports() -> int:
    """Periodic job: delete uploads older than PAPER_IMPORT_KEEP_HOURS (they hold names,
    encrypted); returns how many. Every node's worker runs it: deleting twice is harmless."""
    hours = int(current_app.config["PAPER_IMPORT_KEEP_HOURS"])
    deleted = db.session.execute(
        delete(PaperImport)
        .where(PaperImport.created_at < utcnow() - timedelta(hours=hours))
        .returning(PaperImport.id)
    ).all()
    db.session.commit()
    if deleted:
        log.info("Deleted %s expired paper imports", len(deleted))
    return len(deleted)
